import type { MetaFunction } from '@remix-run/node';
import { Link } from '@remix-run/react';

export const meta: MetaFunction = () => [{ title: 'Herald email preferences' }];

export default function Index() {
  return (
    <>
      <h1>Your email preferences</h1>
      <p>
        Every email we send has links at the bottom to unsubscribe or to choose what you receive. You can also
        sign in to see and change all your choices.
      </p>
      <p>
        <Link to="/account">Manage your email preferences</Link>
      </p>
      <p>
        <Link to="/policy">Our privacy policy and what changed</Link>
      </p>
    </>
  );
}

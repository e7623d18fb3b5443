import type { MetaFunction } from '@remix-run/node';

export const meta: MetaFunction = () => [{ title: 'Herald' }];

export default function Index() {
  return (
    <main>
      <h1>Herald</h1>
      <p>The preference center lives here. Its pages arrive with the preference-center issue.</p>
    </main>
  );
}

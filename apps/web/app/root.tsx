import type { LinksFunction, MetaFunction } from '@remix-run/node';
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useRouteError,
} from '@remix-run/react';
import { useCspNonce } from './csp-nonce';
import stylesUrl from './styles.css?url';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesUrl }];

export const meta: MetaFunction = ({ error }) => [
  { title: error ? errorPage(error).title : 'Herald email preferences' },
];

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useCspNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <p className="brand">Herald</p>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

const ERROR_PAGES: Record<number, { title: string; body: string }> = {
  400: {
    title: 'This link is not valid',
    body: 'The link may have been cut short or changed. Open it again from the email, or copy the whole address into your browser.',
  },
  403: {
    title: 'This form has expired',
    body: 'Nothing was changed. Reload the page and try again.',
  },
  404: { title: 'Page not found', body: 'There is nothing at this address.' },
  405: { title: 'Not allowed', body: 'This page does not accept that request.' },
  410: {
    title: 'This link no longer works',
    body: 'It was used already, replaced by a newer one, or has expired. Ask for a new one.',
  },
  503: {
    title: 'Not answering right now',
    body: 'A part of Herald this page needs did not answer in time. Nothing was changed. Please try again in a few minutes.',
  },
  429: {
    title: 'Too many attempts',
    body: 'Too many links that are not valid came from your address. Wait a minute, then try again.',
  },
};

/** Every error a visitor can cause has its own page; nothing about contacts is revealed. */
export function ErrorBoundary() {
  const error = useRouteError();
  const page = errorPage(error);
  return (
    <>
      <h1>{page.title}</h1>
      <p>{page.body}</p>
    </>
  );
}

/** A console page or form the person's role may not use (requirePower). */
const ROLE_REFUSED = {
  title: 'Your role cannot do this',
  body: 'Nothing was changed. An owner of this console can give you a role that may.',
};

/** A disabled subscribe form: its page, its posts and its confirmation links (subscribe-form.server.ts). */
const FORM_CLOSED_PAGE = {
  title: 'This form is closed',
  body: 'It no longer takes subscriptions. Nothing was sent and nothing was changed.',
};

function errorPage(error: unknown) {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const refused = isRouteErrorResponse(error)
    ? (error.data as { refused?: string } | null)?.refused
    : undefined;
  if (status === 403 && refused === 'role') return ROLE_REFUSED;
  if (status === 410 && refused === 'form-closed') return FORM_CLOSED_PAGE;
  return (
    ERROR_PAGES[status] ?? {
      title: 'Something went wrong',
      body: 'Nothing was changed. Please try again in a few minutes.',
    }
  );
}

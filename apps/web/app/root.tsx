import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useMatches,
  useRouteError,
} from '@remix-run/react';
import { LanguageSwitch } from './components/language-switch';
import { useCspNonce } from './csp-nonce';
import type { MessageKey } from './i18n/catalogs';
import { TranslatorProvider, useTranslator } from './i18n/i18n-context';
import { ENGLISH, languageFromMatches } from './i18n/page-language';
import { createTranslator, type Translator } from './i18n/translator';
import { chooseLanguage } from './server/i18n/choose-language.server';
import { rememberLanguage } from './server/i18n/language-cookie.server';
import stylesUrl from './styles.css?url';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesUrl }];

export const meta: MetaFunction = ({ error, matches }) => {
  const translator = createTranslator(languageFromMatches(matches));
  return [{ title: error ? errorPage(error, translator).title : translator.t('layout.title') }];
};

/** The staff console (docs/decisions/010) stays in English and has no language switch. */
const isConsole = (pathname: string) => /^\/admin(?:[/_.]|$)/.test(pathname);

/**
 * The language the request alone asks for (the switch, its cookie, Accept-Language): pages that
 * know their contact say their own in their loader data, and the deepest one wins
 * (languageFromMatches). A `?lang=` choice is remembered here, whatever page it was made on.
 */
export function loader({ request }: LoaderFunctionArgs) {
  if (isConsole(new URL(request.url).pathname)) return { language: ENGLISH, languageSwitch: false };
  const remembered = rememberLanguage(request);
  return data(
    { language: chooseLanguage(request), languageSwitch: true },
    remembered ? { headers: { 'Set-Cookie': remembered } } : undefined,
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useCspNonce();
  const matches = useMatches();
  const translator = createTranslator(languageFromMatches(matches));
  const root = matches[0]?.data as { languageSwitch?: boolean } | undefined;
  return (
    <html lang={translator.locale} dir={translator.dir}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <Meta />
        <Links />
      </head>
      <body>
        <TranslatorProvider value={translator}>
          <a className="skip-link" href="#main">
            {translator.t('layout.skipLink')}
          </a>
          <header className="site-header">
            <p className="brand">Herald</p>
            {root?.languageSwitch && <LanguageSwitch />}
          </header>
          <main id="main" tabIndex={-1}>
            {children}
          </main>
        </TranslatorProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

const ERROR_PAGES: Record<number, { title: MessageKey; body: MessageKey }> = {
  400: { title: 'error.400.title', body: 'error.400.body' },
  403: { title: 'error.403.title', body: 'error.403.body' },
  404: { title: 'error.404.title', body: 'error.404.body' },
  405: { title: 'error.405.title', body: 'error.405.body' },
  410: { title: 'error.410.title', body: 'error.410.body' },
  503: { title: 'error.503.title', body: 'error.503.body' },
  429: { title: 'error.429.title', body: 'error.429.body' },
};

/** Every error a visitor can cause has its own page; nothing about contacts is revealed. */
export function ErrorBoundary() {
  const error = useRouteError();
  const page = errorPage(error, useTranslator());
  return (
    <>
      <h1>{page.title}</h1>
      <p>{page.body}</p>
    </>
  );
}

/**
 * A console page or form the person's role may not use (requirePower). Only staff see it, and the
 * console stays in English, so it is not in the catalogs.
 */
const ROLE_REFUSED = {
  title: 'Your role cannot do this',
  body: 'Nothing was changed. An owner of this console can give you a role that may.',
};

/** A disabled subscribe form: its page, its posts and its confirmation links (subscribe-form.server.ts). */
const FORM_CLOSED_PAGE = { title: 'error.formClosed.title', body: 'error.formClosed.body' } as const;

function errorPage(error: unknown, { t }: Translator) {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const refused = isRouteErrorResponse(error)
    ? (error.data as { refused?: string } | null)?.refused
    : undefined;
  if (status === 403 && refused === 'role') return ROLE_REFUSED;
  const keys =
    status === 410 && refused === 'form-closed'
      ? FORM_CLOSED_PAGE
      : (ERROR_PAGES[status] ?? { title: 'error.other.title', body: 'error.other.body' });
  return { title: t(keys.title), body: t(keys.body) };
}

import type { MessageKey } from '~/i18n/catalogs';
import { createTranslator } from '~/i18n/translator';
import { chooseLanguage, type LanguageRequest } from './i18n/choose-language.server';

/** A one-click answer as both of its servers send it: server.js's Express handler and the Remix route. */
export interface OneClickAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The answer in the language the request asks for (its Accept-Language in practice: a cross-site
 * post carries no cookie; English without one): whoever posts here is a mail provider's machine,
 * not the person, so the contact's stored locale is not looked up, and the benchmarked path gains
 * no query. Content-Length spares the response chunked encoding: fewer writes on the benchmarked
 * path. (server.js marks every /u/ answer `Cache-Control: no-store`.) A 429 says when to try again.
 */
export function oneClickAnswer(
  request: LanguageRequest,
  status: number,
  message: MessageKey,
  extraHeaders: Record<string, string> = {},
): OneClickAnswer {
  const language = chooseLanguage(request);
  const body = `${createTranslator(language).t(message)}\n`;
  return {
    status,
    body,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
      'Content-Language': language.locale,
      Vary: 'Accept-Language',
      ...(status === 429 ? { 'Retry-After': '60' } : {}),
      ...extraHeaders,
    },
  };
}

import { IntlMessageFormat } from 'intl-messageformat';
import { directionOf, pickLocale } from './locales/locale-chain.js';
import { footerMessages, type FooterMessages } from './locales/footer-messages.js';
import type { TemplateClass } from './types.js';

/*
 * The compliance footer is added by the compiler, not written by template authors, so every
 * template (seeded or created through the API) carries what its class needs by construction:
 * - promotional: unsubscribe, preference center, postal address (CAN-SPAM, RFC 8058 practice);
 * - optional transactional: unsubscribe from this kind of mail, preference center;
 * - required transactional: preference center only (there is nothing to unsubscribe from).
 * It is in the variant's language (English for the default variant and for a language Herald has
 * no footer in), and one line so inserting it leaves the author's line numbers intact for errors.
 */

const linkStyle = 'color:#1f2937;text-decoration:underline;';

function link(href: string, label: string): string {
  return `<a href="${href}" style="${linkStyle}">${label}</a>`;
}

function format(message: string, locale: string, values: Record<string, string>): string {
  return String(new IntlMessageFormat(message, locale).format(values));
}

function noticeFor(
  messages: FooterMessages,
  locale: string,
  options: { class: TemplateClass; required: boolean },
): string {
  const preferences = link('{{preferencesUrl}}', messages.preferences);
  if (options.class === 'promotional') {
    const unsubscribe = link('{{unsubscribeUrl}}', messages.unsubscribe);
    return format(messages.promotional, locale, { unsubscribe, preferences });
  }
  if (!options.required) {
    const unsubscribe = link('{{unsubscribeUrl}}', messages.unsubscribeKind);
    return format(messages.optional, locale, { unsubscribe, preferences });
  }
  return format(messages.required, locale, { preferences });
}

/** The languages the footer is written in. */
export const footerLocales = Object.keys(footerMessages);

export function footerFor(options: {
  class: TemplateClass;
  required: boolean;
  locale?: string | null;
}): string {
  if (options.class === 'promotional' && options.required) {
    throw new Error('Only transactional categories may be required');
  }
  const locale = pickLocale(footerLocales, options.locale) ?? 'en';
  const messages = footerMessages[locale] ?? (footerMessages.en as FooterMessages);
  const dir = directionOf(locale);
  return [
    '<mj-section padding="16px 16px 32px">',
    '<mj-column>',
    '<mj-text align="center" color="#4b5563" font-size="13px" line-height="20px" padding="0 8px">',
    // A right-to-left footer says so, so a mail client lays it out right even in a left-to-right mail.
    dir === 'rtl' ? '<div dir="rtl">' : '',
    `<p style="margin:0 0 8px;">${noticeFor(messages, locale, options)}</p>`,
    `<p style="margin:0 0 8px;">${format(messages.sentTo, locale, { email: '{{email}}' })}</p>`,
    '<p style="margin:0;">{{postalAddress}}</p>',
    dir === 'rtl' ? '</div>' : '',
    '</mj-text>',
    '</mj-column>',
    '</mj-section>',
  ].join('');
}

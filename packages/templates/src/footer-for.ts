import type { TemplateClass } from './types.js';

/*
 * The compliance footer is added by the compiler, not written by template authors, so every
 * template (seeded or created through the API) carries what its class needs by construction:
 * - promotional: unsubscribe, preference center, postal address (CAN-SPAM, RFC 8058 practice);
 * - optional transactional: unsubscribe from this kind of mail, preference center;
 * - required transactional: preference center only (there is nothing to unsubscribe from).
 * It is one line so inserting it leaves the author's line numbers intact for error reports.
 */

const linkStyle = 'color:#1f2937;text-decoration:underline;';

function link(href: string, label: string): string {
  return `<a href="${href}" style="${linkStyle}">${label}</a>`;
}

function noticeFor(options: { class: TemplateClass; required: boolean }): string {
  const preferences = link('{{preferencesUrl}}', 'Manage your email preferences');
  if (options.class === 'promotional') {
    return `You are receiving this because you subscribed to these emails. ${link('{{unsubscribeUrl}}', 'Unsubscribe')} &middot; ${preferences}`;
  }
  if (!options.required) {
    return `Don't want emails like this? ${link('{{unsubscribeUrl}}', 'Unsubscribe from this kind of email')} &middot; ${preferences}`;
  }
  return `This is a required message about your account, so it cannot be unsubscribed from. ${preferences}`;
}

export function footerFor(options: { class: TemplateClass; required: boolean }): string {
  if (options.class === 'promotional' && options.required) {
    throw new Error('Only transactional categories may be required');
  }
  return [
    '<mj-section padding="16px 16px 32px">',
    '<mj-column>',
    '<mj-text align="center" color="#4b5563" font-size="13px" line-height="20px" padding="0 8px">',
    `<p style="margin:0 0 8px;">${noticeFor(options)}</p>`,
    '<p style="margin:0 0 8px;">This email was sent to {{email}}.</p>',
    '<p style="margin:0;">{{postalAddress}}</p>',
    '</mj-text>',
    '</mj-column>',
    '</mj-section>',
  ].join('');
}

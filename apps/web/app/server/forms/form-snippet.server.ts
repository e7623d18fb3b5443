import type { SubscribeFormView } from '@herald/contract';
import { webEnv } from '../env.server';
import { HONEYPOT_FIELD } from './subscribe-fields';

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The HTML a site pastes to embed a form: it posts straight to the hosted page, which asks the person
 * to send it once more (with the page's fill stamp) before the confirmation goes out. No CSRF token
 * and no script: the honeypot, the fill time and the rate limits guard it.
 */
export function formSnippet(
  form: Pick<SubscribeFormView, 'key' | 'name' | 'fields' | 'consentText'>,
): string {
  const action = `${webEnv.PUBLIC_WEB_URL.replace(/\/+$/, '')}/subscribe/${form.key}`;
  const id = `herald-${form.key}`;
  const lines = [
    `<form method="post" action="${escape(action)}">`,
    `  <p>${escape(form.consentText)}</p>`,
    `  <label for="${id}-email">Email address</label>`,
    `  <input type="email" id="${id}-email" name="email" autocomplete="email" required>`,
    ...(form.fields.includes('name')
      ? [
          `  <label for="${id}-name">Name (optional)</label>`,
          `  <input type="text" id="${id}-name" name="name" autocomplete="name" maxlength="200">`,
        ]
      : []),
    `  <div hidden><label for="${id}-${HONEYPOT_FIELD}">Leave this field empty</label>`,
    `  <input type="text" id="${id}-${HONEYPOT_FIELD}" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></div>`,
    `  <button type="submit">Subscribe: ${escape(form.name)}</button>`,
    `</form>`,
  ];
  return lines.join('\n');
}

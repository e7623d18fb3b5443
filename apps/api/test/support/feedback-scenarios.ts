import { hashAddress } from '@herald/preferences';
import { expect } from 'vitest';
import { addSubscriber, type Harness, uniqueEmail, waitForStatus } from './harness.js';

/**
 * What the feedback tests (provider webhooks, POST /v1/feedback) share: a delivered message to
 * report on, the state a report may change, and the checks that show what it changed.
 */
export const SIGN_IN = { signInUrl: 'https://app.example.com/sign-in/abc', expiresInMinutes: 15 };
export const NEWSLETTER = {
  headline: 'Autumn news',
  intro: 'Three things.',
  articles: [{ title: 'One', summary: 'First', url: 'https://example.com/1' }],
};
const DATA: Record<string, object> = { 'security-sign-in': SIGN_IN, newsletter: NEWSLETTER };

export interface Delivered {
  id: string;
  email: string;
  contactId: string;
}

/** Sends `template` to `email` (a fresh address by default) and waits until the worker has sent it. */
export async function deliver(
  h: Harness,
  template: 'security-sign-in' | 'newsletter',
  email = uniqueEmail(template),
): Promise<Delivered> {
  if (template === 'newsletter') await addSubscriber(h, email);
  const response = await h.request('POST', '/v1/messages', { template, to: { email }, data: DATA[template] });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  const message = await waitForStatus(h, response.body.id);
  expect(message.status, JSON.stringify(message)).toBe('sent');
  return { id: message.id, email, contactId: message.contactId };
}

/** Sends `template` to `email` and answers the worker's decision: `{ status, reason }`. */
export async function nextMessage(h: Harness, template: 'security-sign-in' | 'newsletter', email: string) {
  const response = await h.request('POST', '/v1/messages', { template, to: { email }, data: DATA[template] });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  const message = await waitForStatus(h, response.body.id);
  return { status: message.status as string, reason: message.reason as string | undefined };
}

/** Every row a report can write: compared before and after a refused call, it shows nothing changed. */
export async function feedbackState(h: Harness) {
  const [reports, suppressions, consentLog, events, softCounts] = await Promise.all([
    h.db.feedbackReport.count(),
    h.db.suppression.count(),
    h.db.consentLogEntry.count(),
    h.db.messageEvent.count(),
    h.db.softBounceCount.count(),
  ]);
  return { reports, suppressions, consentLog, events, softCounts };
}

/** The reasons `email` is suppressed for, in the database's spelling (`hard_bounce`, `complaint`). */
export async function suppressionReasons(h: Harness, email: string): Promise<string[]> {
  const rows = await h.db.suppression.findMany({ where: { addressHash: hashAddress(email) } });
  return rows.map((row) => row.reason).sort();
}

/** The consent-log rows of a contact, as the API shows them. */
export async function consentLog(h: Harness, contactId: string) {
  const log = await h.request('GET', `/v1/contacts/${contactId}/consent-log`);
  return log.body.entries as { action: string; source: string }[];
}

/** The message's status and event types, as the API shows them. */
export async function messageState(h: Harness, id: string) {
  const message = await h.request('GET', `/v1/messages/${id}`);
  return {
    status: message.body.status as string,
    events: (message.body.events as { type: string }[]).map((event) => event.type),
  };
}

/** POSTs a webhook body as the provider does: raw bytes, its content type and headers, no API key. */
export async function postHook(
  url: string,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/**
 * What an accepted hard bounce of a delivered security mail does, whichever channel reported it:
 * the one event is applied, the message is bounced, the address suppressed and logged, and the next
 * security mail to it is suppressed.
 */
export async function expectHardBounceApplied(
  h: Harness,
  sent: Delivered,
  response: { status: number; body: unknown },
) {
  expect(response.status).toBe(200);
  expect(response.body).toEqual({ received: 1, applied: 1, duplicates: 0, ignored: 0 });
  expect(await messageState(h, sent.id)).toEqual({
    status: 'bounced',
    events: ['queued', 'sent', 'bounced'],
  });
  expect(await suppressionReasons(h, sent.email)).toEqual(['hard_bounce']);
  expect(await consentLog(h, sent.contactId)).toEqual([
    expect.objectContaining({ action: 'suppress', source: 'bounce' }),
  ]);
  expect(await nextMessage(h, 'security-sign-in', sent.email)).toEqual({
    status: 'suppressed',
    reason: 'hard-bounce',
  });
}

/** What a complaint about a delivered newsletter does: newsletters to the address stop, security mail still goes. */
export async function expectComplaintApplied(h: Harness, sent: Delivered) {
  expect(await suppressionReasons(h, sent.email)).toEqual(['complaint']);
  expect(await nextMessage(h, 'newsletter', sent.email)).toEqual({
    status: 'suppressed',
    reason: 'complaint',
  });
  expect((await nextMessage(h, 'security-sign-in', sent.email)).status).toBe('sent');
}

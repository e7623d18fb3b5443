import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dkimVerify } from 'mailauth';
import { generateKeyPairSync } from 'node:crypto';
import type { CaughtMessage } from '@herald/mail-catcher';
import { addSubscriber, startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';
import {
  createNewsletterCampaign,
  insertContacts,
  NEWSLETTER_DATA,
  newRun,
  waitForCampaign,
} from './support/campaigns.js';

/**
 * DKIM, verified as a receiving server verifies it: each message the SMTP server received is checked
 * by mailauth against the public key this test made, served by a resolver in place of DNS. Two keys,
 * on two domains under two selectors: promotional mail must be signed with the promotional one and
 * transactional mail with the other, over the one relay they share here, and the one-click
 * unsubscribe headers (RFC 8058) must be inside the signature.
 */
const TRANSACTIONAL = { domain: 'mail.example.test', selector: 'tx2026' };
const PROMOTIONAL = { domain: 'news.example.test', selector: 'promo2026' };
const NOTICE = { title: 'Maintenance window', body: 'Read-only for 20 minutes.' };
const SIGN_IN = { signInUrl: 'https://app.example.com/sign-in/abc', expiresInMinutes: 15 };

function makeKey() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    record: `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`,
  };
}
const transactionalKey = makeKey();
const promotionalKey = makeKey();

/** The DNS this test stands in for: the two selectors' TXT records, nothing else. */
const records = new Map([
  [`${TRANSACTIONAL.selector}._domainkey.${TRANSACTIONAL.domain}`, transactionalKey.record],
  [`${PROMOTIONAL.selector}._domainkey.${PROMOTIONAL.domain}`, promotionalKey.record],
]);
async function resolver(name: string, type: string): Promise<string[][]> {
  const record = records.get(name.toLowerCase());
  if (type === 'TXT' && record) return [[record]];
  throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    worker: true,
    env: {
      SCHEDULER_INTERVAL_MS: '100',
      MAIL_FROM: `Herald <no-reply@${TRANSACTIONAL.domain}>`,
      DKIM_DOMAIN: TRANSACTIONAL.domain,
      DKIM_SELECTOR: TRANSACTIONAL.selector,
      DKIM_PRIVATE_KEY: transactionalKey.privateKey,
      PROMOTIONAL_MAIL_FROM: `Herald News <news@${PROMOTIONAL.domain}>`,
      PROMOTIONAL_DKIM_DOMAIN: PROMOTIONAL.domain,
      PROMOTIONAL_DKIM_SELECTOR: PROMOTIONAL.selector,
      PROMOTIONAL_DKIM_PRIVATE_KEY: promotionalKey.privateKey,
    },
  });
}, 60_000);
afterAll(async () => h?.close());

async function send(template: string, data: object): Promise<string> {
  const email = uniqueEmail();
  if (template === 'newsletter') await addSubscriber(h, email);
  const response = await h.request('POST', '/v1/messages', { template, to: { email }, data });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  expect(await waitForStatus(h, response.body.id)).toMatchObject({ status: 'sent' });
  return response.body.id as string;
}

/** The header fields the message's DKIM-Signature covers (its h= tag), lower case. */
function signedFields(message: CaughtMessage): string[] {
  const signature = message.header('dkim-signature') ?? '';
  const tag = signature
    .split(';')
    .map((part) => part.replace(/\s+/g, ''))
    .find((part) => part.startsWith('h='));
  return (tag ?? '').slice(2).toLowerCase().split(':').filter(Boolean);
}

async function verify(raw: Buffer | string) {
  const { results } = await dkimVerify(raw, { resolver });
  return results.map((result) => ({
    result: result.status.result,
    domain: result.signingDomain,
    selector: result.selector,
  }));
}

async function received(id: string): Promise<CaughtMessage & { raw: Buffer }> {
  const message = await h.catcher.waitFor((m) => m.heraldMessageId === id);
  expect(message.raw).toBeInstanceOf(Buffer);
  return message as CaughtMessage & { raw: Buffer };
}

describe('DKIM signatures, verified with the public keys', () => {
  it('signs a newsletter with the promotional key, List-Unsubscribe and List-Unsubscribe-Post inside', async () => {
    const message = await received(await send('newsletter', NEWSLETTER_DATA));
    expect(message.header('from')).toBe(`Herald News <news@${PROMOTIONAL.domain}>`);
    expect(await verify(message.raw)).toEqual([{ result: 'pass', ...PROMOTIONAL }]);
    expect(signedFields(message)).toEqual(
      expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post']),
    );
    expect(message.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
  });

  it('signs a campaign message with the promotional key, its one-click headers inside', async () => {
    const run = newRun();
    await insertContacts(h, { run, count: 2, label: 'dkim' });
    const campaignId = await createNewsletterCampaign(h, run);
    await waitForCampaign(h, campaignId, (c) => c.status === 'sent');
    const messages = await h.db.message.findMany({ where: { campaignId }, select: { id: true } });
    expect(messages).toHaveLength(2);
    for (const { id } of messages) {
      const message = await received(id);
      expect(await verify(message.raw)).toEqual([{ result: 'pass', ...PROMOTIONAL }]);
      expect(signedFields(message)).toEqual(
        expect.arrayContaining(['from', 'subject', 'list-unsubscribe', 'list-unsubscribe-post']),
      );
    }
  });

  it('signs transactional mail with the transactional key: a service notice with its one-click headers, a sign-in link', async () => {
    const notice = await received(await send('service-notice', NOTICE));
    expect(notice.header('from')).toBe(`Herald <no-reply@${TRANSACTIONAL.domain}>`);
    expect(await verify(notice.raw)).toEqual([{ result: 'pass', ...TRANSACTIONAL }]);
    expect(signedFields(notice)).toEqual(
      expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post']),
    );

    const signIn = await received(await send('security-sign-in', SIGN_IN));
    expect(signIn.header('list-unsubscribe')).toBeUndefined();
    expect(await verify(signIn.raw)).toEqual([{ result: 'pass', ...TRANSACTIONAL }]);
  });

  it('fails verification once List-Unsubscribe is changed in transit: the signature covers it', async () => {
    const message = await received(await send('newsletter', NEWSLETTER_DATA));
    const raw = message.raw.toString('latin1');
    const tampered = raw.replace(/^List-Unsubscribe: <https:\/\//im, 'List-Unsubscribe: <https://evil.');
    expect(tampered).not.toBe(raw);
    expect(await verify(tampered)).toEqual([expect.objectContaining({ result: 'fail', ...PROMOTIONAL })]);
  });
});

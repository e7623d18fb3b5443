import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { InboundSmtpService } from '../src/inbound/inbound-smtp.service.js';
import { parseUnsubscribeAddress } from '../src/inbound/parse-unsubscribe-address.js';
import { addSubscriber, startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';

const NEWSLETTER = {
  headline: 'Autumn news',
  intro: 'Three things.',
  articles: [{ title: 'One', summary: 'First', url: 'https://example.com/1' }],
};

let h: Harness;
let inboundPort: number;
beforeAll(async () => {
  h = await startHarness();
  const worker = await h.startWorker({ INBOUND_SMTP_PORT: '0', INBOUND_SMTP_HOST: '127.0.0.1' });
  inboundPort = worker.get(InboundSmtpService).port as number;
});
afterAll(async () => h?.close());

/** Sends one mail to the inbound listener as a mail provider would; resolves with the SMTP outcome. */
async function mailTo(to: string) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: inboundPort,
    secure: false,
    ignoreTLS: true,
  });
  try {
    return await transport.sendMail({
      from: 'someone@provider.test',
      to,
      subject: 'unsubscribe',
      text: 'unsubscribe',
    });
  } finally {
    transport.close();
  }
}

describe('mailto unsubscribe (List-Unsubscribe: <mailto:unsubscribe+{token}@MAIL_DOMAIN>)', () => {
  it('unsubscribes the message category of the mailto address, with source mailto, whatever the case of the address', async () => {
    const email = uniqueEmail('mailto');
    await addSubscriber(h, email);
    const sent = await h.request('POST', '/v1/messages', {
      template: 'newsletter',
      to: { email },
      data: NEWSLETTER,
    });
    const caught = await h.catcher.waitFor((m) => m.heraldMessageId === sent.body.id);
    const mailto = /<mailto:([^>]+)>/.exec(caught.header('list-unsubscribe') ?? '')?.[1] as string;
    expect(parseUnsubscribeAddress(mailto, 'mail.example.test')).not.toBeNull();
    const [local, domain] = mailto.split('@') as [string, string];
    expect(local.length).toBeLessThanOrEqual(64);

    const mailedAt = Date.now();
    const result = await mailTo(`${local.toUpperCase()}@${domain}`);
    expect(result.accepted).toHaveLength(1);

    const { contactId } = await waitForStatus(h, sent.body.id);
    const prefs = await h.request('GET', `/v1/contacts/${contactId}/preferences`);
    expect(prefs.body.categories.find((c: { key: string }) => c.key === 'newsletter').subscribed).toBe(false);
    expect(prefs.body.allPromotional.subscribed).toBe(true);
    const log = await h.request('GET', `/v1/contacts/${contactId}/consent-log`);
    expect(log.body.entries).toEqual([
      expect.objectContaining({
        category: 'newsletter',
        action: 'unsubscribe',
        source: 'mailto',
        messageId: sent.body.id,
      }),
    ]);

    // The mail is the request: its arrival (DATA) is recorded, for the conformance report's time to effect.
    const [row] = await h.db.$queryRaw<{ requested_at: Date | null; occurred_at: Date }[]>`
      SELECT requested_at, occurred_at FROM consent_log WHERE contact_id = ${contactId}::uuid`;
    expect(row!.requested_at!.getTime()).toBeGreaterThanOrEqual(mailedAt - 5);
    expect(row!.requested_at!.getTime()).toBeLessThanOrEqual(row!.occurred_at.getTime() + 5);

    await mailTo(mailto);
    expect((await h.request('GET', `/v1/contacts/${contactId}/consent-log`)).body.entries).toHaveLength(1);
  });

  it('refuses any other address at RCPT and changes nothing', async () => {
    const refusals = await Promise.all(
      [
        'postmaster@mail.example.test',
        'unsubscribe+aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@mail.example.test',
        'unsubscribe+abc@other.example',
      ].map((to) =>
        mailTo(to).then(
          () => null,
          (error: { responseCode?: number }) => error.responseCode,
        ),
      ),
    );
    expect(refusals).toEqual([550, 550, 550]);
  });
});

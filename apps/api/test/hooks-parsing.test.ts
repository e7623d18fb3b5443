import { describe, expect, it } from 'vitest';
import { bounceKind } from '../src/hooks/bounce-kind.js';
import { heraldMessageId } from '../src/hooks/herald-message-id.js';
import { isSnsUrl } from '../src/hooks/is-sns-url.js';
import { postmarkFeedback } from '../src/hooks/postmark-feedback.js';
import { providerEventId } from '../src/hooks/provider-event-id.js';
import { sendgridFeedback } from '../src/hooks/sendgrid-feedback.js';

const ID = '01936d2e-8f3a-7c41-9b2d-5e6f7a8b9c0d';
const DOMAIN = 'mail.example.test';

describe('reading provider payloads', () => {
  it.each([
    [ID, ID],
    [`<${ID}@${DOMAIN}>`, ID],
    [`${ID}@MAIL.EXAMPLE.TEST`, ID],
    [` <${ID.toUpperCase()}@${DOMAIN}> `, ID],
    [`<${ID}@other.example>`, null],
    ['<14c5d75ce93.dfd.64b469@ismtpd-555>', null],
    [`<not-a-uuid@${DOMAIN}>`, null],
    [undefined, null],
  ])('finds Herald’s message id in %j: %s', (value, expected) => {
    expect(heraldMessageId(value, DOMAIN)).toBe(expected);
  });

  it.each([
    ['https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem', true],
    ['https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem', true],
    ['http://sns.us-east-1.amazonaws.com/x.pem', false],
    ['https://sns.us-east-1.amazonaws.com.evil.example/x.pem', false],
    ['https://evil-sns.us-east-1.amazonaws.com/x.pem', false],
    ['https://s3.amazonaws.com/x.pem', false],
    ['https://sns.us-east-1.amazonaws.com:444/x.pem', false],
    ['https://a:b@sns.us-east-1.amazonaws.com/x.pem', false],
    ['not a url', false],
    [42, false],
  ])('fetches SNS URLs only from SNS hosts over https: %j → %s', (url, expected) => {
    expect(isSnsUrl(url)).toBe(expected);
  });

  it.each([
    ['hard', '5.1.1', null, 'hard-bounce'],
    ['hard', '5.0.0', null, 'hard-bounce'],
    ['hard', '5.7.1', null, 'blocked'],
    ['hard', null, '554 5.7.26 Unauthenticated email is not accepted', 'blocked'],
    ['soft', '4.2.2', null, 'soft-bounce'],
    ['soft', '5.7.1', null, 'blocked'],
    [null, '5.1.1', null, 'hard-bounce'],
    [null, '4.4.7', null, 'soft-bounce'],
    [null, '5.2.2', null, 'soft-bounce'],
    [null, '5.0.0', null, 'soft-bounce'],
    [null, null, 'smtp; 550 5.1.1 user unknown', 'hard-bounce'],
    [null, null, null, null],
  ] as const)('a %s bounce with status %s and diagnostic %j is %s', (verdict, status, diagnostic, kind) => {
    expect(bounceKind(verdict, status, diagnostic)).toBe(kind);
  });

  it('maps SendGrid drops by their reason: a dead address is a hard bounce, any other drop suppresses nothing', () => {
    const dropped = (reason: string) => ({
      event: 'dropped',
      email: 'a@example.test',
      reason,
      sg_event_id: reason,
    });
    const { inputs, ignored } = sendgridFeedback(
      [
        dropped('Bounced Address'),
        dropped('Invalid'),
        dropped('Spam Reporting Address'),
        dropped('Unsubscribed Address'),
      ],
      DOMAIN,
    );
    expect(inputs.map((input) => input.kind)).toEqual(['hard-bounce', 'hard-bounce', 'blocked', 'blocked']);
    expect(ignored).toBe(0);
  });

  it('maps Postmark bounce types, and ignores the ones that are not about delivery', () => {
    const kind = (Type: string) =>
      postmarkFeedback({ RecordType: 'Bounce', ID: 1, Type, Email: 'a@example.test' }, DOMAIN)[0]?.kind ??
      null;
    expect(
      [
        'HardBounce',
        'BadEmailAddress',
        'SoftBounce',
        'Transient',
        'DnsError',
        'Blocked',
        'SpamComplaint',
        'AutoResponder',
      ].map(kind),
    ).toEqual([
      'hard-bounce',
      'hard-bounce',
      'soft-bounce',
      'soft-bounce',
      'soft-bounce',
      'blocked',
      'complaint',
      null,
    ]);
  });

  it('keeps a provider event id within the column, a long one by its hash', () => {
    expect(providerEventId('sendgrid', 'abc')).toBe('sendgrid:abc');
    const long = providerEventId('ses', 'x'.repeat(400));
    expect(long).toMatch(/^ses:sha256:[0-9a-f]{64}$/);
    expect(providerEventId('ses', 'x'.repeat(400))).toBe(long);
  });
});

import { ApiEnvSchema, parseEnv } from '@herald/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../src/create-api-app.js';
import {
  consentLog,
  type Delivered,
  deliver,
  feedbackState,
  messageState,
  nextMessage,
  postHook,
  suppressionReasons,
  expectHardBounceApplied,
  expectComplaintApplied,
} from './support/feedback-scenarios.js';
import { startHarness, type Harness } from './support/harness.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:herald-ses-feedback';
const CERT_URL = 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem';
const SUBSCRIBE_BASE = 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription';

// The certificate SNS would sign with: made here with the openssl CLI (Node cannot make X.509
// certificates) and served through the API's injected fetcher, which records every URL asked for.
let certificatePem: string;
let signingKey: KeyObject;
const fetched: string[] = [];
async function snsFetch(url: string): Promise<string> {
  fetched.push(url);
  if (url === CERT_URL) return certificatePem;
  if (url.startsWith(SUBSCRIBE_BASE)) return '<ConfirmSubscriptionResponse/>';
  throw new Error(`GET ${url} answered 404`);
}

let h: Harness;
let api: NestExpressApplication;
let url: string;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-sns-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=sns.amazonaws.com',
      ].concat(['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]),
      { stdio: 'ignore' },
    );
    certificatePem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    signingKey = createPrivateKey(readFileSync(join(dir, 'key.pem'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  h = await startHarness({
    worker: true,
    env: { HERALD_SES_TOPIC_ARNS: `${TOPIC}, arn:aws:sns:eu-west-1:1:other` },
  });
  // An API of its own with the test's fetcher: the harness's fetches from the network.
  api = await createApiApp(parseEnv(ApiEnvSchema, h.env), { logger: false, snsFetch });
  await api.listen(0, '127.0.0.1');
  url = (await api.getUrl()).replace('[::1]', '127.0.0.1');
});
afterAll(async () => {
  await api?.close();
  await h?.close();
});

type SnsFields = Record<string, string>;

/** An SNS message signed as SNS signs it: each signed field's name and value, each followed by a newline. */
function snsMessage(fields: SnsFields, options: { version?: '1' | '2'; key?: KeyObject } = {}) {
  const version = options.version ?? '2';
  const message: SnsFields = {
    MessageId: randomUUID(),
    TopicArn: TOPIC,
    Timestamp: new Date().toISOString(),
    SignatureVersion: version,
    SigningCertURL: CERT_URL,
    ...fields,
  };
  const names =
    message.Type === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  const signed = names
    .filter((name) => message[name] !== undefined)
    .map((name) => `${name}\n${message[name]}\n`)
    .join('');
  message.Signature = sign(
    version === '1' ? 'sha1' : 'sha256',
    Buffer.from(signed),
    options.key ?? signingKey,
  ).toString('base64');
  return message;
}

/** An SES notification as "Amazon SNS notification examples for Amazon SES" shows it, with the original headers. */
function sesNotification(sent: Delivered, type: 'Bounce' | 'Complaint' | 'Delivery', detail: object) {
  const key = { Bounce: 'bounce', Complaint: 'complaint', Delivery: 'delivery' }[type];
  return JSON.stringify({
    notificationType: type,
    [key]: detail,
    mail: {
      timestamp: new Date().toISOString(),
      source: 'Herald <notifications@mail.example.test>',
      sourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/mail.example.test',
      sourceIp: '127.0.3.0',
      sendingAccountId: '123456789012',
      callerIdentity: 'herald-smtp',
      messageId: '0000014644fe5ef6-9a483358-9170-4cb4-a269-f5dcdf415321-000000',
      destination: [sent.email],
      headersTruncated: false,
      headers: [
        { name: 'From', value: 'Herald <notifications@mail.example.test>' },
        { name: 'To', value: sent.email },
        { name: 'Message-ID', value: `<${sent.id}@mail.example.test>` },
        { name: 'X-Herald-Message-Id', value: sent.id },
      ],
      commonHeaders: {
        from: ['Herald <notifications@mail.example.test>'],
        to: [sent.email],
        messageId: `<${sent.id}@mail.example.test>`,
        subject: 'Hello',
      },
    },
  });
}

const notification = (Message: string, options?: { version?: '1' | '2'; key?: KeyObject }) =>
  snsMessage({ Type: 'Notification', Message }, options);

/** POSTs as SNS does: JSON as text/plain, with its message-type headers. */
const postSns = (message: object) =>
  postHook(url, '/hooks/ses', JSON.stringify(message), {
    'content-type': 'text/plain; charset=UTF-8',
    'x-amz-sns-message-type': String((message as SnsFields).Type),
    'x-amz-sns-topic-arn': String((message as SnsFields).TopicArn),
  });

const permanentBounce = (sent: Delivered) => ({
  bounceType: 'Permanent',
  bounceSubType: 'General',
  reportingMTA: 'dsn; a27-23.smtp-out.us-west-2.amazonses.com',
  bouncedRecipients: [
    {
      emailAddress: sent.email,
      action: 'failed',
      status: '5.1.1',
      diagnosticCode: 'smtp; 550 5.1.1 user unknown',
    },
  ],
  timestamp: new Date().toISOString(),
  feedbackId: '0000013786031775-fea503bc-7497-49e1-881b-a0379bb037d3-000000',
  remoteMtaIp: '127.0.2.0',
});

describe('POST /hooks/ses (Amazon SES through SNS)', () => {
  it('a signed Permanent bounce (SignatureVersion 1) bounces the message and suppresses the address', async () => {
    const sent = await deliver(h, 'security-sign-in');
    const response = await postSns(
      notification(sesNotification(sent, 'Bounce', permanentBounce(sent)), { version: '1' }),
    );
    await expectHardBounceApplied(h, sent, response);
    expect(fetched).toContain(CERT_URL);
  });

  it('a complaint (SignatureVersion 2) suppresses the next newsletter while security mail still goes', async () => {
    const sent = await deliver(h, 'newsletter');
    const complaint = {
      userAgent: 'AnyCompany Feedback Loop (V0.01)',
      complainedRecipients: [{ emailAddress: sent.email }],
      complaintFeedbackType: 'abuse',
      arrivalDate: new Date().toISOString(),
      timestamp: new Date().toISOString(),
      feedbackId: '000001378603177f-18c07c78-fa81-4a58-9dd1-fedc3cb8f49a-000000',
    };
    const response = await postSns(notification(sesNotification(sent, 'Complaint', complaint)));
    expect(response.body).toMatchObject({ received: 1, applied: 1 });
    await expectComplaintApplied(h, sent);
  });

  it('a Transient bounce is a soft bounce and a Delivery a delivery: neither suppresses', async () => {
    const sent = await deliver(h, 'security-sign-in');
    const transient = {
      bounceType: 'Transient',
      bounceSubType: 'MailboxFull',
      bouncedRecipients: [
        {
          emailAddress: sent.email,
          action: 'failed',
          status: '5.2.2',
          diagnosticCode: 'smtp; 552 5.2.2 Mailbox full',
        },
      ],
      timestamp: new Date().toISOString(),
      feedbackId: '00000137860315fd-869464a4-8680-4114-98d3-716fe35851f9-000000',
    };
    await postSns(notification(sesNotification(sent, 'Bounce', transient)));
    const delivery = {
      timestamp: new Date().toISOString(),
      processingTimeMillis: 546,
      recipients: [sent.email],
      smtpResponse: '250 ok:  Message 64111812 accepted',
      reportingMTA: 'a8-70.smtp-out.amazonses.com',
      remoteMtaIp: '127.0.2.0',
    };
    await postSns(notification(sesNotification(sent, 'Delivery', delivery)));
    expect((await messageState(h, sent.id)).events).toEqual(['queued', 'sent', 'soft-bounce', 'delivered']);
    expect(await suppressionReasons(h, sent.email)).toEqual([]);
    expect(await nextMessage(h, 'security-sign-in', sent.email)).toEqual({ status: 'sent' });
  });

  it('a redelivered notification (same SNS MessageId) applies once', async () => {
    const sent = await deliver(h, 'security-sign-in');
    const message = notification(sesNotification(sent, 'Bounce', permanentBounce(sent)));
    expect((await postSns(message)).body).toMatchObject({ applied: 1, duplicates: 0 });
    const before = await feedbackState(h);
    expect((await postSns(message)).body).toEqual({ received: 1, applied: 1, duplicates: 1, ignored: 0 });
    expect(await feedbackState(h)).toEqual(before);
    expect(await consentLog(h, sent.contactId)).toHaveLength(1);
  });

  it('refuses a bad signature, another key, an unlisted topic and a certificate URL off amazonaws.com with 401, and changes nothing', async () => {
    const sent = await deliver(h, 'security-sign-in');
    const body = sesNotification(sent, 'Bounce', permanentBounce(sent));
    const before = await feedbackState(h);
    const fetchedBefore = fetched.length;

    const tampered = notification(body);
    tampered.Message = tampered.Message?.replace('5.1.1', '5.1.2') ?? '';
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const refused = [
      tampered,
      notification(body, { key: otherKey }),
      { ...notification(body), Signature: 'bm90IGEgc2lnbmF0dXJl' },
      snsMessage({
        Type: 'Notification',
        Message: body,
        TopicArn: 'arn:aws:sns:us-east-1:999999999999:someone-else',
      }),
    ];
    for (const message of refused) {
      const response = await postSns(message);
      expect(response.status, JSON.stringify(response.body)).toBe(401);
      expect(response.body.error.code).toBe('invalid_signature');
    }
    // Only the real certificate URL was fetched (once, then cached).
    expect(fetched.slice(fetchedBefore).every((u) => u === CERT_URL)).toBe(true);

    const countBefore = fetched.length;
    for (const certUrl of [
      'http://sns.us-east-1.amazonaws.com/SimpleNotificationService.pem',
      'https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService.pem',
      'https://evil.example/sns.us-east-1.amazonaws.com.pem',
      'https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService.pem',
      'https://user@sns.us-east-1.amazonaws.com/SimpleNotificationService.pem',
    ]) {
      const response = await postSns(
        snsMessage({ Type: 'Notification', Message: body, SigningCertURL: certUrl }),
      );
      expect(response.status).toBe(401);
      expect(response.body.error.message).toMatch(/SigningCertURL/);
    }
    expect(fetched.length).toBe(countBefore);

    const notJson = await postHook(url, '/hooks/ses', 'not json', { 'content-type': 'text/plain' });
    expect(notJson.status).toBe(401);

    expect(await feedbackState(h)).toEqual(before);
    expect(await nextMessage(h, 'security-sign-in', sent.email)).toEqual({ status: 'sent' });
  });

  it('confirms a subscription by fetching its SubscribeURL through the fetcher, and never one off amazonaws.com', async () => {
    const token =
      '2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736';
    const subscribeUrl = `${SUBSCRIBE_BASE}&TopicArn=${encodeURIComponent(TOPIC)}&Token=${token}`;
    const confirmation = snsMessage({
      Type: 'SubscriptionConfirmation',
      Token: token,
      Message: `You have chosen to subscribe to the topic ${TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
      SubscribeURL: subscribeUrl,
    });
    const response = await postSns(confirmation);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ confirmed: true });
    expect(fetched).toContain(subscribeUrl);

    const before = fetched.length;
    const elsewhere = snsMessage({
      Type: 'SubscriptionConfirmation',
      Token: token,
      Message: 'confirm',
      SubscribeURL: `https://collector.evil.example/?Token=${token}`,
    });
    const refused = await postSns(elsewhere);
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/SubscribeURL/);
    expect(fetched.length).toBe(before);
  });

  it('answers 400 to a verified message that is not an SES notification, and 200 to SES set-up notices', async () => {
    const before = await feedbackState(h);
    const notSes = await postSns(notification('hello'));
    expect(notSes.status).toBe(400);
    expect(notSes.body.error.message).toMatch(/not an Amazon SES notification/);
    const setUp = await postSns(
      notification(
        JSON.stringify({
          notificationType: 'AmazonSnsSubscriptionSucceeded',
          message: 'You have successfully subscribed',
        }),
      ),
    );
    expect(setUp.status).toBe(200);
    expect(setUp.body).toMatchObject({ applied: 0, ignored: 1 });
    expect(await feedbackState(h)).toEqual(before);
  });

  it('answers 401 webhook_not_configured for SendGrid, Postmark and Mailgun without their settings', async () => {
    for (const provider of ['sendgrid', 'postmark', 'mailgun']) {
      const response = await postHook(url, `/hooks/${provider}`, '[]');
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('webhook_not_configured');
    }
  });
});

import { verify } from 'node:crypto';
import { z } from 'zod';
import { DomainError } from '../core/domain-error.js';
import { isSnsUrl } from './is-sns-url.js';
import type { SnsCertificates } from './sns-certificates.js';

const SnsMessageSchema = z.looseObject({
  Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  MessageId: z.string().min(1),
  TopicArn: z.string().min(1),
  Message: z.string(),
  Timestamp: z.string().min(1),
  SignatureVersion: z.enum(['1', '2']),
  Signature: z.string().min(1),
  SigningCertURL: z.string(),
  Subject: z.string().nullish(),
  SubscribeURL: z.string().optional(),
  Token: z.string().optional(),
});
export type SnsMessage = z.output<typeof SnsMessageSchema>;

/** The fields SNS signs, in the order the string to sign lists them (AWS: "Verifying the signatures of Amazon SNS messages"). */
const SIGNED_FIELDS = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: [
    'Message',
    'MessageId',
    'SubscribeURL',
    'Timestamp',
    'Token',
    'TopicArn',
    'Type',
  ],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
} as const;

const refuse = (message: string) => new DomainError('invalid_signature', message);

/**
 * Authenticates an SNS message as AWS documents it: the body is SNS's JSON; SigningCertURL is https
 * on an SNS host (nothing else is fetched); the topic is one of `topicArns` when that list is set;
 * `Signature` is the SHA1withRSA (SignatureVersion 1) or SHA256withRSA (2) signature, by the
 * certificate's key, of the string made of each signed field's name and value, each followed by a
 * newline (Subject only when present). Anything else is refused with `invalid_signature` before any
 * state is read or changed. SNS repeats a message's Timestamp on every retry, for hours, so a
 * replayed message is not refused by age: its MessageId makes it apply once.
 */
export async function verifySnsMessage(
  raw: Buffer,
  options: { certificates: SnsCertificates; topicArns: ReadonlySet<string> | null },
): Promise<SnsMessage> {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw refuse('The body is not an SNS message (not JSON), so it carries no signature to verify.');
  }
  const parsed = SnsMessageSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw refuse(
      `The body is not a signed SNS message: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unreadable'}.`,
    );
  }
  const message = parsed.data;
  if (!isSnsUrl(message.SigningCertURL)) {
    throw refuse('SigningCertURL must be an https URL on an sns.<region>.amazonaws.com host.');
  }
  if (options.topicArns && !options.topicArns.has(message.TopicArn)) {
    throw refuse(`Topic ${message.TopicArn} is not in HERALD_SES_TOPIC_ARNS.`);
  }
  let signed = '';
  for (const field of SIGNED_FIELDS[message.Type]) {
    const value = message[field];
    if (typeof value === 'string') signed += `${field}\n${value}\n`;
    else if (field !== 'Subject') throw refuse(`A ${message.Type} message must carry ${field}.`);
  }
  const key = await options.certificates.publicKey(message.SigningCertURL);
  const digest = message.SignatureVersion === '1' ? 'sha1' : 'sha256';
  if (!verify(digest, Buffer.from(signed, 'utf8'), key, Buffer.from(message.Signature, 'base64'))) {
    throw refuse('The SNS message signature does not verify against its signing certificate.');
  }
  return message;
}

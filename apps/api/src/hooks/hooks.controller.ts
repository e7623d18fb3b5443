import { Body, Controller, Headers, HttpCode, Inject, Logger, Post, Res } from '@nestjs/common';
import type { ApiEnv } from '@herald/config';
import type { Db } from '@herald/db';
import type { FeedbackInput } from '@herald/preferences';
import type { Response } from 'express';
import type { KeyObject } from 'node:crypto';
import { DomainError } from '../core/domain-error.js';
import { API_ENV, PRISMA } from '../core/injection-tokens.js';
import { applyFeedback } from '../feedback/apply-feedback.js';
import { HTTPS_FETCHER, SNS_CERTIFICATES } from './hook-tokens.js';
import type { HttpsFetcher } from './https-fetcher.js';
import { isSnsUrl } from './is-sns-url.js';
import { mailgunFeedback } from './mailgun-feedback.js';
import { postmarkFeedback } from './postmark-feedback.js';
import { sendgridFeedback } from './sendgrid-feedback.js';
import { sendgridPublicKey } from './sendgrid-public-key.js';
import { sesFeedback } from './ses-feedback.js';
import type { SnsCertificates } from './sns-certificates.js';
import { verifyBasicAuth } from './verify-basic-auth.js';
import { verifyMailgunSignature } from './verify-mailgun-signature.js';
import { verifySendgridSignature } from './verify-sendgrid-signature.js';
import { verifySnsMessage } from './verify-sns-message.js';
import { PublicRoute } from '../core/require-scope.decorator.js';

/** What every webhook answers: events read, applied (duplicates included) and carrying no feedback. */
export interface HookAnswer {
  received: number;
  applied: number;
  duplicates: number;
  ignored: number;
}

const notConfigured = (provider: string, variable: string) =>
  new DomainError('webhook_not_configured', `${provider} webhooks are off: set ${variable} to accept them.`);

/**
 * Bounces, complaints and deliveries from the relays Herald sends through. Each route
 * authenticates the provider's way before it reads anything else (401 `invalid_signature`, or
 * `webhook_not_configured` without its setting), then maps the events to feedback and applies them
 * in one call (`applyFeedback`: the same effects as a DSN or ARF report), and answers 200 at once,
 * as providers retry anything else. A body that is authentic but not the provider's shape is 400.
 * The body is the raw bytes (`readHookBody`, mounted on /hooks in create-api-app.ts).
 */
@PublicRoute()
@Controller('hooks')
export class HooksController {
  private readonly logger = new Logger('HooksController');
  private readonly topicArns: ReadonlySet<string> | null;
  /** HERALD_SENDGRID_PUBLIC_KEY's key, read once; null when unset or not an EC public key. */
  private readonly sendgridKey: KeyObject | null;

  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @Inject(API_ENV) private readonly env: ApiEnv,
    @Inject(SNS_CERTIFICATES) private readonly certificates: SnsCertificates,
    @Inject(HTTPS_FETCHER) private readonly fetch: HttpsFetcher,
  ) {
    const arns = (env.HERALD_SES_TOPIC_ARNS ?? '')
      .split(',')
      .map((arn) => arn.trim())
      .filter(Boolean);
    this.topicArns = arns.length > 0 ? new Set(arns) : null;
    this.sendgridKey = env.HERALD_SENDGRID_PUBLIC_KEY
      ? sendgridPublicKey(env.HERALD_SENDGRID_PUBLIC_KEY)
      : null;
    if (env.HERALD_SENDGRID_PUBLIC_KEY && !this.sendgridKey) {
      this.logger.error(
        'HERALD_SENDGRID_PUBLIC_KEY is not an ECDSA public key: SendGrid events are refused.',
      );
    }
  }

  /** Amazon SES notifications through an SNS HTTPS subscription (and its confirmation). */
  @Post('ses')
  @HttpCode(200)
  async ses(@Body() body: unknown): Promise<HookAnswer | { confirmed: boolean }> {
    const message = await verifySnsMessage(raw(body), {
      certificates: this.certificates,
      topicArns: this.topicArns,
    });
    if (message.Type === 'SubscriptionConfirmation') {
      if (!isSnsUrl(message.SubscribeURL)) {
        throw new DomainError(
          'invalid_signature',
          'SubscribeURL must be an https URL on an sns.<region>.amazonaws.com host.',
        );
      }
      // A failure here is answered 500, so SNS sends the confirmation again later.
      await this.fetch(message.SubscribeURL);
      this.logger.log(`confirmed the SNS subscription to ${message.TopicArn}`);
      return { confirmed: true };
    }
    if (message.Type === 'UnsubscribeConfirmation') {
      this.logger.warn(`SNS unsubscribed this endpoint from ${message.TopicArn}`);
      return { received: 0, applied: 0, duplicates: 0, ignored: 0 };
    }
    const inputs = sesFeedback(message, this.env.MAIL_DOMAIN);
    return this.apply(inputs, inputs.length === 0 ? 1 : 0);
  }

  /** SendGrid's Signed Event Webhook: a batch of events per POST, applied in one call. */
  @Post('sendgrid')
  @HttpCode(200)
  async sendgrid(
    @Body() body: unknown,
    @Headers('x-twilio-email-event-webhook-signature') signature: string | undefined,
    @Headers('x-twilio-email-event-webhook-timestamp') timestamp: string | undefined,
  ): Promise<HookAnswer> {
    if (!this.env.HERALD_SENDGRID_PUBLIC_KEY) throw notConfigured('SendGrid', 'HERALD_SENDGRID_PUBLIC_KEY');
    const key = this.sendgridKey;
    if (!key) {
      throw new DomainError(
        'webhook_not_configured',
        'HERALD_SENDGRID_PUBLIC_KEY is not an ECDSA public key (base64 DER, as SendGrid shows it).',
      );
    }
    const bytes = raw(body);
    verifySendgridSignature(bytes, { signature, timestamp }, key);
    const { inputs, ignored } = sendgridFeedback(
      json(bytes, 'SendGrid Event Webhook batch'),
      this.env.MAIL_DOMAIN,
    );
    return this.apply(inputs, ignored);
  }

  /** Postmark's Bounce, SpamComplaint and Delivery webhooks, behind basic auth. */
  @Post('postmark')
  @HttpCode(200)
  async postmark(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<HookAnswer> {
    if (!this.env.HERALD_POSTMARK_WEBHOOK_AUTH)
      throw notConfigured('Postmark', 'HERALD_POSTMARK_WEBHOOK_AUTH');
    try {
      verifyBasicAuth(authorization, this.env.HERALD_POSTMARK_WEBHOOK_AUTH);
    } catch (error) {
      response.setHeader('www-authenticate', 'Basic realm="herald-hooks", charset="UTF-8"');
      throw error;
    }
    const inputs = postmarkFeedback(json(raw(body), 'Postmark webhook record'), this.env.MAIL_DOMAIN);
    return this.apply(inputs, inputs.length === 0 ? 1 : 0);
  }

  /** Mailgun's webhooks (JSON, signed in the body). */
  @Post('mailgun')
  @HttpCode(200)
  async mailgun(@Body() body: unknown): Promise<HookAnswer> {
    if (!this.env.HERALD_MAILGUN_SIGNING_KEY) throw notConfigured('Mailgun', 'HERALD_MAILGUN_SIGNING_KEY');
    let payload: unknown;
    try {
      payload = JSON.parse(raw(body).toString('utf8'));
    } catch {
      throw new DomainError(
        'invalid_signature',
        'The body is not JSON, so it carries no Mailgun signature to verify.',
      );
    }
    verifyMailgunSignature(payload, this.env.HERALD_MAILGUN_SIGNING_KEY);
    const inputs = mailgunFeedback(payload, this.env.MAIL_DOMAIN);
    return this.apply(inputs, inputs.length === 0 ? 1 : 0);
  }

  private async apply(inputs: FeedbackInput[], ignored: number): Promise<HookAnswer> {
    if (inputs.length === 0) return { received: ignored, applied: 0, duplicates: 0, ignored };
    const results = await applyFeedback(this.db, this.env, inputs);
    return {
      received: inputs.length + ignored,
      applied: inputs.length,
      duplicates: results.filter((result) => result.effect === 'duplicate').length,
      ignored,
    };
  }
}

/** The raw body readHookBody kept; an empty body when none was sent. */
function raw(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

function json(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new DomainError('invalid_request', `The body is not JSON, so it is not a ${what}.`);
  }
}

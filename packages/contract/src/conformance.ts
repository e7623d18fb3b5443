import { z } from 'zod';
import { BoundSchema } from './audit-log.js';

/** GET /v1/reports/conformance: the period [from, to) the report covers (dates are UTC days, `to` inclusive). */
export const ConformanceQuerySchema = z
  .strictObject({
    from: BoundSchema(false),
    to: BoundSchema(true),
  })
  .refine((query) => query.from < query.to, { message: '"from" must be before "to"', path: ['from'] })
  .refine((query) => query.to.getTime() - query.from.getTime() <= 400 * 24 * 3600 * 1000, {
    message: 'a report covers at most 400 days',
    path: ['to'],
  });
export type ConformanceQuery = z.output<typeof ConformanceQuerySchema>;

/** The channels an opt-out comes through, as the report names them. */
export const OPT_OUT_CHANNELS = [
  'one-click',
  'unsubscribe-page',
  'preference-center',
  'account-page',
  'mailto',
  'support',
  'api',
  'complaint',
  'import',
] as const;
export type OptOutChannel = (typeof OPT_OUT_CHANNELS)[number];

/** A promotional message whose SMTP transaction started while an opt-out covering it stood. */
export interface MessageAfterOptOut {
  messageId: string;
  category: string;
  status: string;
  sendStartedAt: string;
}

export interface ConformanceReport {
  period: { from: string; to: string };
  generatedAt: string;
  /** Promise 1: every opt-out takes effect, and no promotional message starts after it. */
  optOuts: {
    total: number;
    /** Promotional messages whose SMTP transaction started after an opt-out that covered them: the promise is 0. */
    messagesAfter: number;
    byChannel: {
      channel: OptOutChannel;
      optOuts: number;
      /**
       * How long from the request to its effect. `measured`: from the report's arrival to the
       * suppression (complaints), or from the request's arrival (the HTTP request, the unsubscribe
       * mail's DATA) to the opt-out's consent-log row, written in that request's own transaction;
       * over the opt-outs `matched` (those whose arrival was recorded). `same-transaction`: none of
       * the channel's opt-outs recorded its arrival (written before requested_at existed, or by a
       * writer that does not know it); the request itself wrote the opt-out and its row together.
       */
      effect:
        | { kind: 'same-transaction' }
        | { kind: 'measured'; matched: number; medianMs: number | null; maxMs: number | null };
      messagesAfter: number;
    }[];
    /** Each opt-out a message started after (at most 100), with those messages. */
    breaches: {
      consentLogId: string;
      contactId: string;
      channel: OptOutChannel;
      category: string | null;
      occurredAt: string;
      messages: MessageAfterOptOut[];
    }[];
  };
  /** Promise 2: opt-outs never stop required transactional mail; only an undeliverable address does. */
  requiredMail: {
    created: number;
    sent: number;
    notSent: number;
    /** Not sent because the address cannot take mail (bounced, none, suppressed for bouncing). */
    undeliverable: number;
    /** Not sent for any other reason: the promise is 0. */
    otherwise: number;
    byReason: { status: string; reason: string; messages: number; undeliverable: boolean }[];
    /** The messages not sent otherwise (at most 100). */
    breaches: {
      messageId: string;
      category: string;
      status: string;
      reason: string | null;
      createdAt: string;
    }[];
  };
  /** Every campaign that sent in the period, against the complaint and bounce limits. */
  campaigns: {
    id: string;
    name: string;
    status: string;
    left: number;
    complaints: number;
    complaintRate: number;
    bounces: number;
    bounceRate: number;
    overComplaintLimit: boolean;
    overBounceLimit: boolean;
  }[];
  limits: {
    complaintRate: number;
    bounceRate: number;
    guardrailMinSent: number;
    mailboxProviderComplaintRate: number;
  };
  /** Promise 3: everyone with an address is emailed about a policy change before it takes effect. */
  policies: {
    id: string;
    version: string;
    title: string;
    effectiveAt: string;
    announcedAt: string | null;
    requiredNoticeDays: number;
    noticeDays: number | null;
    overrideReason: string | null;
    /** When the last reachable contact's email was delivered; null while some are undelivered. */
    everyoneEmailedAt: string | null;
    reachable: number;
    deliveredBeforeEffective: number;
    /** deliveredBeforeEffective / reachable at the effective date (1 when nobody was reachable). */
    coverageAtEffective: number | null;
    inAppOnly: number;
    notifiedBeforeEffective: boolean;
  }[];
  /**
   * Ed25519 over the UTF-8 of JSON.stringify of this report without `signature` (its fields in the
   * order sent), with the key /.well-known/herald-evidence-key publishes: a saved copy can be
   * checked later (npm run verify-evidence-pack -- report.json).
   */
  signature?: { keyId: string; algorithm: 'Ed25519'; value: string };
}

import { z } from 'zod';
import { EmailSchema, IdSchema } from './common.js';

/**
 * A bounce or complaint learned from a source without a webhook of its own (POST /v1/feedback):
 * the same effects as a report through the inbound listener or a provider webhook. `bounce` says
 * whether the address is dead (`hard`, suppressed at once) or the failure may clear up (`soft`,
 * suppressed after HERALD_SOFT_BOUNCE_LIMIT in a row); without it the RFC 3463 `status` (or a
 * reply quoted in `detail`) decides as for a bounce report (5.1.x hard; 4.x.x, 5.2.2, 5.3.x, 5.4.x
 * and other permanent failures soft), and a bounce that names no failure is hard. A 5.7.x status is
 * a refusal of the sender and never suppresses. A complaint suppresses promotional mail only.
 */
export const ReportFeedbackSchema = z
  .strictObject({
    type: z.enum(['bounce', 'complaint'], { error: 'must be "bounce" or "complaint"' }),
    /** Herald's id of the message the report is about. */
    messageId: IdSchema.optional(),
    /** The recipient address; enough alone (then the address is suppressed without a message). */
    email: EmailSchema.optional(),
    bounce: z.enum(['hard', 'soft'], { error: 'must be "hard" or "soft"' }).optional(),
    status: z
      .string()
      .regex(/^[245]\.\d{1,3}\.\d{1,3}$/, 'must be an RFC 3463 status such as "5.1.1"')
      .optional(),
    /** The diagnostic text, kept (shortened to 500 characters) with the report. */
    detail: z.string().max(2000).optional(),
  })
  .refine((body) => body.messageId !== undefined || body.email !== undefined, {
    message: 'name the message ("messageId") or the address ("email"), or both',
    path: ['messageId'],
  })
  .refine((body) => body.type === 'bounce' || body.bounce === undefined, {
    message: '"bounce" applies to type "bounce" only',
    path: ['bounce'],
  });
export type ReportFeedbackInput = z.output<typeof ReportFeedbackSchema>;

/** The answer to POST /v1/feedback: the kept report, whether it named a known message, and what it changed. */
export interface FeedbackReportView {
  id: string;
  matched: boolean;
  /** suppressed | soft-bounce-counted | soft-bounce-limit | bounced | recorded | none | duplicate */
  effect: string;
}

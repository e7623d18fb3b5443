import type { Db } from '@herald/db';
import type { FeedbackInput, FeedbackResult, SigningKey } from '@herald/preferences';
import { applyFeedback } from '../feedback/apply-feedback.js';
import { coalesceCalls } from '../core/coalesce-calls.js';
import { createReportParser } from './report-parser.js';
import { reportToFeedback } from './report-to-feedback.js';

type FeedbackEnv = Parameters<typeof applyFeedback>[1];

/** A report names one message; one mail to more bounce+ addresses than this is not a report. */
const MAX_MESSAGES_PER_REPORT = 5;
/**
 * Mails whose reports share a transaction at most: at 5 messages of 21 recipient groups each, well
 * within the 10,000 inputs recordFeedback takes at once.
 */
const MAX_MAILS_PER_TRANSACTION = 90;

export type ReportRecipient = { kind: 'bounce'; messageId: string } | { kind: 'feedback-loop' };

/**
 * Receives the reports that came to the listener: parses each mail once, matches it to the
 * message it is about, and applies it through `applyFeedback`. Reports that arrive on concurrent SMTP
 * connections while earlier ones commit share the next `applyFeedback` call (one transaction),
 * which is what lets a relay's bounce storm through at hundreds a second. Resolves once the report is
 * committed, so the SMTP reply can promise it is kept; rejects only when the database failed, and
 * the caller answers 451 so the sender tries again. A mail that cannot be parsed is still kept.
 */
export function createReportReceiver({
  db,
  env,
  keys,
  mailDomain,
  log,
}: {
  db: Db;
  env: FeedbackEnv;
  keys: SigningKey[];
  mailDomain: string;
  log?: (line: string) => void;
}): (raw: Buffer, recipients: ReportRecipient[]) => Promise<FeedbackResult[]> {
  const parseReportMail = createReportParser({ log });
  // One transaction at a time, for the reports of every mail that arrived while the previous one
  // committed: in a storm each carries dozens, where concurrent ones would each carry a few and pay
  // the same dozen statements apiece.
  const apply = coalesceCalls<FeedbackInput[], FeedbackResult[]>(
    async (batches) => {
      const results = await applyFeedback(db, env, batches.flat());
      let offset = 0;
      return batches.map((inputs) => results.slice(offset, (offset += inputs.length)));
    },
    { concurrency: 1, maxBatch: MAX_MAILS_PER_TRANSACTION },
  );

  return async (raw, recipients) => {
    const report = await parseReportMail(raw);
    // A report to both a bounce+ address and the feedback-loop address is one report: the signed
    // token names its message, so the copy to the feedback-loop address adds nothing.
    const bounces = recipients.flatMap((recipient) =>
      recipient.kind === 'bounce' ? [recipient.messageId] : [],
    );
    const tokenMessageIds =
      bounces.length > 0 ? [...new Set(bounces)].slice(0, MAX_MESSAGES_PER_REPORT) : [null];
    const inputs = tokenMessageIds.flatMap((tokenMessageId) =>
      reportToFeedback(report, { tokenMessageId, mailDomain, keys }),
    );
    const results = await apply(inputs);
    const to = bounces.length > 0 ? 'bounce+' : 'feedback-loop';
    log?.(
      `report to ${to}: ${report.type}; ${results
        .map((result, index) =>
          `${inputs[index]?.kind} ${inputs[index]?.status ?? ''} → ${result.matched ? `message ${result.messageId}` : 'unmatched'}, ${result.effect}`.replace(
            / {2,}/g,
            ' ',
          ),
        )
        .join('; ')}`,
    );
    return results;
  };
}

import { classifySmtpReply } from '../delivery/classify-smtp-reply.js';

/** What a report of a failed delivery means for the address (decision 013's table). */
export type ReportedFailureKind = 'hard-bounce' | 'soft-bounce' | 'blocked';

const ENHANCED_STATUS = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;
const REPLY_CODE = /(?:^|[\s;:])([245]\d\d)(?=[\s-]|$)/;

/**
 * Classifies a failure that a report names after the send (a DSN's `Status` and `Diagnostic-Code`,
 * a provider's bounce code) with the same rules as a reply read during the send
 * (`classifySmtpReply`), so an address is judged alike whichever way its failure came back:
 *
 * - `hard-bounce`: 5.1.x (and 5.5.x or a bare 550/551/553 the report places at RCPT);
 * - `soft-bounce`: 4.x.x, 5.2.2, 5.3.x, 5.4.x, and any other permanent failure that is about neither
 *   the address nor the sender (5.0.0, 5.2.1, 5.6.x, a 5.5.x of unknown stage). Such a failure says
 *   this message could not be delivered, not that the address is dead, so one report never
 *   suppresses it; counted as a soft bounce, an address that fails every time is suppressed after
 *   `HERALD_SOFT_BOUNCE_LIMIT` in a row with no delivery in between;
 * - `blocked`: 5.7.x and authentication refusals (530, 534, 535, 538): the receiver refused the
 *   sender, and suppressing the address would punish it for the sender's reputation.
 *
 * `status` is the RFC 3463 code ("5.1.1"), found anywhere in the text; `diagnostic` is the remote
 * server's reply ("smtp; 550 5.1.1 <a@b>: unknown user"), which supplies the reply code and, when
 * `status` has none, the enhanced code. Answers null when neither says the delivery failed (no
 * code at all, or a 2.x.x success): such a report is recorded and changes nothing.
 */
export function classifyReportStatus({
  status,
  code,
  diagnostic,
  stage,
}: {
  status?: string | null;
  /** The SMTP reply code, when the report gives it apart from the diagnostic text. */
  code?: number | null;
  diagnostic?: string | null;
  /** Where the remote server refused, when the report says so (most do not). */
  stage?: 'rcpt' | 'data';
}): ReportedFailureKind | null {
  const enhanced = ENHANCED_STATUS.exec(status ?? '') ?? ENHANCED_STATUS.exec(diagnostic ?? '');
  const replyCode = code ?? Number(REPLY_CODE.exec(diagnostic ?? '')?.[1] ?? Number.NaN);
  const hasReplyCode = Number.isInteger(replyCode) && replyCode >= 200 && replyCode < 600;
  if (!enhanced && !hasReplyCode) return null;
  const statusClass = enhanced ? Number(enhanced[1]) : Math.floor(replyCode / 100);
  if (statusClass === 2) return null;
  // Without a reply code the status's class stands for it: 4.x.x is a 4xx reply, 5.x.x a 5xx one.
  const smtpCode =
    hasReplyCode && Math.floor(replyCode / 100) === statusClass ? replyCode : statusClass * 100 + 50;
  const kind = classifySmtpReply({
    code: smtpCode,
    ...(enhanced && { enhanced: `${enhanced[1]}.${enhanced[2]}.${enhanced[3]}` }),
    ...(stage && { stage }),
  });
  if (kind === 'hard-bounce' || kind === 'blocked') return kind;
  return 'soft-bounce';
}

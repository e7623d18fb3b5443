import {
  parseBounceAddress,
  verifyBounceToken,
  type FeedbackInput,
  type FeedbackKind,
  type SigningKey,
} from '@herald/preferences';
import { classifyReportStatus } from '../feedback/classify-report-status.js';
import type { DeliveryStatusRecipient, ParsedReportMail } from '../feedback/parse-report-mail.js';
import type { ReturnedHeaders } from '../feedback/parse-returned-headers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ENHANCED_STATUS = /^[245]\.\d{1,3}\.\d{1,3}$/;
/** Feedback types a person's complaint is sent as (RFC 5965 section 7.3); not-spam and auth-failure are not. */
const COMPLAINT_TYPES = new Set(['abuse', 'fraud', 'virus', 'other']);

/**
 * Turns a report that came to the inbound listener into the inputs of `applyFeedback`: one per
 * recipient group of a DSN, one for a complaint, one `unparsed` for anything else.
 *
 * The message is found by the signed VERP token of the address the report came to, else by what
 * the report quotes of it: `X-Herald-Message-Id`, the `bounce+` envelope sender (`Return-Path` of
 * the returned headers, `Original-Mail-From` of a complaint), its `Message-ID` `<{id}@MAIL_DOMAIN>`.
 * Never by an address alone: anyone can send mail to the feedback-loop address, so an address a
 * report names must not suppress anybody unless the report also names the message (a signed token
 * or a random message id, which only the message's recipients have seen).
 */
export function reportToFeedback(
  report: ParsedReportMail,
  {
    tokenMessageId,
    mailDomain,
    keys,
  }: { tokenMessageId: string | null; mailDomain: string; keys: SigningKey[] },
): FeedbackInput[] {
  const messageId =
    tokenMessageId ??
    quotedMessageId(report.returned, report.type === 'feedback-report' ? report.originalMailFrom : null, {
      mailDomain,
      keys,
    });
  const input = (kind: FeedbackKind, status: string | null, detail: string | null): FeedbackInput => ({
    channel: 'inbound-smtp',
    kind,
    messageId,
    status,
    detail,
  });

  if (report.type === 'delivery-status') {
    if (report.recipients.length === 0)
      return [input('unparsed', null, 'delivery status without a recipient')];
    return report.recipients.map((recipient) => {
      const kind = deliveryStatusKind(recipient);
      const detail = [
        `Action: ${recipient.action ?? '(none)'}`,
        recipient.diagnosticCode && `Diagnostic-Code: ${recipient.diagnosticCode}`,
        report.reportingMta && `Reporting-MTA: ${report.reportingMta}`,
      ]
        .filter(Boolean)
        .join('; ');
      return input(
        kind,
        recipient.status,
        kind === 'unparsed' ? `malformed delivery status: ${detail}` : detail,
      );
    });
  }
  if (report.type === 'feedback-report') {
    const detail = `Feedback-Type: ${report.feedbackType ?? '(none)'}${report.userAgent ? `; User-Agent: ${report.userAgent}` : ''}`;
    const isComplaint = report.feedbackType !== null && COMPLAINT_TYPES.has(report.feedbackType);
    return [input(isComplaint ? 'complaint' : 'unparsed', report.feedbackType, detail)];
  }
  return [input('unparsed', null, report.reason)];
}

/**
 * A DSN recipient's kind: `delayed` is a soft bounce, `delivered` (or `expanded` to a list) a
 * delivery, `failed` as its Status says. A group without a valid Status (RFC 3464 requires one),
 * or that says `relayed` (handed to a system that reports nothing further), changes nothing.
 */
function deliveryStatusKind({ action, status, diagnosticCode }: DeliveryStatusRecipient): FeedbackKind {
  if (!status || !ENHANCED_STATUS.test(status)) return 'unparsed';
  if (action === 'delayed') return 'soft-bounce';
  if (action === 'delivered' || action === 'expanded')
    return status.startsWith('2.') ? 'delivery' : 'unparsed';
  if (action === 'failed') return classifyReportStatus({ status, diagnostic: diagnosticCode }) ?? 'unparsed';
  return 'unparsed';
}

function quotedMessageId(
  returned: ReturnedHeaders | null,
  originalMailFrom: string | null,
  { mailDomain, keys }: { mailDomain: string; keys: SigningKey[] },
): string | null {
  const heraldId = returned?.heraldMessageId?.trim();
  if (heraldId && UUID.test(heraldId)) return heraldId.toLowerCase();
  for (const sender of [returned?.returnPath, originalMailFrom]) {
    const token = sender ? parseBounceAddress(sender, mailDomain) : null;
    const verified = token ? verifyBounceToken(token, keys) : null;
    if (verified?.ok) return verified.payload.messageId;
  }
  const [, id, domain] = /^<?([^@<>\s]+)@([^>\s]+)>?$/.exec(returned?.messageId ?? '') ?? [];
  if (id && UUID.test(id) && domain?.toLowerCase() === mailDomain.toLowerCase()) return id.toLowerCase();
  return null;
}

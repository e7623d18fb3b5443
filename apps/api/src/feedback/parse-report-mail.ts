import { simpleParser, type Attachment } from 'mailparser';
import { parseReportFields, type ReportFields } from './parse-report-fields.js';
import { parseReturnedHeaders, type ReturnedHeaders } from './parse-returned-headers.js';

/**
 * One per-recipient group of a delivery status notification (RFC 3464 section 2.3). Its
 * `Final-Recipient` is not kept: the listener matches a report by the message it names, never by
 * an address (see report-to-feedback.ts).
 */
export interface DeliveryStatusRecipient {
  /** `Action`, lower-cased: failed, delayed, delivered, relayed or expanded. */
  action: string | null;
  /** `Status`: the RFC 3463 code, "5.1.1". */
  status: string | null;
  /** `Diagnostic-Code`: the remote server's reply, "smtp; 550 5.1.1 <a@b.example>: unknown user". */
  diagnosticCode: string | null;
}

export type ParsedReportMail =
  | {
      type: 'delivery-status';
      reportingMta: string | null;
      recipients: DeliveryStatusRecipient[];
      returned: ReturnedHeaders | null;
    }
  | {
      type: 'feedback-report';
      /** `Feedback-Type`, lower-cased: abuse, fraud, virus, other, not-spam, auth-failure, … */
      feedbackType: string | null;
      userAgent: string | null;
      /** `Original-Mail-From`: the envelope sender of the reported message, Herald's `bounce+…`. */
      originalMailFrom: string | null;
      returned: ReturnedHeaders | null;
    }
  | { type: 'not-a-report'; reason: string; returned: ReturnedHeaders | null };

const DELIVERY_STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const FEEDBACK_REPORT_TYPE = 'message/feedback-report';
const RETURNED_TYPES = new Set([
  'message/rfc822',
  'message/global',
  'text/rfc822-headers',
  'message/rfc822-headers',
  'message/global-headers',
]);

/**
 * Reads a mail that came to the inbound listener as a report: a delivery status notification
 * (RFC 3464, `multipart/report; report-type=delivery-status`) or a feedback-loop complaint
 * (RFC 5965, `report-type=feedback-report`), with the headers of the message it returns. The MIME
 * structure is mailparser's: a report is recognised by its machine-readable part, whatever the
 * `report-type` parameter says, as some mail systems leave it out. Never throws: a mail that is not
 * a report, or that cannot be parsed at all, is `not-a-report` with the reason.
 */
export async function parseReportMail(raw: Buffer): Promise<ParsedReportMail> {
  try {
    if (raw.length === 0) return { type: 'not-a-report', reason: 'empty message', returned: null };
    const mail = await simpleParser(raw, {
      keepDeliveryStatus: true,
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipImageLinks: true,
      checksumAlgo: false,
      ignoreEmbedded: true,
    });
    const partOf = (types: Set<string>) => mail.attachments.find((part) => types.has(part.contentType));
    const returnedPart = partOf(RETURNED_TYPES);
    const returned = returnedPart ? parseReturnedHeaders(returnedPart.content) : null;

    const feedback = partOf(new Set([FEEDBACK_REPORT_TYPE]));
    if (feedback) {
      const [fields = new Map<string, string>()] = parseReportFields(text(feedback));
      return {
        type: 'feedback-report',
        feedbackType: fields.get('feedback-type')?.toLowerCase() ?? null,
        userAgent: fields.get('user-agent') ?? null,
        originalMailFrom: fields.get('original-mail-from') ?? null,
        returned,
      };
    }
    const deliveryStatus = partOf(DELIVERY_STATUS_TYPES);
    if (deliveryStatus) {
      const [perMessage, ...perRecipient] = parseReportFields(text(deliveryStatus));
      return {
        type: 'delivery-status',
        reportingMta: perMessage?.get('reporting-mta') ?? null,
        recipients: perRecipient.map(toRecipient),
        returned,
      };
    }
    const contentType = mail.headers.get('content-type') as { value?: string } | undefined;
    return { type: 'not-a-report', reason: `not a report (${contentType?.value ?? 'text/plain'})`, returned };
  } catch (error) {
    return { type: 'not-a-report', reason: `unreadable MIME: ${(error as Error).message}`, returned: null };
  }
}

function text(part: Attachment): string {
  return part.content.toString('utf8');
}

function toRecipient(fields: ReportFields): DeliveryStatusRecipient {
  return {
    action: fields.get('action')?.toLowerCase() ?? null,
    status: fields.get('status') ?? null,
    diagnosticCode: fields.get('diagnostic-code') ?? null,
  };
}

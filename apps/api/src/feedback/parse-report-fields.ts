import { simpleParser, type HeaderValue } from 'mailparser';

/** One group of a report's fields, by lower-case name ("final-recipient" → "rfc822; a@b.example"). */
export type ReportFields = Map<string, string>;

/** Groups past this many are dropped: a report is about one message, and so one recipient. */
const MAX_GROUPS = 20;

/**
 * The body of a `message/delivery-status` part (RFC 3464: the per-message fields, then one group
 * per recipient, separated by blank lines) or of a `message/feedback-report` part (RFC 5965: one
 * group). The groups are split on their blank lines; each is read by mailparser's header parser,
 * which unfolds continuation lines and decodes encoded words as in any header block.
 */
export async function parseReportFields(body: string): Promise<ReportFields[]> {
  const groups = body
    .split(/\r?\n[ \t]*\r?\n/)
    .map((group) => group.trim())
    .filter(Boolean)
    .slice(0, MAX_GROUPS + 1);
  return Promise.all(
    groups.map(async (group) => {
      const parsed = await simpleParser(`${group}\r\n\r\n`, { skipHtmlToText: true, skipTextToHtml: true });
      const fields: ReportFields = new Map();
      for (const [name, value] of parsed.headers) {
        const text = headerText(value);
        if (text !== null) fields.set(name, text);
      }
      return fields;
    }),
  );
}

/** A parsed header value as the text it was written with (the first, when the field is repeated). */
export function headerText(value: HeaderValue | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined || first === null) return null;
  if (typeof first === 'string') return first.trim();
  if (first instanceof Date) return first.toISOString();
  if ('text' in first && typeof first.text === 'string') return first.text.trim();
  if ('value' in first && typeof first.value === 'string') return first.value.trim();
  return null;
}

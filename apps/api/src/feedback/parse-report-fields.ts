import libmime from 'libmime';

/** One group of a report's fields, by lower-case name ("final-recipient" → "rfc822; a@b.example"). */
export type ReportFields = Map<string, string>;

/** Groups past this many are dropped: a report is about one message, and so one recipient. */
const MAX_GROUPS = 20;

/**
 * The body of a `message/delivery-status` part (RFC 3464: the per-message fields, then one group
 * per recipient, separated by blank lines), of a `message/feedback-report` part (RFC 5965: one
 * group), or the header block of a returned message. Each group is read by libmime's header
 * decoder, the one mailparser reads headers with: continuation lines unfolded, encoded words
 * decoded; a field given twice keeps its first value. A simpleParser run per group would cost
 * forty times as much, for the same result.
 */
export function parseReportFields(body: string): ReportFields[] {
  return body
    .split(/\r?\n[ \t]*\r?\n/)
    .filter((group) => group.trim())
    .slice(0, MAX_GROUPS + 1)
    .map((group) => {
      const fields: ReportFields = new Map();
      for (const [name, values] of Object.entries(libmime.decodeHeaders(group.replace(/^\s+/, '')))) {
        const [first] = values;
        if (first !== undefined) fields.set(name, decodeWords(first).trim());
      }
      return fields;
    });
}

function decodeWords(value: string): string {
  if (!value.includes('=?')) return value;
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

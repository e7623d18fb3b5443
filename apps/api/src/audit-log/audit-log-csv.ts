import { AUDIT_LOG_CSV_COLUMNS, type AuditLogEntryView } from '@herald/contract';

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A value a spreadsheet
 * would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe: an audit export is
 * opened in spreadsheets, and its actors and reasons are text people typed.
 */
export function csvField(value: unknown): string {
  let text =
    value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const auditCsvHeader = () => `${AUDIT_LOG_CSV_COLUMNS.join(',')}\r\n`;

export const auditCsvLine = (entry: AuditLogEntryView) =>
  `${AUDIT_LOG_CSV_COLUMNS.map((column) => csvField(entry[column])).join(',')}\r\n`;

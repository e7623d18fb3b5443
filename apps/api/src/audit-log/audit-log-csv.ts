import { AUDIT_LOG_CSV_COLUMNS, type AuditLogEntryView } from '@herald/contract';
import { csvLine } from '../core/csv.js';

export const auditCsvLine = (entry: AuditLogEntryView) =>
  csvLine(AUDIT_LOG_CSV_COLUMNS.map((column) => entry[column]));

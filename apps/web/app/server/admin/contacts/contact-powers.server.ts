import type { ConsolePower } from '../require-admin.server';

/**
 * Who may open the support console's contact pages (search, a contact, its export): they show
 * people's personal data, so the roles that work with it (support and owner, through contacts:write)
 * and the read-only auditor role (viewer, through audit), not every role that has contacts:read
 * (a marketer has it for audiences, an operator for the suppression list).
 */
export const READ_CONTACTS: ConsolePower = { scope: ['contacts:write', 'audit'], change: false };

/** Changing a contact (preferences with a reason, unsuppress, erase): support and owner. */
export const CHANGE_CONTACTS: ConsolePower = { scope: 'contacts:write', change: true };

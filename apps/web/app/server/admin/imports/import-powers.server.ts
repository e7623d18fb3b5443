import type { ConsolePower } from '../require-admin.server';

/** Imports write contacts and their consent: the roles with contacts:write (owner, support), as Forms. */
export const READ_IMPORTS: ConsolePower = { scope: 'contacts:write', change: false };
export const RUN_IMPORTS: ConsolePower = { scope: 'contacts:write', change: true };

import { READ_CONTACTS } from './contacts/contact-powers.server';
import { can, type ConsolePower, type SignedInAdmin } from './require-admin.server';

/** The console's sections in menu order, with the power each needs to be read. */
const SECTIONS: { to: string; label: string; power: ConsolePower }[] = [
  { to: '/admin/campaigns', label: 'Campaigns', power: { scope: 'campaigns', change: false } },
  { to: '/admin/policies', label: 'Policies', power: { scope: 'policies', change: false } },
  { to: '/admin/templates', label: 'Templates', power: { scope: 'templates', change: false } },
  { to: '/admin/contacts', label: 'Contacts', power: READ_CONTACTS },
  { to: '/admin/suppressions', label: 'Suppressions', power: { scope: 'contacts:read', change: false } },
  { to: '/admin/forms', label: 'Forms', power: { scope: 'contacts:write', change: false } },
  { to: '/admin/imports', label: 'Imports', power: { scope: 'contacts:write', change: false } },
  { to: '/admin/team', label: 'Team', power: { scope: 'admin', change: true } },
  { to: '/admin/keys', label: 'API keys', power: { scope: 'admin', change: true } },
  { to: '/admin/webhooks', label: 'Webhooks', power: { scope: 'admin', change: true } },
  { to: '/admin/audit', label: 'Audit log', power: { scope: 'audit', change: false } },
  { to: '/admin/conformance', label: 'Conformance', power: { scope: 'audit', change: false } },
];

/** The sections this person's role may read: the menu shows only these, and the console opens on the first. */
export function consoleSections(admin: Pick<SignedInAdmin, 'role'>): { to: string; label: string }[] {
  return SECTIONS.filter((section) => can(admin, section.power)).map(({ to, label }) => ({ to, label }));
}

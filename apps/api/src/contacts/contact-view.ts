import type { ContactView } from '@herald/contract';
import type { Contact } from '@herald/db';

export function toContactView(contact: Contact): ContactView {
  return {
    id: contact.id,
    email: contact.email,
    name: contact.name,
    locale: contact.locale,
    timezone: contact.timezone,
    externalId: contact.externalId,
    attributes: contact.attributes,
    erased: contact.erasedAt !== null,
    createdAt: contact.createdAt.toISOString(),
    updatedAt: contact.updatedAt.toISOString(),
  };
}

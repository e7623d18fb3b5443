import type { Contact } from '@herald/db';

export interface ContactView {
  id: string;
  email: string | null;
  name: string | null;
  locale: string;
  timezone: string;
  externalId: string | null;
  attributes: unknown;
  erased: boolean;
  createdAt: string;
  updatedAt: string;
}

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

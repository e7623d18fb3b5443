import {
  IdSchema,
  type ContactView,
  type MessageView,
  type NoticeView,
  type SuppressionList,
} from '@herald/contract';
import { data } from '@remix-run/node';
import { readApiAs } from '../api-client.server';
import { can, type SignedInAdmin } from '../require-admin.server';

export type ContactPreferences = {
  allPromotional: { subscribed: boolean };
  categories: {
    key: string;
    name: string;
    description: string;
    class: 'transactional' | 'promotional';
    required: boolean;
    subscribed: boolean;
    locked: boolean;
  }[];
};

export type ConsentEntry = {
  id: string;
  category: string | null;
  scope: string;
  action: string;
  source: string;
  occurredAt: string;
  messageId: string | null;
  campaignId: string | null;
  actor: string | null;
  reason: string | null;
};

/** How many of the latest messages the page shows, each with its events. */
const MESSAGES = 10;

/**
 * Everything the contact's page shows, read from the API as the signed-in person (the API checks
 * their role again): the contact, its preferences as the preference center shows them, the consent
 * history (newest first), the latest messages with their events, its in-app notices (when the role
 * may read them) and the suppressions of its address. An unknown or erased contact is the 404 page:
 * what is left of an erased contact identifies nobody.
 */
export async function loadContactPage(admin: SignedInAdmin, id: string) {
  if (!IdSchema.safeParse(id).success) throw data(null, { status: 404 });
  const contact = await readApiAs<ContactView>(admin, `/v1/contacts/${id}`);
  if (contact.erased || !contact.email) throw data(null, { status: 404 });

  const [preferences, consent, messages, notices, suppressions] = await Promise.all([
    readApiAs<ContactPreferences>(admin, `/v1/contacts/${id}/preferences`),
    readApiAs<{ entries: ConsentEntry[] }>(admin, `/v1/contacts/${id}/consent-log`),
    readApiAs<{ messages: MessageView[] }>(admin, `/v1/messages?contactId=${id}&limit=${MESSAGES}`),
    can(admin, { scope: 'notices', change: false })
      ? readApiAs<{ notices: NoticeView[] }>(admin, `/v1/contacts/${id}/notices`).then((r) => r.notices)
      : Promise.resolve(null),
    readApiAs<SuppressionList>(admin, `/v1/suppressions?q=${encodeURIComponent(contact.email)}&limit=20`),
  ]);
  const withEvents = await Promise.all(
    messages.messages.map((message) => readApiAs<MessageView>(admin, `/v1/messages/${message.id}`)),
  );
  return {
    contact,
    preferences,
    consentLog: consent.entries.slice().reverse(),
    messages: withEvents,
    notices,
    suppressions: suppressions.suppressions,
  };
}

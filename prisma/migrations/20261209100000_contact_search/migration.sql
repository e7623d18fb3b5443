-- The support console's contact search (issue 13): each way of finding a contact reads an index,
-- so a search stays fast at a million contacts whatever the database's collation.

-- The start of an address: `lower(email) LIKE 'ada%'` (addresses are kept lower-cased, so this is
-- the address itself; an index on the expression is one Prisma's schema leaves alone).
CREATE INDEX "contacts_email_pattern_idx" ON "contacts" (lower("email") text_pattern_ops);

-- The start of a name, whatever its case: `lower(name) LIKE 'ada%'`.
CREATE INDEX "contacts_name_pattern_idx" ON "contacts" (lower("name") text_pattern_ops);

-- Newest first, a page at a time: keyset on (created_at, id).
CREATE INDEX "contacts_created_at_id_idx" ON "contacts" ("created_at", "id");

-- A contact's export reads the feedback reports about it.
CREATE INDEX "feedback_reports_contact_id_idx" ON "feedback_reports" ("contact_id");

-- A template has variants per locale ("de", "fr-CA"): a variant's versions are versions of the
-- template's key like the default's (one numbering per key, so (key, version) stays unique), told
-- apart by "locale", which is NULL for the default variant. The worker picks the latest version of
-- the contact's locale, then of its language, then the default's.
ALTER TABLE "templates" ADD COLUMN "locale" TEXT;

-- The latest version of each variant of a key, as the worker and the console ask for it.
CREATE INDEX "templates_key_locale_version_idx" ON "templates" ("key", "locale", "version" DESC);

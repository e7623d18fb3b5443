-- A category's name and description in other languages, for the recipient pages (docs/decisions/
-- 021-page-translations.md): { "de": { "name": "…", "description": "…" }, "de-AT": { … } }. The
-- category's own name and description stay the text every other language falls back to. The API
-- validates the shape; the CHECK keeps anything but an object out, so a page can read it as one.
ALTER TABLE "categories" ADD COLUMN "translations" JSONB NOT NULL DEFAULT '{}';

ALTER TABLE "categories"
  ADD CONSTRAINT "categories_translations_object"
  CHECK (jsonb_typeof("translations") = 'object');

-- The bulk path of a background import deletes the staged rows it applied, in the transaction that
-- applied them, and counts them on the import instead of marking each done: marking a row done
-- rewrites it whole (its JSON included) and its index entry, about 25 µs a row at a million rows,
-- where a delete only stamps it. The counts stand in for the rows when the import finishes.
ALTER TABLE "imports" ADD COLUMN "created_in_bulk" INTEGER NOT NULL DEFAULT 0,
                      ADD COLUMN "subscribed_in_bulk" INTEGER NOT NULL DEFAULT 0;

-- Subscribe forms (issue 14): a consent source for opt-ins confirmed from a subscribe form. A migration
-- of its own: a value added to an enum cannot be used in the transaction that adds it.

-- AlterEnum
ALTER TYPE "ConsentSource" ADD VALUE 'subscribe-form';

import type { Locale } from './locales';
import ar from './messages/ar.json';
import de from './messages/de.json';
import en from './messages/en.json';
import es from './messages/es.json';
import fr from './messages/fr.json';
import ja from './messages/ja.json';

/** A message's name: English is the source catalog, so its keys are the keys. */
export type MessageKey = keyof typeof en;

export type Catalog = Record<MessageKey, string>;

/**
 * Every catalog, typed as the English one: a catalog missing a key fails the type check, and
 * test/page-translations.test.ts also refuses extra keys and messages that do not parse.
 * All six are bundled (about 12 kB each before compression): the pages are few, and the page that
 * hydrates must format the same text the server sent, whichever language that was.
 */
export const CATALOGS: Record<Locale, Catalog> = { en, de, fr, es, ja, ar };

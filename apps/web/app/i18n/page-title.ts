import type { MetaFunction } from '@remix-run/node';
import type { MessageKey } from './catalogs';
import { languageFromMatches } from './page-language';
import { createTranslator, type MessageValues } from './translator';

/** A route's `meta`: its title from the catalogs, in the language the page is shown in. */
export const pageTitle =
  (key: MessageKey, values?: MessageValues): MetaFunction =>
  ({ matches }) => [{ title: createTranslator(languageFromMatches(matches)).t(key, values) }];

import { createContext, useContext } from 'react';
import { ENGLISH } from './page-language';
import { createTranslator, type Translator } from './translator';

const TranslatorContext = createContext<Translator>(createTranslator(ENGLISH));

/** Set once by the root layout, for the language it chose. */
export const TranslatorProvider = TranslatorContext.Provider;

/** The page's translator; English outside a provider (a component rendered on its own). */
export const useTranslator = (): Translator => useContext(TranslatorContext);

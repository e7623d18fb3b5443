import { useLocation } from '@remix-run/react';
import { useTranslator } from '~/i18n/i18n-context';
import { directionOf, LOCALE_NAMES, LOCALES, type Locale } from '~/i18n/locales';

/**
 * Links to the same page in each language: plain links, so they work without JavaScript, and the
 * server remembers the choice in a cookie (language-cookie.server.ts). Each name is written in its
 * own language and marked so (`lang`), so a screen reader pronounces it right.
 */
export function LanguageSwitch() {
  const { locale, t } = useTranslator();
  const { pathname } = useLocation();
  return (
    <nav className="language-switch" aria-label={t('language.label')}>
      <ul>
        {LOCALES.map((option: Locale) => (
          <li key={option}>
            <a
              href={`${pathname}?lang=${option}`}
              lang={option}
              hrefLang={option}
              dir={directionOf(option)}
              aria-current={option === locale ? 'true' : undefined}
            >
              {LOCALE_NAMES[option]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

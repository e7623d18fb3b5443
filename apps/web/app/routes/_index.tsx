import { Link } from '@remix-run/react';
import { useTranslator } from '~/i18n/i18n-context';
import { pageTitle } from '~/i18n/page-title';

export const meta = pageTitle('layout.title');

export default function Index() {
  const { t } = useTranslator();
  return (
    <>
      <h1>{t('home.title')}</h1>
      <p>{t('home.intro')}</p>
      <p>
        <Link to="/account">{t('home.account')}</Link>
      </p>
      <p>
        <Link to="/policy">{t('home.policy')}</Link>
      </p>
    </>
  );
}

import type { LinksFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import adminStyles from '~/components/admin/admin.css?url';
import { useTranslator } from '~/i18n/i18n-context';
import { pageTitle } from '~/i18n/page-title';
import { readApi } from '~/server/admin/api-client.server';
import type { PolicyVersionView as PolicyVersion } from '@herald/contract';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: adminStyles }];

export const meta = pageTitle('policy.meta');

/**
 * The public history of the policy: every announced version, newest first, with what it changes
 * compared with the version before it. Versions not yet announced are drafts and stay private.
 * The page knows no contact: its dates are in UTC, with the zone named. A policy's title and
 * summary are the text the policy was published with.
 */
export async function loader() {
  const { policies } = await readApi<{ policies: PolicyVersion[] }>(
    '/v1/policies?status=announced,effective',
  );
  const current = policies.find((policy) => policy.status === 'effective');
  return {
    versions: policies.map((policy) => ({
      id: policy.id,
      version: policy.version,
      title: policy.title,
      summary: policy.summary,
      url: policy.url,
      effectiveAt: policy.effectiveAt,
      isCurrent: policy.id === current?.id,
      isUpcoming: policy.status === 'announced',
      previous: policy.previousVersion && {
        version: policy.previousVersion.version,
        title: policy.previousVersion.title,
      },
    })),
  };
}

export default function PolicyHistory() {
  const { versions } = useLoaderData<typeof loader>();
  const { t, date, instant } = useTranslator();
  return (
    <>
      <h1>{t('policy.title')}</h1>
      <p>{t('policy.intro')}</p>
      {versions.length === 0 && <p>{t('policy.none')}</p>}
      {versions.map((version) => (
        <article
          key={version.id}
          className="policy-version"
          id={`version-${version.version}`}
          aria-labelledby={`title-${version.id}`}
        >
          <h2 id={`title-${version.id}`}>
            {t('policy.version', { title: version.title, version: version.version })}
          </h2>
          <p>
            {version.isUpcoming ? (
              <strong>{t('policy.takesEffect', { date: date(version.effectiveAt) })}</strong>
            ) : (
              <>{t('policy.effectiveSince', { date: date(version.effectiveAt) })}</>
            )}{' '}
            <span className="muted">({instant(version.effectiveAt)})</span>
            {version.isCurrent && (
              <>
                {' '}
                <span className="badge good">{t('policy.inEffect')}</span>
              </>
            )}
          </p>
          <h3>
            {version.previous
              ? t('policy.changedSince', { version: version.previous.version })
              : t('policy.summary')}
          </h3>
          <p>{version.summary}</p>
          <p>
            <a href={version.url}>{t('policy.read', { title: version.title, version: version.version })}</a>
          </p>
        </article>
      ))}
    </>
  );
}

import type { LinksFunction, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import adminStyles from '~/components/admin/admin.css?url';
import { formatDate, formatInstant } from '~/components/admin/format';
import { readApi } from '~/server/admin/api-client.server';
import type { PolicyVersionView as PolicyVersion } from '@herald/contract';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: adminStyles }];

export const meta: MetaFunction = () => [{ title: 'Privacy policy versions' }];

/**
 * The public history of the policy: every announced version, newest first, with what it changes
 * compared with the version before it. Versions not yet announced are drafts and stay private.
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
  return (
    <>
      <h1>Privacy policy: versions and changes</h1>
      <p>
        When we change this policy in a way that matters, we email everyone with an address and post a notice
        in your account before the change takes effect.
      </p>
      {versions.length === 0 && <p>No versions have been published yet.</p>}
      {versions.map((version) => (
        <article
          key={version.id}
          className="policy-version"
          id={`version-${version.version}`}
          aria-labelledby={`title-${version.id}`}
        >
          <h2 id={`title-${version.id}`}>
            {version.title}, version {version.version}
          </h2>
          <p>
            {version.isUpcoming ? (
              <strong>Takes effect on {formatDate(version.effectiveAt)}</strong>
            ) : (
              <>Effective since {formatDate(version.effectiveAt)}</>
            )}{' '}
            <span className="muted">({formatInstant(version.effectiveAt)})</span>
            {version.isCurrent && (
              <>
                {' '}
                <span className="badge good">in effect now</span>
              </>
            )}
          </p>
          <h3>{version.previous ? `What changed since version ${version.previous.version}` : 'Summary'}</h3>
          <p>{version.summary}</p>
          <p>
            <a href={version.url}>
              Read {version.title}, version {version.version}
            </a>
          </p>
        </article>
      ))}
    </>
  );
}

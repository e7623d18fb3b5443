import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { formatCount, formatInstant } from '~/components/admin/format';
import { languageName } from '~/components/admin/language-name';
import { requireAdminWith } from '~/server/admin/require-admin.server';
import { loadTemplatesPage } from '~/server/admin/templates/load-templates-page.server';

export const meta: MetaFunction = () => [{ title: 'Templates: Herald console' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, { scope: 'templates', change: false });
  return loadTemplatesPage(admin);
}

export default function Templates() {
  const page = useLoaderData<typeof loader>();
  const warnings = page.categories.filter((category) => category.missing.length > 0);
  return (
    <>
      <h1>Templates</h1>
      <p>
        Every template has a default in {languageName(page.defaultLocale)} and may have translations. Each
        reader gets the translation of their locale, else of their language, else the default: a missing
        translation never holds a message back.
      </p>

      {warnings.length > 0 && (
        <section className="panel" aria-labelledby="missing-languages">
          <h2 id="missing-languages">Languages your contacts read that templates lack</h2>
          <ul>
            {warnings.flatMap((category) =>
              category.missing.map((entry) => (
                <li key={`${category.key}-${entry.language}`}>
                  <span className="badge bad">missing</span> {formatCount(entry.contacts)}{' '}
                  {entry.contacts === 1 ? 'contact reads' : 'contacts read'} {languageName(entry.language)}:
                  in <strong>{category.name}</strong>, {entry.templates.join(', ')}{' '}
                  {entry.templates.length === 1 ? 'has' : 'have'} no translation, so they get{' '}
                  {languageName(page.defaultLocale)}.
                </li>
              )),
            )}
          </ul>
        </section>
      )}

      {page.categories.map((category) => (
        <section key={category.key} aria-labelledby={`category-${category.key}`}>
          <h2 id={`category-${category.key}`}>
            {category.name}{' '}
            <span className="muted">
              ({category.class}
              {category.required ? ', required' : ''})
            </span>
          </h2>
          <div className="table-scroll" role="region" aria-label={`${category.name} templates`} tabIndex={0}>
            <table className="admin-table">
              <thead>
                <tr>
                  <th scope="col">Template</th>
                  <th scope="col">Languages (latest version)</th>
                </tr>
              </thead>
              <tbody>
                {category.templates.map((template) => (
                  <tr key={template.key}>
                    <th scope="row">{template.key}</th>
                    <td>
                      <ul className="inline-list">
                        <li>
                          <Link to={`/admin/templates/${template.key}`}>
                            {languageName(page.defaultLocale)}, default
                          </Link>{' '}
                          <span className="muted">v{template.version}</span>
                        </li>
                        {template.locales.map((entry) => (
                          <li key={entry.locale}>
                            <Link
                              to={`/admin/templates/${template.key}?locale=${encodeURIComponent(entry.locale)}`}
                            >
                              {languageName(entry.locale)}
                            </Link>{' '}
                            <span className="muted">v{entry.version}</span>
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}

      <section aria-labelledby="fallbacks">
        <h2 id="fallbacks">Sent in the default language instead (last {page.fallbacks.days} days)</h2>
        {page.fallbacks.rows.length === 0 ? (
          <p>None: every reader got their own language or the default was theirs.</p>
        ) : (
          <div className="table-scroll" role="region" aria-label="Fallbacks" tabIndex={0}>
            <table className="admin-table">
              <thead>
                <tr>
                  <th scope="col">Template</th>
                  <th scope="col">Reader locale</th>
                  <th scope="col">Why</th>
                  <th scope="col" className="number">
                    Messages
                  </th>
                  <th scope="col">Last</th>
                </tr>
              </thead>
              <tbody>
                {page.fallbacks.rows.map((row) => (
                  <tr key={`${row.template}-${row.wanted}-${row.reason}`}>
                    <td>{row.template}</td>
                    <td>{languageName(row.wanted)}</td>
                    <td>{row.reason}</td>
                    <td className="number">{formatCount(row.messages)}</td>
                    <td>{formatInstant(row.lastAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

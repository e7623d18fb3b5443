import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { EmailPreview } from '~/components/admin/email-preview';
import { languageName } from '~/components/admin/language-name';
import { requireAdminWith } from '~/server/admin/require-admin.server';
import { loadTemplatePreview } from '~/server/admin/templates/load-templates-page.server';

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [
  { title: `${page?.template.key ?? 'Template'}: Herald console` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, { scope: 'templates', change: false });
  const locale = new URL(request.url).searchParams.get('locale') || null;
  return loadTemplatePreview(admin, params.key ?? '', locale);
}

export default function TemplatePreview() {
  const { template, locale, preview } = useLoaderData<typeof loader>();
  const languages = [null, ...(template.locales ?? []).map((entry) => entry.locale)];
  return (
    <>
      <p>
        <Link to="/admin/templates">All templates</Link>
      </p>
      <h1>
        {template.key} <span className="muted">({locale ? languageName(locale) : 'default'})</span>
      </h1>
      <nav aria-label="Languages">
        <ul className="inline-list">
          {languages.map((entry) => (
            <li key={entry ?? 'default'}>
              {entry === locale ? (
                <strong aria-current="page">{entry ? languageName(entry) : 'Default'}</strong>
              ) : (
                <Link
                  to={`/admin/templates/${template.key}${entry ? `?locale=${encodeURIComponent(entry)}` : ''}`}
                >
                  {entry ? languageName(entry) : 'Default'}
                </Link>
              )}
            </li>
          ))}
        </ul>
      </nav>
      <p className="muted">
        Rendered with the template&apos;s sample data, as a reader of this language gets it (the footer
        included).
      </p>
      <EmailPreview email={preview} />
    </>
  );
}

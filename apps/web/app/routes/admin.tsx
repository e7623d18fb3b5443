import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Form, NavLink, Outlet, useLoaderData } from '@remix-run/react';
import adminStyles from '~/components/admin/admin.css?url';
import { formatInstant } from '~/components/admin/format';
import { readSmtpOutage } from '~/server/admin/read-smtp-outage.server';
import { consoleSections } from '~/server/admin/console-sections.server';
import { requireAdmin } from '~/server/admin/require-admin.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: adminStyles }];

/** The console's frame: who is signed in and as what role, the sections that role may read, their account, sign-out. Each child checks sign-in and role too. */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdmin(request);
  return {
    email: admin.email,
    role: admin.role,
    csrf: admin.csrf,
    sections: consoleSections(admin),
    smtpOutages: await readSmtpOutage(),
  };
}

export default function ConsoleLayout() {
  const { email, role, csrf, sections, smtpOutages } = useLoaderData<typeof loader>();
  return (
    <div className="admin-console">
      <div className="admin-bar">
        <nav aria-label="Console">
          <ul className="admin-nav">
            {sections.map((section) => (
              <li key={section.to}>
                <NavLink to={section.to}>{section.label}</NavLink>
              </li>
            ))}
            <li>
              <NavLink to="/admin/account">Your account</NavLink>
            </li>
          </ul>
        </nav>
        <Form method="post" action="/admin/sign-out" className="admin-user">
          <span className="muted">
            {email} ({role})
          </span>
          <input type="hidden" name="csrf" value={csrf} />
          <button type="submit" className="secondary">
            Sign out
          </button>
        </Form>
      </div>
      {smtpOutages.transactional && (
        <p className="admin-banner" role="alert">
          The SMTP relay has refused connections since{' '}
          <time dateTime={smtpOutages.transactional}>{formatInstant(smtpOutages.transactional)}</time>; mail
          is held and will be sent when it answers.
        </p>
      )}
      {smtpOutages.promotional && (
        <p className="admin-banner" role="alert">
          The promotional SMTP relay has refused connections since{' '}
          <time dateTime={smtpOutages.promotional}>{formatInstant(smtpOutages.promotional)}</time>;
          promotional mail is held and will be sent when it answers, while transactional mail still goes.
        </p>
      )}
      <Outlet />
    </div>
  );
}

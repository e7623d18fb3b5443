import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { PolicyForm } from '~/components/admin/policy-form';
import { submitNewPolicy } from '~/server/admin/policies/submit-new-policy.server';
import { requireAdminWith, requireAdminFormWith } from '~/server/admin/require-admin.server';
import { timeZones } from '~/server/admin/time-zones.server';
import { webEnv } from '~/server/env.server';

export const meta: MetaFunction = () => [{ title: 'New policy version: Herald console' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdminWith(request, { scope: 'policies', change: true });
  return { timezones: timeZones(), noticeDays: webEnv.HERALD_POLICY_NOTICE_DAYS };
}

export async function action({ request }: ActionFunctionArgs) {
  const { admin, form } = await requireAdminFormWith(request, { scope: 'policies', change: true });
  const outcome = await submitNewPolicy(admin, form);
  if (outcome.kind === 'created') return redirect(`/admin/policies/${outcome.id}`, 303);
  return data(outcome, { status: 422 });
}

export default function NewPolicy() {
  const { timezones, noticeDays } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/admin/policies">All policy versions</Link>
      </p>
      <h1>New policy version</h1>
      <PolicyForm
        timezones={timezones}
        noticeDays={noticeDays}
        values={outcome?.values}
        errors={outcome?.errors}
        tooSoon={outcome?.tooSoon}
      />
    </>
  );
}

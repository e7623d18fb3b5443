import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { CampaignForm } from '~/components/admin/campaign-form';
import { loadCampaignForm } from '~/server/admin/campaigns/load-campaign-form.server';
import { submitNewCampaign } from '~/server/admin/campaigns/submit-new-campaign.server';
import { requireAdminWith, requireAdminFormWith } from '~/server/admin/require-admin.server';

export const meta: MetaFunction = () => [{ title: 'New campaign: Herald console' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, { scope: 'campaigns', change: true });
  return loadCampaignForm(admin, new URL(request.url).searchParams.get('template'));
}

export async function action({ request }: ActionFunctionArgs) {
  const { admin, form } = await requireAdminFormWith(request, { scope: 'campaigns', change: true });
  const outcome = await submitNewCampaign(admin, form);
  if (outcome.kind === 'created') return redirect(`/admin/campaigns/${outcome.id}`, 303);
  return data(outcome, { status: outcome.kind === 'invalid' ? 422 : 200 });
}

export default function NewCampaign() {
  const options = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const values = outcome && 'values' in outcome ? outcome.values : undefined;
  // The form posts to this URL, `?template=` included, so the loader's template is the posted one.
  const chosen = options.template;

  return (
    <>
      <p>
        <Link to="/admin/campaigns">All campaigns</Link>
      </p>
      <h1>New campaign</h1>
      {!chosen ? (
        <p className="notice error">
          There is no promotional template yet. Campaigns send promotional templates only: add one through the
          API (POST /v1/templates) first.
        </p>
      ) : (
        <>
          <Form method="get" className="panel">
            <div className="field">
              <label htmlFor="template-choice">Template</label>
              <p className="hint" id="template-choice-hint">
                Choosing another template starts the form again from its sample data.
              </p>
              <select
                id="template-choice"
                name="template"
                defaultValue={chosen.key}
                aria-describedby="template-choice-hint"
              >
                {options.templates.map((t) => (
                  <option key={t.key} value={t.key}>
                    {t.key} ({t.category})
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="secondary">
              Use this template
            </button>
          </Form>
          <CampaignForm
            key={chosen.key}
            options={options}
            template={chosen}
            values={values}
            errors={outcome?.kind === 'invalid' ? outcome.errors : undefined}
            audience={outcome?.kind === 'audience' ? outcome.audience : undefined}
          />
        </>
      )}
    </>
  );
}

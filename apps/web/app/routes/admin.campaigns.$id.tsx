import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { CampaignControls } from '~/components/admin/campaign-controls';
import { CampaignReportPanel } from '~/components/admin/campaign-report';
import { CampaignProgressPanel, isCampaignLive } from '~/components/admin/campaign-progress';
import { EmailPreview } from '~/components/admin/email-preview';
import { formatInstant } from '~/components/admin/format';
import { FormProblem } from '~/components/admin/form-problem';
import { GuardrailNotice } from '~/components/admin/guardrail-notice';
import { ScheduleForm } from '~/components/admin/schedule-form';
import { StatusBadge } from '~/components/admin/status-badge';
import { TestSendForm } from '~/components/admin/test-send-form';
import { usePolling } from '~/components/admin/use-polling';
import type { CampaignProgress } from '~/server/admin/campaigns/load-campaign-progress.server';
import { loadCampaignPage } from '~/server/admin/campaigns/load-campaign-page.server';
import { submitCampaignAction } from '~/server/admin/campaigns/submit-campaign-action.server';
import { requireAdminWith, requireAdminFormWith } from '~/server/admin/require-admin.server';

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [
  { title: `${page?.campaign.name ?? 'Campaign'}: Herald console` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, { scope: 'campaigns', change: false });
  return loadCampaignPage(admin, params.id ?? '');
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { admin, form } = await requireAdminFormWith(request, { scope: 'campaigns', change: true });
  const outcome = await submitCampaignAction(admin, params.id ?? '', form);
  // A state change answers with the page again (post/redirect/get), so reloading repeats nothing.
  if (outcome.kind === 'changed') return redirect(`/admin/campaigns/${params.id}`, 303);
  return data(outcome, { status: outcome.kind === 'invalid' ? 422 : 200 });
}

export default function CampaignPage() {
  const page = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const { campaign } = page;
  const progress = usePolling(
    `/admin/campaigns/${campaign.id}/progress`,
    page as CampaignProgress,
    isCampaignLive,
  );
  const failed = outcome?.kind === 'invalid' ? outcome : undefined;
  const isDraft = progress.status === 'draft';

  return (
    <>
      <p>
        <Link to="/admin/campaigns">All campaigns</Link>
      </p>
      <div className="page-head">
        <h1>{campaign.name}</h1>
        <StatusBadge status={progress.status} />
      </div>
      <dl className="detail-list">
        <dt>Template</dt>
        <dd>
          {campaign.template} (version {campaign.templateVersion}, category {campaign.category})
        </dd>
        <dt>Audience</dt>
        <dd>{describeAudience(campaign.audience)}</dd>
        <dt>Send time</dt>
        <dd>
          {campaign.sendAt ? formatInstant(campaign.sendAt) : 'not scheduled'}
          {campaign.localTime && ' (at that time in each contact’s own time zone)'}
        </dd>
        <dt>Time zone</dt>
        <dd>{campaign.timezone}</dd>
        {campaign.utm && (
          <>
            <dt>UTM parameters</dt>
            <dd>
              {Object.entries(campaign.utm)
                .map(([name, value]) => `utm_${name}=${value}`)
                .join(', ')}
            </dd>
          </>
        )}
        <dt>Rate limit</dt>
        <dd>
          {campaign.ratePerSecond
            ? `${campaign.ratePerSecond} email${campaign.ratePerSecond === 1 ? '' : 's'} per second`
            : 'none'}
        </dd>
      </dl>
      {progress.status === 'paused' && progress.pausedReason && (
        <GuardrailNotice reason={progress.pausedReason} guardrails={progress.guardrails} />
      )}
      {failed && ['pause', 'resume', 'cancel'].includes(failed.intent) && (
        <FormProblem errors={failed.errors} />
      )}
      <CampaignControls status={progress.status} pausedReason={progress.pausedReason} />
      {!isDraft && <CampaignProgressPanel progress={progress} />}
      {page.report && !['draft', 'scheduled'].includes(progress.status) && (
        <CampaignReportPanel report={page.report} csvHref={`/admin/campaigns/${campaign.id}/report.csv`} />
      )}
      <section className="panel" aria-labelledby="email-heading">
        <h2 id="email-heading">The email</h2>
        <p className="muted">Rendered with this campaign&apos;s data and a sample recipient.</p>
        {page.preview ? (
          <EmailPreview email={page.preview} />
        ) : (
          <p className="notice error">The preview could not be rendered: {page.previewProblem}</p>
        )}
      </section>
      <TestSendForm
        sentTo={outcome?.kind === 'test-sent' ? outcome.email : undefined}
        error={
          failed?.intent === 'test-send' ? (failed.errors.fields.testEmail ?? failed.errors.form) : undefined
        }
        value={failed?.intent === 'test-send' ? failed.values.testEmail : undefined}
      />
      {isDraft && (
        <ScheduleForm
          campaign={campaign}
          audience={page.audience}
          timezones={page.timezones}
          errors={failed?.intent === 'schedule' ? failed.errors : undefined}
          values={failed?.intent === 'schedule' ? failed.values : undefined}
        />
      )}
    </>
  );
}

function describeAudience(audience: {
  categories: string[];
  locales?: string[];
  attributes?: Record<string, unknown>;
}) {
  const parts = [`subscribed to ${audience.categories.join(' and ')}`];
  if (audience.locales?.length) parts.push(`locale ${audience.locales.join(' or ')}`);
  for (const [key, value] of Object.entries(audience.attributes ?? {}))
    parts.push(`${key} = ${JSON.stringify(value)}`);
  return `Contacts ${parts.join(', ')}`;
}

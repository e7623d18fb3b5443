import { callApiAs, type ConsoleCaller } from '../api-client.server';
import type { AudienceSize, CampaignReport, RenderedEmail } from '@herald/contract';
import { timeZones } from '../time-zones.server';
import { loadCampaignProgress } from './load-campaign-progress.server';

/**
 * The campaign page: its progress, the email as recipients get it (pinned template version, its
 * data, sample recipient fields) and, while it is a draft, how many contacts its audience reaches
 * now, right beside the button that schedules it. Once it has been sent, its report (clicks and
 * what else the mail did).
 */
export async function loadCampaignPage(caller: ConsoleCaller, id: string) {
  const progress = await loadCampaignProgress(caller, id);
  const { campaign } = progress;
  const path = `/v1/campaigns/${campaign.id}`;
  const [preview, audience, report] = await Promise.all([
    callApiAs<RenderedEmail>(caller, 'POST', `${path}/preview`, {}),
    campaign.status === 'draft'
      ? callApiAs<AudienceSize>(caller, 'POST', '/v1/campaigns/audience-preview', {
          template: campaign.template,
          audience: campaign.audience,
        })
      : null,
    campaign.status === 'draft' ? null : callApiAs<CampaignReport>(caller, 'GET', `${path}/report`),
  ]);
  return {
    ...progress,
    preview: preview.ok ? preview.body : null,
    previewProblem: preview.ok ? null : preview.problem.message,
    audience: audience?.ok ? audience.body : null,
    report: report?.ok ? report.body : null,
    timezones: campaign.status === 'draft' ? timeZones() : [],
  };
}

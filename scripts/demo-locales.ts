// The demo's readers in their own languages: a German and a French newsletter campaign, each to the
// newsletter's subscribers who read that language (the audience's `locales`), sent from the
// newsletter template's German and French translations, footer included. A reader of each then
// follows a link in their mail, as a person would (one link, with a browser's user agent), so each
// campaign's report shows a human click. Run by scripts/demo.mjs.
import { setTimeout as sleep } from 'node:timers/promises';
import { waitForCaught } from './demo-reports.ts';

type Api = (method: string, path: string, body?: unknown) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface DemoCampaign {
  id: string;
  name: string;
  language: string;
  sent: number;
  /** The tracked link a reader followed, and where it led. */
  clicked: { link: string; target: string } | null;
  /** The campaign report's count of people who clicked, once the click was written. */
  humanClicks: number;
}

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';

const CAMPAIGNS = [
  {
    language: 'de',
    name: 'Neuigkeiten im Dezember',
    data: {
      headline: 'Was es Neues gibt',
      intro: 'Drei Neuerungen dieses Monats, kurz erklärt.',
      articles: [
        {
          title: 'Abmelden mit einem Klick',
          summary: 'Jede Werbe-E-Mail lässt sich sofort abbestellen, direkt im Postfach.',
          url: 'https://example.com/de/blog/ein-klick',
        },
        {
          title: 'Ihre Einstellungen an einem Ort',
          summary: 'Wählen Sie selbst, welche E-Mails Sie bekommen.',
          url: 'https://example.com/de/blog/einstellungen',
        },
      ],
    },
  },
  {
    language: 'fr',
    name: 'Nouveautés de décembre',
    data: {
      headline: 'Les nouveautés du mois',
      intro: 'Trois nouveautés ce mois-ci, expliquées en bref.',
      articles: [
        {
          title: 'Se désabonner en un clic',
          summary: 'Chaque e-mail promotionnel se désabonne tout de suite, depuis votre messagerie.',
          url: 'https://example.com/fr/blog/un-clic',
        },
        {
          title: 'Vos préférences au même endroit',
          summary: 'Choisissez vous-même les e-mails que vous recevez.',
          url: 'https://example.com/fr/blog/preferences',
        },
      ],
    },
  },
];

/**
 * Schedules both campaigns for now, waits until each has been sent, and (with the mail catcher)
 * follows one tracked link of one reader's mail of each.
 */
export async function runDemoLocales({
  api,
  stamp,
  inboxUrl,
  webUrl,
}: {
  api: Api;
  stamp: string;
  inboxUrl: string | null;
  webUrl: string;
}): Promise<DemoCampaign[]> {
  const campaigns: DemoCampaign[] = [];
  for (const campaign of CAMPAIGNS) {
    const created = await api('POST', '/v1/campaigns', {
      name: `${campaign.name} ${stamp}`,
      template: 'newsletter',
      data: campaign.data,
      audience: { categories: ['newsletter'], locales: [campaign.language] },
      sendAt: new Date().toISOString(),
      ratePerSecond: 10,
    });
    campaigns.push({
      id: created.id,
      name: created.name,
      language: campaign.language,
      sent: 0,
      clicked: null,
      humanClicks: 0,
    });
  }
  for (const campaign of campaigns) {
    campaign.sent = await waitUntilSent(api, campaign.id);
    if (inboxUrl) campaign.clicked = await followOneLink(api, inboxUrl, webUrl, campaign.id);
  }
  // The web server writes clicks in batches a fraction of a second apart: wait for them in the report.
  for (const campaign of campaigns.filter((entry) => entry.clicked)) {
    const deadline = Date.now() + 10_000;
    while (campaign.humanClicks === 0 && Date.now() < deadline) {
      await sleep(250);
      campaign.humanClicks = Number(
        (await api('GET', `/v1/campaigns/${campaign.id}/report`)).uniqueHumanClicks ?? 0,
      );
    }
  }
  return campaigns;
}

/** Opens one of the campaign's delivered mails in the catcher and follows its first tracked link. */
async function followOneLink(api: Api, inboxUrl: string, webUrl: string, campaignId: string) {
  const { messages } = await api('GET', `/v1/messages?campaignId=${campaignId}&status=sent&limit=1`);
  const messageId = messages[0]?.id as string | undefined;
  if (!messageId) return null;
  const caught = await waitForCaught(inboxUrl, messageId);
  const raw = await (await fetch(`${inboxUrl}/messages/${encodeURIComponent(caught.id)}/raw`)).text();
  // The parts are quoted-printable: undo its soft line breaks and escapes before looking for links.
  const decoded = raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const escaped = webUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const link = new RegExp(`${escaped}/c/[A-Za-z0-9_-]+`).exec(decoded)?.[0];
  if (!link) return null;
  const response = await fetch(link, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
  return { link, target: response.headers.get('location') ?? `(answered ${response.status})` };
}

async function waitUntilSent(api: Api, id: string, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const campaign = await api('GET', `/v1/campaigns/${id}`);
    if (campaign.status === 'sent') return Number(campaign.counts?.sent ?? 0);
    if (Date.now() > deadline) throw new Error(`campaign ${id} was not sent within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

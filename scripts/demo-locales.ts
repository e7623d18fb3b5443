// The demo's readers in their own languages: a German and a French newsletter campaign, each to the
// newsletter's subscribers who read that language (the audience's `locales`), sent from the
// newsletter template's German and French translations, footer included. Run by scripts/demo.mjs.
import { setTimeout as sleep } from 'node:timers/promises';

type Api = (method: string, path: string, body?: unknown) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface DemoCampaign {
  id: string;
  name: string;
  language: string;
  sent: number;
}

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

/** Schedules both campaigns for now and waits until each has been sent. */
export async function runDemoLocales({ api, stamp }: { api: Api; stamp: string }): Promise<DemoCampaign[]> {
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
    campaigns.push({ id: created.id, name: created.name, language: campaign.language, sent: 0 });
  }
  for (const campaign of campaigns) campaign.sent = await waitUntilSent(api, campaign.id);
  return campaigns;
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

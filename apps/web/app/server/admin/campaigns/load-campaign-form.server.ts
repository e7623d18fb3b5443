import { readApiAs, type ConsoleCaller } from '../api-client.server';
import type { CategoryView as Category, TemplateView as Template } from '@herald/contract';
import { timeZones } from '../time-zones.server';

export type CampaignFormOptions = Awaited<ReturnType<typeof loadCampaignForm>>;

/**
 * What the new-campaign form offers: the promotional templates (campaigns send nothing else), the
 * promotional categories an audience can be drawn from, the chosen template's fixture as the
 * starting data, and the time zones.
 */
export async function loadCampaignForm(caller: ConsoleCaller, templateKey: string | null) {
  const [{ templates }, { categories }] = await Promise.all([
    readApiAs<{ templates: Template[] }>(caller, '/v1/templates'),
    readApiAs<{ categories: Category[] }>(caller, '/v1/categories'),
  ]);
  const promotional = templates.filter((template) => template.class === 'promotional');
  const chosen = promotional.find((template) => template.key === templateKey) ?? promotional[0] ?? null;
  return {
    templates: promotional.map((template) => ({ key: template.key, category: template.category })),
    categories: categories
      .filter((category) => category.class === 'promotional')
      .map((category) => ({ key: category.key, name: category.name })),
    template: chosen && {
      key: chosen.key,
      category: chosen.category,
      fixture: JSON.stringify(chosen.fixture ?? {}, null, 2),
    },
    timezones: timeZones(),
  };
}

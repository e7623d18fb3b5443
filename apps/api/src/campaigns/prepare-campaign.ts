import type { AudienceInput } from '@herald/contract';
import type { Db } from '@herald/db';
import type { SystemVariables, TemplateRenderer } from '@herald/templates';
import { DomainError } from '../core/domain-error.js';
import type { TemplateCache } from '../templates/template-cache.js';
import { toRenderSource } from '../templates/template-source.js';
import { type ResolvedAudience, resolveAudience, type StoredAudience } from './audience.js';

export interface PrepareCampaignDeps {
  db: Db;
  templates: TemplateCache;
  renderer: TemplateRenderer;
  sampleSystem: SystemVariables;
}

/**
 * Checks what a campaign will send before anything is stored: the template exists and is promotional
 * (campaigns are marketing; transactional mail goes through /v1/messages), its data renders, and
 * every audience category exists, is promotional and includes the template's own category (nobody
 * can be targeted with mail of a category they are not subscribed to).
 */
export async function prepareCampaign(
  deps: PrepareCampaignDeps,
  input: { template: string; data?: Record<string, unknown>; audience: AudienceInput },
) {
  const template = await deps.templates.latest(input.template);
  if (!template) throw new DomainError('unknown_template', `No template with key "${input.template}".`);
  if (template.category.class !== 'promotional') {
    throw new DomainError(
      'not_promotional',
      `Template "${template.key}" is in the ${template.category.class} category "${template.category.key}"; campaigns send promotional templates only.`,
    );
  }
  if (input.data) {
    const compiled = await deps.renderer.compile(toRenderSource(template));
    deps.renderer.render(compiled, { ...input.data, ...deps.sampleSystem });
  }

  const keys = input.audience.categories ?? [template.category.key];
  if (!keys.includes(template.category.key)) {
    throw new DomainError(
      'audience_without_template_category',
      `The audience must include the template's category "${template.category.key}": only its subscribers may get this mail.`,
    );
  }
  const categories = await deps.db.category.findMany({ where: { key: { in: keys } } });
  const unknown = keys.filter((key) => !categories.some((c) => c.key === key));
  if (unknown.length > 0) {
    throw new DomainError(
      'unknown_category',
      `No category with key ${unknown.map((k) => `"${k}"`).join(', ')}.`,
    );
  }
  const transactional = categories.filter((c) => c.class !== 'promotional');
  if (transactional.length > 0) {
    throw new DomainError(
      'audience_category_not_promotional',
      `Audience categories must be promotional: ${transactional.map((c) => c.key).join(', ')}.`,
    );
  }
  const stored: StoredAudience = {
    categories: [...new Set(keys)],
    ...(input.audience.locales && { locales: input.audience.locales.map((l) => l.toLowerCase()) }),
    ...(input.audience.attributes && { attributes: input.audience.attributes }),
  };
  const resolved: ResolvedAudience = resolveAudience(stored, categories);
  return { template, stored, resolved };
}

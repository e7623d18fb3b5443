import type { Db } from '@herald/db';
import type { TemplateRenderer } from '@herald/templates';
import { readLatestTemplate } from './read-latest-template.js';
import { toRenderSource } from './template-source.js';

/** Renders the latest version (of the default, or of a translation) with the given data (or its fixture), exactly as a recipient would get it. */
export async function previewTemplate(
  { db, renderer, system }: { db: Db; renderer: TemplateRenderer; system: object },
  {
    key,
    data,
    locale,
  }: { key: string; data?: Record<string, unknown> | undefined; locale?: string | undefined },
) {
  const template = await readLatestTemplate(db, key, locale);
  const compiled = await renderer.compile(toRenderSource(template));
  const fixture = (template.fixture ?? {}) as Record<string, unknown>;
  return renderer.render(compiled, { ...(data ?? fixture), ...system });
}

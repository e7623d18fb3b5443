import {
  exampleSystemVariables,
  seedCategories,
  type TemplateDefinition,
  type TemplateSource,
} from '../src/index.js';

export const system = exampleSystemVariables;

/** A seed template as the API would pass it: class and required come from its category. */
export function sourceOf(template: TemplateDefinition, id = `${template.key}@1`): TemplateSource {
  const category = seedCategories.find((candidate) => candidate.key === template.categoryKey);
  if (category === undefined) throw new Error(`no category ${template.categoryKey}`);
  return {
    id,
    subject: template.subject,
    mjml: template.mjml,
    class: category.class,
    required: category.required,
    schema: template.schema,
  };
}

/** A minimal valid MJML document around some column content, one element per line. */
export function mjmlWith(columnContent: string): string {
  return [
    '<mjml lang="en">',
    '<mj-body>',
    '<mj-section>',
    '<mj-column>',
    columnContent,
    '</mj-column>',
    '</mj-section>',
    '</mj-body>',
    '</mjml>',
  ].join('\n');
}

/**
 * Runs `work` and fails unless it took under a second: a generous bound, for inputs that took
 * seconds before a fix made their cost linear. Never used to gate on ordinary speed.
 */
export function withinASecond<T>(work: () => T): T {
  const started = performance.now();
  const result = work();
  if (performance.now() - started >= 1000) {
    throw new Error(`took ${Math.round(performance.now() - started)} ms, expected under a second`);
  }
  return result;
}

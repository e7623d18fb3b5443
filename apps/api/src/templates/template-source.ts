import type { Category, Template } from '@herald/db';
import { seedTemplates } from '@herald/templates';
import type { z } from 'zod';

export type TemplateWithCategory = Pick<Template, 'id' | 'key' | 'subject' | 'mjml' | 'html'> & {
  category: Category;
};

/**
 * What the renderer compiles for a stored template version. A seed template's zod schema checks
 * the types of its data; it applies only while the stored version is the seed's own text.
 */
export function toRenderSource(template: TemplateWithCategory) {
  const seed = seedTemplates.find((candidate) => candidate.key === template.key);
  const schema: z.ZodType | undefined =
    seed && seed.mjml === template.mjml && seed.subject === template.subject ? seed.schema : undefined;
  return {
    id: template.id,
    subject: template.subject,
    mjml: template.mjml,
    ...(template.html !== null && { html: template.html }),
    class: template.category.class,
    required: template.category.required,
    ...(schema && { schema }),
  };
}

import type { Category, Template } from '@herald/db';
import { seedTemplates } from '@herald/templates';
import type { z } from 'zod';

export type TemplateWithCategory = Pick<Template, 'id' | 'key' | 'subject' | 'mjml' | 'html'> & {
  locale?: string | null;
  category: Category;
};

/**
 * What the renderer compiles for a stored template version. A seed template's zod schema checks
 * the types of its data; it applies only while the stored version is the seed's own text (its
 * default's or one of its translations').
 */
export function toRenderSource(template: TemplateWithCategory) {
  const seed = seedTemplates.find((candidate) => candidate.key === template.key);
  const seedText = template.locale
    ? seed?.variants.find((variant) => variant.locale === template.locale)
    : seed;
  const schema: z.ZodType | undefined =
    seedText && seedText.mjml === template.mjml && seedText.subject === template.subject
      ? seed?.schema
      : undefined;
  return {
    id: template.id,
    subject: template.subject,
    mjml: template.mjml,
    ...(template.html !== null && { html: template.html }),
    class: template.category.class,
    required: template.category.required,
    locale: template.locale ?? null,
    ...(schema && { schema }),
  };
}

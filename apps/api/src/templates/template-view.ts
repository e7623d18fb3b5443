import type { TemplateView } from '@herald/contract';
import type { TemplateWithCategory } from './template-source.js';

export function toTemplateView(
  template: TemplateWithCategory & { version: number; variables: unknown; fixture: unknown; createdAt: Date },
  variants?: { locale: string | null; version: number; createdAt: Date }[],
): TemplateView {
  return {
    key: template.key,
    category: template.category.key,
    class: template.category.class,
    required: template.category.required,
    version: template.version,
    locale: template.locale ?? null,
    subject: template.subject,
    variables: template.variables,
    fixture: template.fixture,
    createdAt: template.createdAt.toISOString(),
    ...(variants && {
      locales: variants.map((variant) => ({
        locale: variant.locale ?? '',
        version: variant.version,
        createdAt: variant.createdAt.toISOString(),
      })),
    }),
  };
}

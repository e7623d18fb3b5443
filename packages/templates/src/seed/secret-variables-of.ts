import { seedTemplates } from './seed-templates.js';

/**
 * The variables of a template, by key, whose values are credentials and must never be stored in
 * plain text (TemplateDefinition.secretVariables). Declared by the seed templates, so they hold for
 * every later version of the template saved under the same key.
 */
export function secretVariablesOf(templateKey: string): readonly string[] {
  return seedTemplates.find((template) => template.key === templateKey)?.secretVariables ?? [];
}

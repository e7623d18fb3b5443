import type { ZodType } from 'zod';

/** A translation of a seed template: `templates/<key>/<locale>/subject.hbs` and `template.mjml`. */
export interface TemplateVariantDefinition {
  locale: string;
  subject: string;
  mjml: string;
}

export interface TemplateDefinition {
  key: string;
  categoryKey: string;
  subject: string;
  mjml: string;
  /** Its translations, which take the same data (the schema and fixture apply to each). */
  variants: TemplateVariantDefinition[];
  /** Validates the template's own data; system variables are supplied separately. */
  schema: ZodType;
  /** Sample data that renders, for previews and tests. */
  fixture: Record<string, unknown>;
  /**
   * Variables whose values are credentials (a sign-in link): the API keeps them sealed until the
   * message is final and never shows them (secretVariablesOf).
   */
  secretVariables?: readonly string[];
}

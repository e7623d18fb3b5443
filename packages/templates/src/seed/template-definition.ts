import type { ZodType } from 'zod';

export interface TemplateDefinition {
  key: string;
  categoryKey: string;
  subject: string;
  mjml: string;
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

import { prepareTemplate } from './prepare-template.js';
import { TemplateSourceError } from './template-source-error.js';
import type { TemplateSourceInput, TemplateSourceIssue } from './types.js';

export type TemplateSourceValidation =
  | { ok: true; variables: string[]; html: string }
  | { ok: false; errors: TemplateSourceIssue[] };

/**
 * Checks a template before it is saved: strict MJML, supported Handlebars, MJML kept every
 * expression. `variables` are the data paths the template uses beyond the system variables;
 * `html` is MJML's output, footer included, which a save stores so sending never runs MJML.
 */
export async function validateTemplateSource(source: TemplateSourceInput): Promise<TemplateSourceValidation> {
  try {
    const prepared = await prepareTemplate(source);
    return { ok: true, variables: prepared.variables, html: prepared.mjmlOutput };
  } catch (error) {
    if (error instanceof TemplateSourceError) return { ok: false, errors: error.errors };
    throw error;
  }
}

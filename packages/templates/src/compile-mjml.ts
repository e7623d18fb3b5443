import { TemplateSourceError } from './template-source-error.js';
import type { TemplateSourceIssue } from './types.js';

interface MjmlValidationFailure {
  errors: { line?: unknown; message?: unknown }[];
}

function isValidationFailure(error: unknown): error is MjmlValidationFailure {
  return typeof error === 'object' && error !== null && Array.isArray((error as { errors?: unknown }).errors);
}

function issuesFrom(error: unknown): TemplateSourceIssue[] {
  if (isValidationFailure(error)) {
    return error.errors.map((entry) => ({
      field: 'mjml',
      ...(typeof entry.line === 'number' && entry.line > 0 ? { line: entry.line } : {}),
      message: String(entry.message),
    }));
  }
  return [{ field: 'mjml', message: error instanceof Error ? error.message : String(error) }];
}

/**
 * MJML to HTML, refusing anything strict validation rejects. MJML is loaded on first use: a
 * worker sends stored versions' HTML and never needs it. Web fonts are off (no request to a
 * font host when the mail is opened) and mj-include is off (a template must not read files).
 */
export async function compileMjml(mjml: string): Promise<string> {
  const { default: mjml2html } = await import('mjml');
  try {
    const result = await mjml2html(mjml, {
      validationLevel: 'strict',
      fonts: {},
      keepComments: false,
      ignoreIncludes: true,
    });
    return result.html;
  } catch (error) {
    throw new TemplateSourceError(issuesFrom(error));
  }
}

import type { TemplateSourceIssue } from './types.js';

/** A template's MJML or Handlebars cannot be saved or compiled. */
export class TemplateSourceError extends Error {
  override readonly name = 'TemplateSourceError';

  constructor(readonly errors: TemplateSourceIssue[]) {
    super(
      errors
        .map(
          (issue) =>
            `${issue.field}${issue.line === undefined ? '' : ` line ${issue.line}`}: ${issue.message}`,
        )
        .join('\n'),
    );
  }
}

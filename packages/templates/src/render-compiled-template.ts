import type { ZodType } from 'zod';
import { checkRequirements } from './check-requirements.js';
import { collapseLineBreaks } from './collapse-line-breaks.js';
import type { CompiledTemplate } from './compiled-template.js';
import { htmlToPlainText, tidyPlainText } from './html-to-plain-text.js';
import { TemplateDataError } from './template-data-error.js';
import type { RenderedMessage } from './types.js';

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((label, key) => {
    if (typeof key === 'number') return `${label}[${key}]`;
    return label === '' ? String(key) : `${label}.${String(key)}`;
  }, '');
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (value, key) =>
      value === null || value === undefined ? undefined : (value as Record<PropertyKey, unknown>)[key],
    data,
  );
}

function parseWithSchema(schema: ZodType, data: Record<string, unknown>): Record<string, unknown> {
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path ?? [];
    const missing = path.length > 0 && valueAt(data, path) === undefined;
    throw new TemplateDataError(
      formatPath(path) || 'data',
      missing ? `is missing (${issue?.message})` : (issue?.message ?? 'is invalid'),
    );
  }
  const parsed: unknown = result.data;
  // Object schemas drop keys they do not know, which include the system variables.
  return typeof parsed === 'object' && parsed !== null ? { ...data, ...parsed } : data;
}

/** Handlebars' strict mode says `"title" not defined in …`; the requirement check should have caught it first. */
function fill(template: (data: Record<string, unknown>) => string, data: Record<string, unknown>): string {
  try {
    return template(data);
  } catch (error) {
    const name = /"([^"]+)" not defined/.exec(error instanceof Error ? error.message : '')?.[1];
    if (name === undefined) throw error;
    throw new TemplateDataError(name, 'is missing');
  }
}

export function renderCompiledTemplate(
  compiled: CompiledTemplate,
  data: Record<string, unknown>,
): RenderedMessage {
  const input = compiled.schema === undefined ? data : parseWithSchema(compiled.schema, data);
  checkRequirements(compiled.requirements, input);
  const html = fill(compiled.fillHtml, input);
  return {
    subject: collapseLineBreaks(fill(compiled.fillSubject, input)).trim(),
    html,
    text: compiled.fillText === null ? htmlToPlainText(html) : tidyPlainText(fill(compiled.fillText, input)),
  };
}

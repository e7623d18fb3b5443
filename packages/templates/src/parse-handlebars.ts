import { handlebars } from './handlebars-environment.js';
import type { TemplateSourceIssue } from './types.js';

export type HandlebarsProgram = ReturnType<typeof handlebars.parse>;

function lineOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { lineNumber } = error as { lineNumber?: unknown };
  if (typeof lineNumber === 'number') return lineNumber;
  const parsed = /on line (\d+)/.exec(error instanceof Error ? error.message : '');
  return parsed?.[1] === undefined ? undefined : Number(parsed[1]);
}

export function parseHandlebars(
  source: string,
  field: TemplateSourceIssue['field'],
): { ok: true; program: HandlebarsProgram } | { ok: false; issue: TemplateSourceIssue } {
  try {
    return { ok: true, program: handlebars.parse(source) };
  } catch (error) {
    const line = lineOf(error);
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      issue: { field, ...(line === undefined ? {} : { line }), message: `Handlebars: ${message}` },
    };
  }
}

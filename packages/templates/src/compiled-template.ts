import type { ZodType } from 'zod';
import { handlebars } from './handlebars-environment.js';
import type { PreparedTemplate } from './prepare-template.js';
import type { Requirement } from './requirement.js';
import type { TemplateClass } from './types.js';

type Fill = (data: Record<string, unknown>) => string;

export interface CompiledTemplate {
  readonly id: string;
  readonly class: TemplateClass;
  readonly required: boolean;
  /** Data paths the template uses beyond the system variables. */
  readonly variables: readonly string[];
  readonly schema: ZodType | undefined;
  readonly requirements: readonly Requirement[];
  readonly fillSubject: Fill;
  readonly fillHtml: Fill;
  /** Null when the text part is converted from each filled HTML instead. */
  readonly fillText: Fill | null;
}

// strict makes a lookup that slipped past the requirement check throw instead of printing a
// blank; knownHelpersOnly turns an unknown helper into a compile error.
const htmlOptions = { strict: true, knownHelpersOnly: true } as const;
// The subject is a header and the text part is plain text: HTML escaping would corrupt both.
const plainOptions = { ...htmlOptions, noEscape: true } as const;

export function createCompiledTemplate(
  identity: { id: string; class: TemplateClass; required: boolean; schema?: ZodType | undefined },
  prepared: PreparedTemplate,
): CompiledTemplate {
  return Object.freeze({
    id: identity.id,
    class: identity.class,
    required: identity.required,
    variables: Object.freeze([...prepared.variables]),
    schema: identity.schema,
    requirements: prepared.requirements,
    fillSubject: handlebars.compile(prepared.subject, plainOptions),
    fillHtml: handlebars.compile(prepared.html, htmlOptions),
    fillText: prepared.text === null ? null : handlebars.compile(prepared.text, plainOptions),
  });
}

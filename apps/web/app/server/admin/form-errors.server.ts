import type { ApiProblem } from './api-client.server';

/** What a form shows after the API refused it: a message per field, and one for the whole form. */
export type FormErrors = { fields: Record<string, string>; form?: string };

/**
 * Puts each of the API's complaints next to the field it is about. Validation errors name a path
 * (`audience.categories.0`); the form field is found from its first segments. Domain refusals
 * (`effective_date_too_soon`, `send_at_in_past`…) name no path, so `byCode` says which field they
 * belong to. Anything else is shown above the form.
 */
export function formErrors(
  problem: ApiProblem,
  { byPath = {}, byCode = {} }: { byPath?: Record<string, string>; byCode?: Record<string, string> },
): FormErrors {
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  const details = Array.isArray(problem.details)
    ? (problem.details as { path?: unknown; message?: unknown }[])
    : [];
  if (problem.code === 'invalid_request' && details.length > 0) {
    for (const detail of details) {
      const path = typeof detail.path === 'string' ? detail.path : '';
      const message = typeof detail.message === 'string' ? detail.message : problem.message;
      const field = fieldForPath(path, byPath);
      if (field && !fields[field]) fields[field] = sentence(message);
      else if (!field) unplaced.push(path ? `${path}: ${message}` : message);
    }
  } else {
    const field = byCode[problem.code];
    if (field) fields[field] = problem.message;
    else unplaced.push(problem.message);
  }
  return { fields, ...(unplaced.length > 0 && { form: unplaced.map(sentence).join(' ') }) };
}

/** The longest mapped prefix of the path: `audience.categories.0` → `audience.categories`. */
function fieldForPath(path: string, byPath: Record<string, string>): string | undefined {
  const parts = path.split('.');
  for (let length = parts.length; length > 0; length--) {
    const field = byPath[parts.slice(0, length).join('.')];
    if (field) return field;
  }
  return undefined;
}

const sentence = (text: string) => {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

import { z } from 'zod';

/** The longest string a template's data may hold: longer than any subject, heading or paragraph. */
export const MAX_DATA_STRING_LENGTH = 10_000;
/** The most a data object may weigh, as JSON in UTF-8. */
export const MAX_DATA_BYTES = 256 * 1024;
/** The deepest nesting of objects and arrays a data object may have. */
export const MAX_DATA_DEPTH = 32;

const utf8 = new TextEncoder();

interface Pending {
  value: unknown;
  path: PropertyKey[];
  depth: number;
}

/**
 * Every value of a message's, campaign's or preview's data is rendered for each recipient, and
 * again on every retry: a bound on each string and on the whole keeps that work (and what is stored
 * with every message) small, whatever a caller sends. The walk is iterative, so nesting as deep as
 * the request body allows is refused by name instead of overflowing the stack, and the serialized
 * size is only measured once the depth is known to be safe to serialize.
 */
function checkTemplateData(data: Record<string, unknown>, context: z.RefinementCtx): void {
  const pending: Pending[] = [{ value: data, path: [], depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      if (value.length > MAX_DATA_STRING_LENGTH) {
        context.addIssue({
          code: 'custom',
          path,
          message: `must be at most ${MAX_DATA_STRING_LENGTH.toLocaleString('en')} characters (it has ${value.length.toLocaleString('en')})`,
        });
        return;
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_DATA_DEPTH) {
      context.addIssue({
        code: 'custom',
        path,
        message: `is nested too deeply: data may nest objects and arrays at most ${MAX_DATA_DEPTH} levels`,
      });
      return;
    }
    const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
    for (const [key, item] of entries) pending.push({ value: item, path: [...path, key], depth: depth + 1 });
  }
  const bytes = utf8.encode(JSON.stringify(data)).byteLength;
  if (bytes > MAX_DATA_BYTES) {
    context.addIssue({
      code: 'custom',
      message: `must be at most ${MAX_DATA_BYTES / 1024} KiB as JSON (it is ${Math.ceil(bytes / 1024)} KiB)`,
    });
  }
}

/** The data a template is filled with: a JSON object within the bounds above. */
export const TemplateDataSchema = z
  .record(z.string(), z.unknown())
  .superRefine(checkTemplateData)
  .describe(
    `Template data: each string at most ${MAX_DATA_STRING_LENGTH} characters, at most ${MAX_DATA_DEPTH} levels deep, at most ${MAX_DATA_BYTES / 1024} KiB as JSON.`,
  );

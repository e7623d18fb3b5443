import { data } from '@remix-run/node';
import { webEnv } from '../env.server';

/** The API's error body for a caller's mistake (docs/architecture.md): `{ error: { code, message, details? } }`. */
export type ApiProblem = {
  status: number;
  code: string;
  message: string;
  details?: unknown;
};

export type ApiResult<T> = { ok: true; status: number; body: T } | { ok: false; problem: ApiProblem };

/**
 * The console's only way to read or change campaigns and policies: the API validates them, so the
 * console never keeps a second copy of those rules. A 4xx comes back as a problem to show beside
 * the form; a 5xx or an unreachable API throws, and the error page says nothing was changed.
 */
export async function callApi<T>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  const response = await fetch(`${webEnv.HERALD_API_URL.replace(/\/+$/, '')}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${webEnv.HERALD_API_KEY}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.ok) return { ok: true, status: response.status, body: JSON.parse(text) as T };
  if (response.status >= 500) throw new Error(`API ${method} ${path} answered ${response.status}: ${text}`);
  const error = parseProblem(text);
  return { ok: false, problem: { status: response.status, ...error } };
}

/** For reads a page cannot do without: a 404 becomes the 404 page, any other problem an error. */
export async function readApi<T>(path: string): Promise<T> {
  const result = await callApi<T>('GET', path);
  if (result.ok) return result.body;
  if (result.problem.status === 404 || result.problem.status === 400) throw data(null, { status: 404 });
  throw new Error(`API GET ${path}: ${result.problem.code} ${result.problem.message}`);
}

function parseProblem(text: string): Omit<ApiProblem, 'status'> {
  try {
    const parsed = JSON.parse(text) as { error?: Partial<ApiProblem> };
    if (parsed.error?.code && parsed.error.message) {
      return {
        code: parsed.error.code,
        message: parsed.error.message,
        ...(parsed.error.details !== undefined && { details: parsed.error.details }),
      };
    }
  } catch {
    // not JSON: reported below with the raw text
  }
  return { code: 'unknown', message: text.slice(0, 500) || 'The API refused the request.' };
}

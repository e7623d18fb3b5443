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
 * The console's only way to read or change campaigns, policies and the suppression list: the API
 * validates them, so the console never keeps a second copy of those rules. A 4xx comes back as a
 * problem to show beside the form; a 5xx throws, and the error page says nothing was changed; an API
 * that cannot be reached, or a read it does not answer within HERALD_API_READ_TIMEOUT_MS, is the 503
 * page.
 */
export async function callApi<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${webEnv.HERALD_API_URL.replace(/\/+$/, '')}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${webEnv.HERALD_API_KEY}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      // A hung API must not hang the page for minutes; a write is left to finish (see the variable).
      ...(method === 'GET' && { signal: AbortSignal.timeout(webEnv.HERALD_API_READ_TIMEOUT_MS) }),
    });
    text = await response.text();
  } catch (error) {
    // Unreachable, or a read that timed out: nothing was changed by this page.
    console.error(`API ${method} ${path} did not answer: ${(error as Error).message}`);
    throw data(null, { status: 503 });
  }
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

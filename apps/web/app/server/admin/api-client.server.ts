import { data } from '@remix-run/node';
import { webEnv } from '../env.server';
import { webApiKey } from '../web-api-key.server';

/** The API's error body for a caller's mistake (docs/architecture.md): `{ error: { code, message, details? } }`. */
export type ApiProblem = {
  status: number;
  code: string;
  message: string;
  details?: unknown;
};

export type ApiResult<T> = { ok: true; status: number; body: T } | { ok: false; problem: ApiProblem };

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** The console's session: the API acts as the person signed in with it. */
export type ConsoleCaller = { session: { secret: string } };

/**
 * The console's only way to read or change campaigns, policies and the suppression list: the API
 * validates them, so the console never keeps a second copy of those rules. Each call is made as the
 * signed-in person, with their session (`Authorization: Console <secret>`): the API checks that
 * session on every call and records who did what, and the web app's own key is never the console's.
 * A 4xx comes back as a problem to show beside the form; a 5xx throws, and the error page says
 * nothing was changed; an API that cannot be reached, or a read it does not answer within
 * HERALD_API_READ_TIMEOUT_MS, is the 503 page.
 */
export function callApiAs<T>(
  caller: ConsoleCaller,
  method: Method,
  path: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  return requestApi<T>(`Console ${caller.session.secret}`, method, path, body);
}

/** For console reads a page cannot do without: a 404 becomes the 404 page, any other problem an error. */
export function readApiAs<T>(caller: ConsoleCaller, path: string): Promise<T> {
  return readOrThrow(callApiAs<T>(caller, 'GET', path), path);
}

/**
 * The web app's own calls, with its own key (HERALD_WEB_API_KEY, which the API gives only the web's
 * scopes), outside the console: a contact's notices and the public policy page. The same answers as
 * `callApiAs`.
 */
export function callApi<T>(method: Method, path: string, body?: unknown): Promise<ApiResult<T>> {
  return requestApi<T>(`Bearer ${webApiKey}`, method, path, body);
}

/** The web app's own reads (the public policy page), as `readApiAs`. */
export function readApi<T>(path: string): Promise<T> {
  return readOrThrow(callApi<T>('GET', path), path);
}

/**
 * A download the API streams (CSV): its response as it comes, to pass on to the browser without
 * holding it (so no time limit). A 4xx is a problem as `callApiAs` gives one; a 5xx or no answer
 * throws as there.
 */
export async function streamApiAs(
  caller: ConsoleCaller,
  path: string,
): Promise<{ ok: true; response: Response } | { ok: false; problem: ApiProblem }> {
  const response = await send(`Console ${caller.session.secret}`, 'GET', path, { timeout: false });
  if (response.ok) return { ok: true, response };
  // Not ok: answered gives the problem (a 4xx) or throws (a 5xx).
  return (await answered<never>(response, 'GET', path)) as { ok: false; problem: ApiProblem };
}

/**
 * A file posted to the API as the signed-in person (an import's CSV or NDJSON), its body streamed
 * as it is read from disk, never held whole. The same answers as `callApiAs`; like every write,
 * no time limit.
 */
export async function sendFileAs<T>(
  caller: ConsoleCaller,
  path: string,
  file: { body: ReadableStream<Uint8Array>; contentType: string },
): Promise<ApiResult<T>> {
  const response = await send(`Console ${caller.session.secret}`, 'POST', path, { payload: file });
  return answered<T>(response, 'POST', path);
}

async function requestApi<T>(
  authorization: string,
  method: Method,
  path: string,
  body: unknown,
): Promise<ApiResult<T>> {
  const payload =
    body === undefined ? undefined : { body: JSON.stringify(body), contentType: 'application/json' };
  const response = await send(authorization, method, path, { payload });
  return answered<T>(response, method, path);
}

/** What the logs name a call by: its query may hold an address someone searched for. */
const described = (method: Method, path: string) => `API ${method} ${path.split('?')[0]}`;

/**
 * One call to the API. A read is given HERALD_API_READ_TIMEOUT_MS (a hung API must not hang the page
 * for minutes) unless it streams; a write is left to finish. An API that cannot be reached, or a read
 * that timed out, is the 503 page: nothing was changed by this page.
 */
async function send(
  authorization: string,
  method: Method,
  path: string,
  {
    payload,
    timeout = method === 'GET',
  }: { payload?: { body: string | ReadableStream<Uint8Array>; contentType: string }; timeout?: boolean },
): Promise<Response> {
  try {
    return await fetch(`${webEnv.HERALD_API_URL.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { authorization, ...(payload && { 'content-type': payload.contentType }) },
      ...(payload && { body: payload.body }),
      // A streamed body needs half duplex (undici's rule for a ReadableStream body).
      ...(payload && typeof payload.body !== 'string' && { duplex: 'half' }),
      ...(timeout && { signal: AbortSignal.timeout(webEnv.HERALD_API_READ_TIMEOUT_MS) }),
    } as RequestInit);
  } catch (error) {
    console.error(`${described(method, path)} did not answer: ${(error as Error).message}`);
    throw data(null, { status: 503 });
  }
}

/** The answer read: the body on success, a 4xx as a problem to show, a 5xx thrown. */
async function answered<T>(response: Response, method: Method, path: string): Promise<ApiResult<T>> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    // The answer stopped half-way (or a read timed out while it came).
    console.error(`${described(method, path)} did not answer: ${(error as Error).message}`);
    throw data(null, { status: 503 });
  }
  if (response.ok) return { ok: true, status: response.status, body: JSON.parse(text) as T };
  if (response.status >= 500)
    throw new Error(`${described(method, path)} answered ${response.status}: ${text}`);
  return { ok: false, problem: { status: response.status, ...parseProblem(text) } };
}

async function readOrThrow<T>(call: Promise<ApiResult<T>>, path: string): Promise<T> {
  const result = await call;
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

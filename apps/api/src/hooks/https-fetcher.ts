/**
 * GETs a URL and resolves with the body as text; rejects on a non-2xx answer, a redirect, a
 * timeout or an oversized body. The SNS webhook fetches signing certificates and SubscribeURLs
 * through one of these, so a test can serve a certificate it made (createApiApp's `snsFetch`).
 */
export type HttpsFetcher = (url: string) => Promise<string>;

const TIMEOUT_MS = 5000;
const MAX_BYTES = 64 * 1024;

/** The fetcher the API uses: Node's fetch, no redirects (a redirect could leave amazonaws.com). */
export const fetchHttps: HttpsFetcher = async (url) => {
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > MAX_BYTES) throw new Error(`GET ${url} answered more than ${MAX_BYTES} bytes`);
  return body.toString('utf8');
};

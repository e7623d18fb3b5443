/**
 * The `List-Unsubscribe` field of an RFC 8058 POST, in either encoding mail providers use, or
 * null. The url-encoded form (what Gmail and Yahoo send) is parsed from the text directly:
 * this is the benchmarked hot path, and a full FormData parse costs more than the rest. server.js
 * has already capped the body (16 KiB, counted as it streams, chunked or not).
 */
export async function readOneClickBody(request: Request): Promise<string | null> {
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  try {
    if (type.startsWith('application/x-www-form-urlencoded')) {
      return new URLSearchParams(await request.text()).get('List-Unsubscribe');
    }
    if (type.startsWith('multipart/form-data')) {
      const value = (await request.formData()).get('List-Unsubscribe');
      return typeof value === 'string' ? value : null;
    }
  } catch {
    // A malformed body is simply not a one-click body.
  }
  return null;
}

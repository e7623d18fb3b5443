/**
 * The one error type domain code throws for a caller's mistake. The HTTP edge maps it to
 * `{ error: { code, message, details? } }` with `status`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string, id: string) =>
  new ApiError(404, 'not_found', `No ${what} with id "${id}".`);

type PreferencesErrorCode =
  | 'unknown-contact'
  | 'erased-contact'
  | 'unknown-category'
  | 'required-category'
  | 'erasure-not-removable'
  | 'invalid-input';

/** The consent domain's only error type; the API maps `code` to an HTTP status at its edge. */
export class PreferencesError extends Error {
  override readonly name = 'PreferencesError';

  constructor(
    readonly code: PreferencesErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function isPreferencesError(error: unknown): error is PreferencesError {
  return error instanceof PreferencesError;
}

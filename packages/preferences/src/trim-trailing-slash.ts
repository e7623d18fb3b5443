/** Base URLs come from configuration with or without a final slash; links need neither doubled. */
export function trimTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

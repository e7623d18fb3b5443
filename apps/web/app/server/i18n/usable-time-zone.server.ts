/**
 * The contact's time zone if Intl knows it, else UTC: contacts.timezone is whatever an import or
 * the API stored, and a zone Intl refuses would throw while the page renders.
 */
export function usableTimeZone(zone: string | null | undefined): string {
  if (!zone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat(locale, {
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZone,
        timeZoneName: 'short',
      });
    } catch {
      // A locale or zone this runtime does not know must not stop an announcement: fall back to UTC.
      formatter = locale === 'en' && timeZone === 'UTC' ? undefined : formatterFor('en', 'UTC');
      if (!formatter) throw new Error('Intl cannot format dates in en/UTC');
    }
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * The effective date as the reader should see it: in their language and time zone, with the zone
 * named, since a change effective at midnight UTC is the previous evening in the Americas.
 */
export function formatEffectiveDate(effectiveAt: Date, locale: string, timeZone: string): string {
  return formatterFor(locale, timeZone).format(effectiveAt);
}

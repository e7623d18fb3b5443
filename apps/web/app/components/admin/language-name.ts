const names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** "de-AT" → "German (Austria) (de-AT)": the console names a language and shows its tag. */
export function languageName(tag: string): string {
  try {
    return `${names.of(tag) ?? tag} (${tag})`;
  } catch {
    return tag;
  }
}

const SPACE = /\s/;

/**
 * The offset of the first character from `from` that is not whitespace, a closed comment or, when
 * `xmlDeclaration` allows it, an `<?xml …?>` declaration: what may stand before `<mjml>` and after
 * `</mjml>`. One pass, each character read once (the regular expressions it replaces backtracked
 * exponentially on a run of whitespace followed by anything else).
 */
export function skipMjmlNoise(
  text: string,
  from: number,
  { xmlDeclaration }: { xmlDeclaration: boolean },
): number {
  let cursor = from;
  while (cursor < text.length) {
    if (SPACE.test(text.charAt(cursor))) {
      cursor += 1;
    } else if (text.startsWith('<!--', cursor)) {
      const close = text.indexOf('-->', cursor + 4);
      if (close === -1) return cursor;
      cursor = close + 3;
    } else if (xmlDeclaration && text.startsWith('<?xml', cursor)) {
      const close = text.indexOf('>', cursor + 5);
      if (close === -1 || text[close - 1] !== '?') return cursor;
      cursor = close + 1;
    } else {
      return cursor;
    }
  }
  return cursor;
}

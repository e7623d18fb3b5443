/** A comment, or an `<mjml>`/`<mj-…>` tag, found in MJML source. */
export type MjmlToken =
  | { kind: 'comment'; index: number; closed: boolean }
  | { kind: 'tag'; index: number; end: number; closing: boolean; name: string; selfClosing: boolean }
  /** A tag whose `>` never comes (or comes only inside a quote that never closes). */
  | { kind: 'unterminated'; index: number; name: string };

const NAME_CHAR = /[a-z0-9-]/i;
const AFTER_NAME = /[\s/>]/;

function isMjmlName(name: string): boolean {
  return name === 'mjml' || (name.length > 3 && name.startsWith('mj-'));
}

/**
 * The comments and MJML tags of a document, in order. Every character is read a bounded number
 * of times, so the cost is linear in the length of the source whatever it holds: the regular
 * expression this replaces backtracked exponentially on whitespace, and one template save could
 * hold the API's only thread for minutes. A quote inside a tag runs to the same quote, as in the
 * attributes MJML reads; a tag or comment that never ends is the last token.
 */
export function* scanMjmlTokens(text: string): Generator<MjmlToken> {
  for (let index = text.indexOf('<'); index !== -1; ) {
    if (text.startsWith('<!--', index)) {
      const close = text.indexOf('-->', index + 4);
      yield { kind: 'comment', index, closed: close !== -1 };
      if (close === -1) return;
      index = text.indexOf('<', close + 3);
      continue;
    }
    const closing = text[index + 1] === '/';
    const nameStart = index + (closing ? 2 : 1);
    let cursor = nameStart;
    while (cursor < text.length && NAME_CHAR.test(text.charAt(cursor))) cursor += 1;
    const name = text.slice(nameStart, cursor).toLowerCase();
    if (!isMjmlName(name) || !AFTER_NAME.test(text.charAt(cursor))) {
      index = text.indexOf('<', index + 1);
      continue;
    }
    const end = endOfTag(text, cursor);
    if (end === -1) {
      yield { kind: 'unterminated', index, name };
      return;
    }
    const selfClosing = text.slice(cursor, end).trimEnd().endsWith('/');
    yield { kind: 'tag', index, end: end + 1, closing, name, selfClosing };
    index = text.indexOf('<', end + 1);
  }
}

/** The offset of the `>` that ends a tag whose attributes start at `from`, or -1. */
function endOfTag(text: string, from: number): number {
  for (let cursor = from; cursor < text.length; cursor += 1) {
    const char = text[cursor];
    if (char === '>') return cursor;
    if (char === '"' || char === "'") {
      cursor = text.indexOf(char, cursor + 1);
      if (cursor === -1) return -1;
    }
  }
  return -1;
}

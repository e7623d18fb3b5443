import { compile } from 'html-to-text';

const convert = compile({
  // Wrapping could split a Handlebars expression such as `{{#each articles}}` across lines.
  wordwrap: false,
  selectors: [
    // The preheader is a hidden teaser for inbox lists, not part of the message.
    { selector: 'div[style*="display:none"]', format: 'skip' },
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    ...(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const).map((selector) => ({
      selector,
      options: { uppercase: false },
    })),
  ],
});

/** The plain-text part: readable text with every link written out as `label [url]`. */
export function htmlToPlainText(html: string): string {
  return tidyPlainText(convert(html));
}

/** Blank branches of {{#if}} and {{#each}} leave runs of empty lines behind. */
export function tidyPlainText(text: string): string {
  return trimLineEnds(text)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const isLineTerminator = (char: string) =>
  char === '\n' || char === '\r' || char === '\u2028' || char === '\u2029';

/**
 * Drops the spaces and tabs that end each line, in one pass. Filled data can hold a long run of
 * spaces in the middle of a line, and `/[ \t]+$/gm` rescans such a run from each of its characters
 * (seconds for 50,000 spaces, on every render and every retry of it).
 */
function trimLineEnds(text: string): string {
  const kept: string[] = [];
  let copiedUpTo = 0;
  let blanksFrom = -1;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charAt(index);
    if (char === ' ' || char === '\t') {
      if (blanksFrom === -1) blanksFrom = index;
      continue;
    }
    if (blanksFrom !== -1 && isLineTerminator(char)) {
      kept.push(text.slice(copiedUpTo, blanksFrom));
      copiedUpTo = index;
    }
    blanksFrom = -1;
  }
  if (blanksFrom !== -1) {
    kept.push(text.slice(copiedUpTo, blanksFrom));
    copiedUpTo = text.length;
  }
  kept.push(text.slice(copiedUpTo));
  return kept.join('');
}

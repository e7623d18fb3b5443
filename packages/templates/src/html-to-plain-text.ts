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
  return text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

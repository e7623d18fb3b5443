const BASE = '<base target="_blank">';

/**
 * Makes a message's HTML part fit to show inside the inbox's sandboxed iframe: links open
 * in a new tab instead of replacing the frame.
 */
export function prepareFrameHtml(html: string): string {
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head)
    return html.slice(0, head.index + head[0].length) + BASE + html.slice(head.index + head[0].length);
  return BASE + html;
}

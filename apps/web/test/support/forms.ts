/** Posts a form the way a browser without JavaScript does, and returns the status and page. */
export async function postForm(
  url: string,
  fields: [string, string][],
  headers: Record<string, string> = {},
): Promise<{ status: number; html: string; headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams(fields),
    headers: { accept: 'text/html', 'user-agent': 'WebTest/1.0', ...headers },
  });
  return { status: response.status, html: await response.text(), headers: response.headers };
}

export async function getPage(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { redirect: 'manual', headers: { accept: 'text/html', ...headers } });
  return { status: response.status, html: await response.text(), headers: response.headers };
}

/** A page without its per-response CSP nonce, the one thing that differs between two answers. */
export const withoutNonce = (html: string) => html.replace(/ nonce="[^"]*"/g, '');

/** The page's visible text, roughly: enough to assert on what a reader sees. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The whole `<input …>` tag with this id, to assert on its attributes whatever their order. */
export function inputTag(html: string, id: string): string {
  return html.match(new RegExp(`<input[^>]*\\bid="${id}"[^>]*>`))?.[0] ?? '';
}

import { createElement } from 'react';
import { renderToPipeableStream } from 'react-dom/server';
import { PassThrough, type Transform } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { withoutStrayNulBytes } from '../app/server/html-stream.server';

const WORDS = 300;
/** The piece with the em dash: its text starts at byte 2,041 (`<p>`, then 185 `<i>word</i>`, `<i>`). */
const DASHED = 185;
const word = (i: number, pad: number) => (i === DASHED ? `${'a'.repeat(pad)}—` : 'word');
const expected = (pad: number) =>
  `<p>${Array.from({ length: WORDS }, (_, i) => `<i>${word(i, pad)}</i>`).join('')}</p>`;

/**
 * A paragraph of many short pieces, as a page is (the renderer packs them into its buffer one after
 * another), with an em dash `pad` letters into one of them; rendered as entry.server.tsx renders.
 */
async function render(pad: number, through: () => Transform): Promise<Buffer> {
  const body = through();
  const chunks: Buffer[] = [];
  body.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => body.on('end', resolve));
  const words = Array.from({ length: WORDS }, (_, i) => createElement('i', { key: i }, word(i, pad)));
  const { pipe } = renderToPipeableStream(createElement('p', null, words), { onAllReady: () => pipe(body) });
  await ended;
  return Buffer.concat(chunks);
}

describe('the rendered page stream', () => {
  it('carries no NUL byte when a multi-byte character meets the renderer’s 2 KiB buffer end', async () => {
    const pads = Array.from({ length: 16 }, (_, i) => i);
    // React 18 leaves NULs for some of these paddings (the reason for the transform); if an upgrade
    // stops it, this line fails and the transform can go.
    const plain = await Promise.all(pads.map((pad) => render(pad, () => new PassThrough())));
    expect(plain.some((html) => html.includes(0))).toBe(true);

    const served = await Promise.all(pads.map((pad) => render(pad, withoutStrayNulBytes)));
    for (const [i, html] of served.entries()) {
      expect(html.includes(0), `padding ${pads[i]}`).toBe(false);
      expect(html.toString('utf8')).toBe(expected(pads[i] ?? 0));
    }
  });
});

import { Transform } from 'node:stream';

/**
 * The rendered page's bytes on their way out, without the NUL bytes React 18's streaming renderer
 * leaves at the end of a chunk. It encodes text into a 2,048-byte buffer and, when a multi-byte
 * character (an em dash, an accented letter, any non-Latin script) does not fit at its end, still
 * sends the whole buffer: the one to three bytes it did not write go out as NULs just before that
 * character (facebook/react#26228; 18.3.1 still does it on this path). HTML never holds a NUL
 * byte of its own (the HTML parser drops it; React escapes none into text), so up to three NULs that
 * end a chunk are the renderer's and are dropped.
 */
export function withoutStrayNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let end = chunk.length;
      while (end > 0 && chunk.length - end < 3 && chunk[end - 1] === 0) end--;
      done(null, end === chunk.length ? chunk : chunk.subarray(0, end));
    },
  });
}

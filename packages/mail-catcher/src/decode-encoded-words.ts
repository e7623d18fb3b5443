const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

interface PendingWord {
  charset: string;
  bytes: Buffer[];
}

/**
 * Decodes RFC 2047 encoded words (`=?utf-8?B?...?=`). Adjacent words of one charset are
 * joined as bytes before decoding, because encoders may split a multi-byte character
 * between two words.
 */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  let out = '';
  let last = 0;
  let pending = null as PendingWord | null;
  for (const match of value.matchAll(ENCODED_WORD)) {
    const [word, rawCharset = '', encoding = '', text = ''] = match;
    const between = value.slice(last, match.index);
    // RFC 2047 §6.2: whitespace between adjacent encoded words is not displayed.
    const adjacent = pending !== null && between.trim() === '';
    const charset = rawCharset.split('*')[0]?.toLowerCase() ?? '';
    const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : decodeQ(text);
    if (adjacent && pending?.charset === charset) {
      pending.bytes.push(bytes);
    } else {
      if (pending) out += decodeBytes(pending);
      if (!adjacent) out += between;
      pending = { charset, bytes: [bytes] };
    }
    last = match.index + word.length;
  }
  if (pending) out += decodeBytes(pending);
  return out + value.slice(last);
}

function decodeQ(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '_') bytes.push(0x20);
    else if (char === '=' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

function decodeBytes(pending: PendingWord): string {
  try {
    return new TextDecoder(pending.charset).decode(Buffer.concat(pending.bytes));
  } catch {
    // An unknown charset label: show the bytes as UTF-8 rather than lose the subject.
    return Buffer.concat(pending.bytes).toString('utf8');
  }
}

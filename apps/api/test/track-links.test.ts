import { parseSigningKeys, verifyClickToken } from '@herald/preferences';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { trackLinks } from '../src/delivery/track-links.js';

const keys = parseSigningKeys(`k1:${'1'.repeat(32)}`);
const publicWebUrl = 'https://mail.example.test/';
const messageId = randomUUID();
const targetOf = (href: string) => {
  const verified = verifyClickToken(href.slice('https://mail.example.test/c/'.length), keys);
  if (!verified.ok) throw new Error(`not a tracked link: ${href}`);
  return verified.payload;
};
const hrefsOf = (html: string) => [...html.matchAll(/href=(["'])(.*?)\1/g)].map((match) => match[2] ?? '');

describe('trackLinks', () => {
  it('wraps http(s) links of both parts, and leaves the token pages, mailto: and tel: alone', () => {
    const html = [
      '<a href="https://example.test/a?x&#x3D;1&amp;y=2" style="c">A</a>',
      "<a class='b' href='http://example.test/b'>B</a>",
      '<a href="https://example.test/a?x=1&amp;y=2">A again</a>',
      '<a href="https://mail.example.test/unsubscribe/TOKEN">Unsubscribe</a>',
      '<a href="https://mail.example.test/preferences/TOKEN">Preferences</a>',
      '<a href="https://mail.example.test/account/sign-in/TOKEN">Sign in</a>',
      '<a href="https://mail.example.test/blog">Our blog</a>',
      '<a href="mailto:help@example.test">Mail</a> <a href="tel:+44123">Call</a>',
    ].join('\n');
    const text =
      'A [https://example.test/a?x=1&y=2]. Then https://example.test/c, and https://mail.example.test/unsubscribe/TOKEN';
    const tracked = trackLinks({ subject: 's', html, text }, { messageId, publicWebUrl, keys, utm: null });

    const hrefs = hrefsOf(tracked.html);
    expect(targetOf(hrefs[0] ?? '')).toEqual({
      messageId,
      linkIndex: 0,
      url: 'https://example.test/a?x=1&y=2',
    });
    expect(hrefs[2]).toBe(hrefs[0]);
    expect(targetOf(hrefs[1] ?? '')).toMatchObject({ linkIndex: 1, url: 'http://example.test/b' });
    expect(tracked.html).toContain("class='b' href='https://mail.example.test/c/");
    expect(hrefs.slice(3, 6)).toEqual([
      'https://mail.example.test/unsubscribe/TOKEN',
      'https://mail.example.test/preferences/TOKEN',
      'https://mail.example.test/account/sign-in/TOKEN',
    ]);
    expect(targetOf(hrefs[6] ?? '')).toMatchObject({ url: 'https://mail.example.test/blog' });
    expect(hrefs.slice(7)).toEqual(['mailto:help@example.test', 'tel:+44123']);

    // The text part: the same token for the same target, trailing punctuation kept outside.
    expect(tracked.text).toContain(`A [${hrefs[0]}]. Then https://mail.example.test/c/`);
    const textLink = /Then (\S+), and/.exec(tracked.text)?.[1] ?? '';
    expect(targetOf(textLink)).toMatchObject({ url: 'https://example.test/c' });
    expect(tracked.text.endsWith('https://mail.example.test/unsubscribe/TOKEN')).toBe(true);
  });

  it("appends a campaign's UTM parameters a target does not already have, before its fragment", () => {
    const html = [
      '<a href="https://example.test/p#top">P</a>',
      '<a href="https://example.test/q?utm_source=site&amp;k=v">Q</a>',
    ].join('');
    const tracked = trackLinks(
      { subject: 's', html, text: '' },
      { messageId, publicWebUrl, keys, utm: { source: 'herald', medium: 'email', campaign: 'spring-sale' } },
    );
    const [p = '', q = ''] = hrefsOf(tracked.html);
    expect(targetOf(p).url).toBe(
      'https://example.test/p?utm_source=herald&utm_medium=email&utm_campaign=spring-sale#top',
    );
    expect(targetOf(q).url).toBe(
      'https://example.test/q?utm_source=site&k=v&utm_medium=email&utm_campaign=spring-sale',
    );
  });
});

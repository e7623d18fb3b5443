import { parseSigningKeys } from '@herald/preferences';
import { describe, expect, it } from 'vitest';
import { sealSecretVariables } from '../src/messages/seal-secret-variables.js';
import { openSealedData } from '../src/messages/sealed-data.js';

/** Issue 11, finding 8: the sign-in link is stored sealed, and opens only where it should. */
const OLD = parseSigningKeys(`k1:${'a'.repeat(40)}`);
const ROTATED = parseSigningKeys(`k2:${'b'.repeat(40)},k1:${'a'.repeat(40)}`);
const MESSAGE = '0190f5a2-7b5e-7cc0-8000-000000000001';
const LINK = 'https://web.example.test/account/sign-in/secret-token-123';

describe('sealed secret variables', () => {
  it("seal the security-sign-in template's link and nothing else, and open for the render", () => {
    const stored = sealSecretVariables(OLD, MESSAGE, 'security-sign-in', {
      signInUrl: LINK,
      expiresInMinutes: 15,
    });
    expect(JSON.stringify(stored)).not.toContain('secret-token-123');
    expect(stored).toEqual({ expiresInMinutes: 15, '@sealed': expect.stringMatching(/^v1\.k1\./) });
    expect(openSealedData(OLD, MESSAGE, stored)).toEqual({ signInUrl: LINK, expiresInMinutes: 15 });
    // Other templates are stored as given, minus any sealed value a caller made up.
    expect(
      sealSecretVariables(OLD, MESSAGE, 'service-notice', { title: 'x', '@sealed': 'v1.k1.a.b.c' }),
    ).toEqual({
      title: 'x',
    });
  });

  it("seal the consent-confirmation template's link, a capability to opt in", () => {
    const confirmUrl = 'https://web.example.test/preferences/confirm/confirm-token-456';
    const stored = sealSecretVariables(OLD, MESSAGE, 'consent-confirmation', {
      confirmUrl,
      choices: 'Newsletter',
      expiresInMinutes: 60,
    });
    expect(JSON.stringify(stored)).not.toContain('confirm-token-456');
    expect(stored).toEqual({
      choices: 'Newsletter',
      expiresInMinutes: 60,
      '@sealed': expect.stringMatching(/^v1\.k1\./),
    });
    expect(openSealedData(OLD, MESSAGE, stored)).toEqual({
      confirmUrl,
      choices: 'Newsletter',
      expiresInMinutes: 60,
    });
  });

  it('open after the key is rotated while it is still listed, only for their own message', () => {
    const stored = sealSecretVariables(OLD, MESSAGE, 'security-sign-in', { signInUrl: LINK });
    expect(openSealedData(ROTATED, MESSAGE, stored)).toEqual({ signInUrl: LINK });
    expect(() => openSealedData(OLD, '0190f5a2-7b5e-7cc0-8000-000000000002', stored)).toThrow();
    expect(() => openSealedData(parseSigningKeys(`k2:${'b'.repeat(40)}`), MESSAGE, stored)).toThrow(
      /no key "k1" in HERALD_SECRET/,
    );
  });
});

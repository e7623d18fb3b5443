import type { SigningKey } from '@herald/preferences';
import { secretVariablesOf } from '@herald/templates';
import { SEALED_KEY, sealSecretData } from './sealed-data.js';

/**
 * The data a message is stored with: its template's secret variables (secretVariablesOf: the
 * sign-in link) taken out and sealed under SEALED_KEY, every other value as given. The caller's
 * request is unchanged; only what reaches the database differs.
 */
export function sealSecretVariables(
  keys: readonly SigningKey[],
  messageId: string,
  templateKey: string,
  data: Record<string, unknown>,
): Record<string, unknown> {
  const plain = { ...data };
  const secret: Record<string, unknown> = {};
  for (const name of secretVariablesOf(templateKey)) {
    if (name in plain) secret[name] = plain[name];
    delete plain[name];
  }
  // A caller cannot pass a sealed value of its own: the key is Herald's.
  delete plain[SEALED_KEY];
  if (Object.keys(secret).length === 0) return plain;
  return { ...plain, [SEALED_KEY]: sealSecretData(keys, messageId, secret) };
}

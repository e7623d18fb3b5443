import { generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * What every Herald process of one test needs: the test file's database, and a key, secrets and a
 * Bull queue prefix of its own, so processes started by different files never share a queue.
 */
export function heraldEnvironment(label = 'test'): Record<string, string> {
  return {
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_test',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    HERALD_QUEUE_PREFIX: `${label}-${randomBytes(4).toString('hex')}`,
    HERALD_API_KEY: `${label}-${randomBytes(12).toString('hex')}`,
    // The web app's own key, with only the web's scopes (the API and the web app both get it).
    HERALD_WEB_API_KEY: `${label}-web-${randomBytes(12).toString('hex')}`,
    HERALD_SECRET: `${label}:${randomBytes(32).toString('base64url')}`,
    // Production processes refuse the public development values of these (@herald/config).
    HERALD_IP_SALT: randomBytes(32).toString('base64url'),
    HERALD_ADDRESS_HASH_KEY: randomBytes(32).toString('base64url'),
    // The consent log's anchor-signing key (Ed25519, base64 PKCS#8), one per test like the others.
    HERALD_EVIDENCE_KEY: generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'der' })
      .toString('base64'),
  };
}

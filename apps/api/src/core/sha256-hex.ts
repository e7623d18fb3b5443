import { createHash } from 'node:crypto';

/** How API keys and console session secrets are stored and looked up: never the secret itself. */
export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

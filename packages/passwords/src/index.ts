export { hashPassword } from './hash-password.js';
export { verifyPassword } from './verify-password.js';
export { decoyHash } from './decoy-hash.js';
export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password-length.js';

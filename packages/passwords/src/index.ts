export { hashPassword } from './hash-password.js';
export { verifyPassword } from './verify-password.js';
export { decoyHash } from './decoy-hash.js';

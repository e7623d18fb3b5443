export { parseEnv, EnvError } from './parse-env.js';
export type { CommonEnv } from './common-env.js';
export { ApiEnvSchema, WorkerEnvSchema } from './api-env.js';
export type { ApiEnv, WorkerEnv } from './api-env.js';
export { WebEnvSchema } from './web-env.js';
export type { WebEnv } from './web-env.js';
export { DEVELOPMENT_EVIDENCE_KEY, evidenceKeyId, parseEvidenceKey, publicParts } from './evidence-key.js';
export type { EvidenceKey } from './evidence-key.js';

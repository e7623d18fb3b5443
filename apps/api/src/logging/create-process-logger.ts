import type { CommonEnv } from '@herald/config';
import { HeraldLogger } from './herald-logger.js';
import { useProcessLogger } from './process-logger.js';

/**
 * The API's or worker's logger from LOG_FORMAT and LOG_LEVEL, installed as the process's (for the
 * delivery path) and handed to Nest. The process's own keys are redacted from every line.
 */
export function createProcessLogger(
  env: CommonEnv & { HERALD_API_KEY?: string; HERALD_WEB_API_KEY?: string | undefined },
  processName: 'api' | 'worker',
): HeraldLogger {
  const secrets = [
    env.HERALD_API_KEY,
    env.HERALD_WEB_API_KEY,
    ...env.HERALD_SECRET.split(',').flatMap((key) => [key, key.slice(key.indexOf(':') + 1)]),
  ].filter((value): value is string => typeof value === 'string' && value.length > 0);
  const logger = new HeraldLogger({ format: env.LOG_FORMAT, level: env.LOG_LEVEL, processName, secrets });
  useProcessLogger(logger);
  return logger;
}

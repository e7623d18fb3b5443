import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-root.js';

/**
 * The Node options `npm run start:worker` gives a worker (read from the root package.json's script),
 * so that a benchmark measures a worker's memory and speed as the README tells operators to run it.
 */
export function workerNodeArgs(): string[] {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const script = manifest.scripts['start:worker'];
  if (!script) throw new Error('package.json has no start:worker script');
  return script.split(/\s+/).filter((word) => word.startsWith('--'));
}

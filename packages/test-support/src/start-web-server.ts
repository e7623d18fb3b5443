import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { heraldEnvironment } from './herald-environment.js';
import { REPO_ROOT } from './repo-root.js';
import { startNodeProcess, type NodeProcess } from './start-node-process.js';
import { waitForHttp } from './wait-for-http.js';

const WEB_DIR = join(REPO_ROOT, 'apps/web');

export interface WebServer {
  url: string;
  env: Record<string, string>;
  process: NodeProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node apps/web/server.js` (the production server over the built app) on a free port. */
export async function startWebServer(overrides: Record<string, string> = {}): Promise<WebServer> {
  if (!existsSync(join(WEB_DIR, 'build/server/index.js'))) {
    throw new Error(
      'apps/web is not built: run `npm run build --workspace @herald/web` (npm test builds first)',
    );
  }
  // A caller that must tell other processes the address up front picks the port itself.
  const port = overrides.WEB_PORT ? Number(overrides.WEB_PORT) : await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    ...heraldEnvironment('web'),
    NODE_ENV: 'production',
    WEB_PORT: String(port),
    PUBLIC_WEB_URL: url,
    ...overrides,
  };
  const started = startNodeProcess('server.js', env, { cwd: WEB_DIR });
  try {
    await waitForHttp(`${url}/`, started);
  } catch (error) {
    await started.stop();
    throw error;
  }
  return {
    url,
    env,
    process: started,
    output: started.output,
    stop: () => started.stop(),
  };
}

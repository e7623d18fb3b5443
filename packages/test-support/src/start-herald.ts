import { createApiClient, type ApiClient } from './create-api-client.js';
import { flushQueuePrefix } from './flush-queue-prefix.js';
import { freePort } from './free-port.js';
import { heraldEnvironment } from './herald-environment.js';
import { startNodeProcess, type NodeProcess } from './start-node-process.js';
import { waitForHttp } from './wait-for-http.js';

const API_SCRIPT = 'apps/api/dist/main.js';
const WORKER_SCRIPT = 'apps/api/dist/worker.js';

export interface HeraldOptions {
  /** API processes, each on a port of its own. Default 1. */
  apis?: number;
  /** Worker processes. Default 1. */
  workers?: number;
  /** Added to (and overriding) the generated environment: SMTP_URL, intervals, DATABASE_URL, … */
  env?: Record<string, string>;
  /** Node options for the workers, e.g. a heap limit. */
  workerNodeArgs?: string[];
  /** Node options for the APIs, e.g. --cpu-prof. */
  apiNodeArgs?: string[];
}

export interface Herald {
  /** The first API's address, and every API's. */
  apiUrl: string;
  apiUrls: string[];
  /** HERALD_API_KEY, the bootstrap key with every scope; `client` calls with it. */
  apiKey: string;
  /** HERALD_WEB_API_KEY, the web app's key with only the web's scopes. */
  webApiKey: string;
  /** The environment every process shares (without each API's port). */
  env: Record<string, string>;
  /** A client of the first API. */
  client: ApiClient;
  apis: NodeProcess[];
  workers: NodeProcess[];
  /** Starts API `index` again on its port, after it was stopped or killed. */
  restartApi(index?: number): Promise<NodeProcess>;
  startWorker(nodeArgs?: string[]): NodeProcess;
  stopWorkers(): Promise<void>;
  /** Deletes every Redis key under this installation's queue prefix. */
  flushQueuePrefix(): Promise<number>;
  /** What every process wrote, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * The built API and worker processes (`apps/api/dist/main.js`, `worker.js`) as a deployment runs
 * them, N of each, sharing one database and one queue prefix. Resolves once every API answers /health.
 */
export async function startHerald({
  apis = 1,
  workers = 1,
  env: overrides = {},
  workerNodeArgs = [],
  apiNodeArgs = [],
}: HeraldOptions = {}): Promise<Herald> {
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    ...heraldEnvironment('herald'),
    ...overrides,
  };
  const ports = await Promise.all(Array.from({ length: apis }, () => freePort()));
  const apiUrls = ports.map((port) => `http://127.0.0.1:${port}`);
  const apiUrl = apiUrls[0] ?? '';
  const apiEnv = (index: number) => ({
    PUBLIC_API_URL: apiUrl,
    ...env,
    API_PORT: String(ports[index]),
  });
  const startApi = async (index: number) => {
    const started = startNodeProcess(API_SCRIPT, apiEnv(index), { nodeArgs: apiNodeArgs });
    await waitForHttp(`${apiUrls[index]}/health`, started);
    return started;
  };

  const herald: Herald = {
    apiUrl,
    apiUrls,
    apiKey: env.HERALD_API_KEY ?? '',
    webApiKey: env.HERALD_WEB_API_KEY ?? '',
    env,
    client: createApiClient(apiUrl, env.HERALD_API_KEY ?? ''),
    apis: [],
    workers: [],
    async restartApi(index = 0) {
      await herald.apis[index]?.stop();
      const started = await startApi(index);
      herald.apis[index] = started;
      return started;
    },
    startWorker(nodeArgs = workerNodeArgs) {
      const started = startNodeProcess(WORKER_SCRIPT, { PUBLIC_API_URL: apiUrl, ...env }, { nodeArgs });
      herald.workers.push(started);
      return started;
    },
    async stopWorkers() {
      await Promise.all(herald.workers.splice(0).map((worker) => worker.stop()));
    },
    flushQueuePrefix: () => flushQueuePrefix(env.REDIS_URL ?? '', env.HERALD_QUEUE_PREFIX ?? ''),
    output: () => [...herald.apis, ...herald.workers].map((p) => p.output()).join('\n'),
    async stop() {
      await Promise.all([...herald.apis, ...herald.workers].map((p) => p.stop()));
    },
  };
  for (let i = 0; i < workers; i++) herald.startWorker();
  herald.apis.push(
    ...ports.map((_, index) => startNodeProcess(API_SCRIPT, apiEnv(index), { nodeArgs: apiNodeArgs })),
  );
  try {
    await Promise.all(herald.apis.map((api, index) => waitForHttp(`${apiUrls[index]}/health`, api)));
  } catch (error) {
    await herald.stop();
    throw error;
  }
  return herald;
}

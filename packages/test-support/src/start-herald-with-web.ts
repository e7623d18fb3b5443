import { freePort } from './free-port.js';
import { startHerald, type Herald, type HeraldOptions } from './start-herald.js';
import { startWebServer, type WebServer } from './start-web-server.js';

export interface HeraldWithWeb {
  herald: Herald;
  web: WebServer;
  stop(): Promise<void>;
}

/**
 * The built API and workers plus the built web app, as one installation: one database, secret, API
 * key and queue prefix; the API links to the web app's pages and the console calls the API.
 */
export async function startHeraldWithWeb({
  webEnv = {},
  ...options
}: HeraldOptions & { webEnv?: Record<string, string> } = {}): Promise<HeraldWithWeb> {
  const webPort = String(await freePort());
  const webUrl = `http://127.0.0.1:${webPort}`;
  const herald = await startHerald({ ...options, env: { PUBLIC_WEB_URL: webUrl, ...options.env } });
  const shared = [
    'DATABASE_URL',
    'REDIS_URL',
    'HERALD_SECRET',
    'HERALD_API_KEY',
    'HERALD_WEB_API_KEY',
    'HERALD_QUEUE_PREFIX',
    'HERALD_IP_SALT',
  ];
  try {
    const web = await startWebServer({
      ...Object.fromEntries(shared.map((name) => [name, herald.env[name] ?? ''])),
      HERALD_API_URL: herald.apiUrl,
      WEB_PORT: webPort,
      PUBLIC_WEB_URL: webUrl,
      ...webEnv,
    });
    return {
      herald,
      web,
      stop: async () => {
        await Promise.all([herald.stop(), web.stop()]);
      },
    };
  } catch (error) {
    await herald.stop();
    throw error;
  }
}

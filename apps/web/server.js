// Production server for the built Remix app (`npm run start:web` after `remix vite:build`).
import { createRequestHandler } from '@remix-run/express';
import express from 'express';
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { limitRequestBody } from './server/limit-request-body.js';
import { logRequests, writeJsonLog } from './server/log-requests.js';
import { refuseCrossSitePosts } from './server/refuse-cross-site-posts.js';
import { securityHeaders } from './server/security-headers.js';
import { trustProxySetting } from './server/trust-proxy.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

let build;
try {
  build = await import('./build/server/index.js');
} catch (error) {
  // The build validates the environment when it is imported (app/server/env.server.ts).
  if (error?.name === 'EnvError') {
    console.error(`herald web: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
const { webEnv, isHttps, handleClick, drainClicks, handleOneClick } = build.entry.module;
// Said once, by the process that starts the others.
const trustProxy = trustProxySetting(webEnv.WEB_TRUST_PROXY, cluster.isPrimary ? console.warn : () => {});

if (cluster.isPrimary && webEnv.WEB_WORKERS > 1) {
  // Several processes share the port; a process that dies takes the server down with it, so the
  // supervisor (systemd, a container runtime) restarts the whole thing rather than half of it.
  let stopping = false;
  for (let i = 0; i < webEnv.WEB_WORKERS; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`herald web: worker ${worker.process.pid} exited (${signal ?? code}); stopping`);
    process.exit(1);
  });
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill(signal);
      cluster.on('exit', () => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(0));
      setTimeout(() => process.exit(0), 5000).unref();
    });
  }
} else {
  serve();
}

function serve() {
  const app = express();
  app.disable('x-powered-by');
  // When the request arrived: a consent change records it, and the conformance report measures
  // from it to the change's effect.
  app.use((_req, res, next) => {
    res.locals.receivedAt = new Date();
    next();
  });
  app.set('trust proxy', trustProxy);
  if (webEnv.LOG_FORMAT === 'json') app.use(logRequests);
  app.use(securityHeaders({ https: isHttps }));
  // Tracked links answer here, before Remix: a signed token, a 302, the click batched
  // (app/server/clicks/click-redirect.server.ts). Express answers HEAD through the GET route.
  app.get('/c/:token', handleClick);
  app.use(limitRequestBody);
  app.use(refuseCrossSitePosts);
  // RFC 8058 one-click posts answer here too, before Remix (app/server/one-click-express.server.ts);
  // a multipart body goes on to the Remix route.
  app.post('/u/:token', handleOneClick);
  app.use('/assets', express.static(here('./build/client/assets'), { immutable: true, maxAge: '1y' }));
  app.use(express.static(here('./build/client'), { maxAge: '1h' }));
  app.all(
    '*',
    createRequestHandler({
      build,
      getLoadContext: (req, res) => ({
        clientIp: req.ip,
        cspNonce: res.locals.cspNonce,
        receivedAt: res.locals.receivedAt,
      }),
    }),
  );
  // A refused body's action fails after its 413 is out; there is nothing left to answer.
  app.use((error, _req, res, next) => (res.locals.bodyRefused ? undefined : next(error)));

  const server = app.listen(webEnv.WEB_PORT, () => {
    const { port } = server.address();
    const listening = `herald web listening on http://localhost:${port}`;
    if (webEnv.LOG_FORMAT === 'json') writeJsonLog('Herald', listening);
    else console.log(listening);
  });
  for (const signal of ['SIGTERM', 'SIGINT']) {
    // The clicks still waiting for their batch are written before the process ends (a few seconds at most).
    process.once(signal, () => server.close(() => drainClicks(3000).finally(() => process.exit(0))));
  }
}

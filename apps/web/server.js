// Production server for the built Remix app (`npm run start:web` after `remix vite:build`).
import { createRequestHandler } from '@remix-run/express';
import express from 'express';
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';

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
const { webEnv } = build.entry.module;

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
  app.set('trust proxy', trustProxy(webEnv.WEB_TRUST_PROXY));
  app.use((_req, res, next) => {
    // Page URLs carry capability tokens: never send them to another site as a Referer, never frame
    // the pages. ("no-referrer" would also make Chromium send `Origin: null` on the pages' own
    // form posts, which Remix's CSRF guard refuses.)
    res.set({
      'Referrer-Policy': 'same-origin',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "frame-ancestors 'none'",
    });
    next();
  });
  app.use(refuseCrossSitePosts);
  app.use('/assets', express.static(here('./build/client/assets'), { immutable: true, maxAge: '1y' }));
  app.use(express.static(here('./build/client'), { maxAge: '1h' }));
  app.all('*', createRequestHandler({ build, getLoadContext: (req) => ({ clientIp: req.ip }) }));

  const server = app.listen(webEnv.WEB_PORT, () => {
    const { port } = server.address();
    console.log(`herald web listening on http://localhost:${port}`);
  });
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => server.close(() => process.exit(0)));
  }
}

/**
 * Remix aborts a page-route POST whose Origin is another host (its CSRF guard) by answering 500
 * with no body. Answer the same requests here, by the same rule, with a 403 page instead.
 * The one-click route is exempt: mail providers post to it cross-site, and Remix does not
 * guard resource routes either.
 */
function refuseCrossSitePosts(req, res, next) {
  if (req.method === 'GET' || req.method === 'HEAD' || req.path.startsWith('/u/')) return next();
  const origin = req.get('origin');
  if (!origin) return next();
  const host = (req.get('x-forwarded-host') ?? '').split(',')[0].trim() || req.get('host');
  let originHost = null;
  try {
    originHost = new URL(origin).host;
  } catch {
    // "null" (an opaque origin) and malformed values are refused below, as Remix would
  }
  if (originHost && originHost === host) return next();
  res
    .status(403)
    .type('html')
    .send(
      '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Not allowed</title></head>' +
        '<body><main><h1>Not allowed</h1><p>This form can only be sent from this site. Nothing was changed.</p></main></body></html>',
    );
}

/** "true"/"false", a hop count, or Express's names and subnets ("loopback", "10.0.0.0/8, …"). */
function trustProxy(value) {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((part) => part.trim());
}

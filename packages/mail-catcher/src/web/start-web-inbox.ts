import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MessageStore } from '../message-store.js';
import { escapeHtml, renderLayout } from './html.js';
import { isLocalHost } from './is-local-host.js';
import { prepareFrameHtml } from './prepare-frame-html.js';
import { renderInboxPage } from './render-inbox-page.js';
import { renderMessagePage } from './render-message-page.js';

export interface WebInbox {
  port: number;
  close(): Promise<void>;
}

const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; form-action 'self' http: https:; base-uri 'none'; frame-ancestors 'none'";
// The message's own HTML: no scripts, no forms, no plugins, even when opened outside the iframe.
const FRAME_CSP =
  "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; img-src http: https: data: cid:; style-src 'unsafe-inline' http: https:; font-src http: https: data:";

/** The browser inbox on plain node:http: server-rendered pages that need no JavaScript. */
export async function startWebInbox(options: {
  store: MessageStore;
  host: string;
  port: number;
}): Promise<WebInbox> {
  const server = createServer((request, response) => {
    handle(options.store, request, response).catch((error: unknown) => {
      send(response, 500, 'text/plain; charset=utf-8', `Mail catcher error: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  store: MessageStore,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (!isLocalHost(request.headers.host)) {
    return send(
      response,
      403,
      'text/plain; charset=utf-8',
      'Host not allowed: this inbox answers only to localhost, 127.0.0.1 or [::1].',
    );
  }
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  const path = new URL(request.url ?? '/', 'http://inbox').pathname;

  if (path === '/clear') {
    if (method !== 'POST') return notAllowed(response, 'POST');
    if (isCrossSite(request))
      return send(response, 403, 'text/plain; charset=utf-8', 'Cross-site request refused');
    store.clear();
    response.writeHead(303, { location: '/' }).end();
    return;
  }
  if (method !== 'GET') return notAllowed(response, 'GET, HEAD');
  if (path === '/favicon.ico') {
    response.writeHead(204).end();
    return;
  }
  if (path === '/') return page(response, 200, renderInboxPage(store.list(), store.count()));
  if (path === '/api/messages') {
    const list = store
      .list()
      .reverse()
      .map((message) => ({
        id: message.id,
        receivedAt: message.receivedAt,
        from: message.envelope.from,
        to: message.envelope.to,
        subject: message.subject ?? null,
        heraldMessageId: message.heraldMessageId ?? null,
      }));
    return send(response, 200, 'application/json; charset=utf-8', JSON.stringify(list));
  }

  const route = /^\/messages\/([^/]+)(\/html|\/raw)?$/.exec(path);
  const message = route?.[1] ? store.get(decodeURIComponent(route[1])) : undefined;
  if (!route || !message) return notFound(response);
  if (route[2] === '/raw') {
    if (!message.raw) return notFound(response);
    return send(response, 200, 'text/plain; charset=utf-8', message.raw);
  }
  const parsed = message.raw || message.headers().length > 0 ? await message.parse() : null;
  if (route[2] === '/html') {
    if (typeof parsed?.html !== 'string') return notFound(response);
    response.setHeader('content-security-policy', FRAME_CSP);
    return send(response, 200, 'text/html; charset=utf-8', prepareFrameHtml(parsed.html));
  }
  // With keep='headers' there is nothing but headers to show.
  return page(response, 200, renderMessagePage(message, message.raw ? parsed : null));
}

function isCrossSite(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

function page(response: ServerResponse, status: number, html: string): void {
  response.setHeader('content-security-policy', PAGE_CSP);
  send(response, status, 'text/html; charset=utf-8', html);
}

function notFound(response: ServerResponse): void {
  const body =
    '<p><a href="/">← Inbox</a></p><h1>Not found</h1><p>There is no such message here. It may have been cleared or dropped as one of the oldest.</p>';
  page(response, 404, renderLayout('Not found', body));
}

function notAllowed(response: ServerResponse, allow: string): void {
  response.setHeader('allow', allow);
  page(
    response,
    405,
    renderLayout('Method not allowed', `<h1>Method not allowed</h1><p>Use ${escapeHtml(allow)}.</p>`),
  );
}

function send(response: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  response.writeHead(status, {
    'content-type': contentType,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  response.end(body);
}

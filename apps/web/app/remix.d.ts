import '@remix-run/node';

declare module '@remix-run/node' {
  /** What server.js passes to every loader and action (see getLoadContext there). */
  interface AppLoadContext {
    /** The client's address as Express resolved it (WEB_TRUST_PROXY decides whose X-Forwarded-For counts). */
    clientIp?: string;
    /** This response's Content-Security-Policy nonce, for Remix's inline scripts (see entry.server.tsx). */
    cspNonce?: string;
    /** When Express received the request (a consent change records it as requested_at). */
    receivedAt?: Date;
  }
  interface Future {
    v3_singleFetch: true;
  }
}

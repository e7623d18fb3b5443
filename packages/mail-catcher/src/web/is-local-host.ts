/** The names a browser on this machine uses for the inbox; the port may be any. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a request's `Host` header names this machine by a loopback name. A page on any site can
 * point a name it controls at 127.0.0.1 (DNS rebinding) and then read the inbox as same-origin; its
 * requests still carry that name in `Host`, so answering only loopback names keeps caught mail (sign-in
 * links among it) away from other sites. A missing header (HTTP/1.0) is refused too.
 */
export function isLocalHost(host: string | undefined): boolean {
  if (!host) return false;
  const match = /^(\[[^\]]*\]|[^:]*)(?::\d{1,5})?$/.exec(host.trim().toLowerCase());
  return match?.[1] !== undefined && LOCAL_HOSTS.has(match[1]);
}

/**
 * WEB_TRUST_PROXY as Express's "trust proxy" takes it: "true"/"false", a hop count, or names and
 * subnets ("loopback", "10.0.0.0/8, …"). `true` believes every X-Forwarded-For, so any client can
 * name itself any address: the rate limits and the consent log's address hashes then mean nothing.
 * It still works (a proxy that overwrites the header makes it safe), but the start says so.
 */
export function trustProxySetting(value, warn = console.warn) {
  if (value === 'true') {
    warn(
      'herald web: WEB_TRUST_PROXY=true trusts X-Forwarded-For from anyone, so a client can pick the address ' +
        'its rate limits and consent-log entries are counted under. Set the number of proxies in front of ' +
        'the app (WEB_TRUST_PROXY=1) or their addresses (WEB_TRUST_PROXY=10.0.0.5 or 10.0.0.0/8) instead.',
    );
    return true;
  }
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((part) => part.trim());
}

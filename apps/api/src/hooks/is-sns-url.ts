/**
 * Whether a URL in an SNS message may be fetched: https on an SNS endpoint
 * (`sns.{region}.amazonaws.com`, or `.amazonaws.com.cn` in China), no port, no credentials. The
 * signing certificate is trusted because it comes over TLS from such a host, as the AWS SDKs'
 * validators do; a message naming any other URL is forged and nothing is fetched for it.
 */
export function isSnsUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    url.protocol === 'https:' &&
    url.port === '' &&
    url.username === '' &&
    url.password === '' &&
    /^sns\.[a-z0-9-]{3,}\.amazonaws\.com(\.cn)?$/.test(url.hostname)
  );
}

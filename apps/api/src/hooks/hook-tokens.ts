/** Injection tokens of the webhooks: the fetcher SNS certificates and SubscribeURLs go through, and the certificate cache. */
export const HTTPS_FETCHER = Symbol('HTTPS_FETCHER');
export const SNS_CERTIFICATES = Symbol('SNS_CERTIFICATES');

import { type KeyObject, X509Certificate } from 'node:crypto';
import { DomainError } from '../core/domain-error.js';
import type { HttpsFetcher } from './https-fetcher.js';

/** SNS signs with one certificate per region at a time: a few entries cover every topic. */
const MAX_ENTRIES = 16;

/**
 * The public keys of SNS signing certificates, fetched once per URL and kept (at most
 * MAX_ENTRIES, the oldest dropped first). A fetch that fails is not kept, so the next message
 * tries again; concurrent messages naming the same URL share one fetch. A fetch that fails rejects
 * with its own error (the caller answers 5xx and SNS retries later); a body that is not a
 * certificate valid now rejects with `invalid_signature`.
 */
export class SnsCertificates {
  private readonly keys = new Map<string, Promise<KeyObject>>();

  constructor(private readonly fetch: HttpsFetcher) {}

  publicKey(url: string): Promise<KeyObject> {
    const cached = this.keys.get(url);
    if (cached) return cached;
    const loading = this.fetch(url).then((pem) => {
      let certificate: X509Certificate;
      try {
        certificate = new X509Certificate(pem);
      } catch {
        throw new DomainError(
          'invalid_signature',
          `SigningCertURL ${url} does not hold an X.509 certificate.`,
        );
      }
      const now = Date.now();
      if (Date.parse(certificate.validFrom) > now || Date.parse(certificate.validTo) < now) {
        throw new DomainError(
          'invalid_signature',
          `The certificate at SigningCertURL ${url} is not valid now.`,
        );
      }
      return certificate.publicKey;
    });
    loading.catch(() => this.keys.delete(url));
    this.keys.set(url, loading);
    if (this.keys.size > MAX_ENTRIES) {
      const oldest = this.keys.keys().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    return loading;
  }
}

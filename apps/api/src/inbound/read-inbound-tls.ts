import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';

/** The certificate and key the inbound listener offers with STARTTLS. */
export interface InboundTls {
  cert: Buffer;
  key: Buffer;
}

function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`${variable}: cannot read the PEM file "${path}" (${(error as Error).message})`, {
      cause: error,
    });
  }
}

/**
 * Reads INBOUND_SMTP_TLS_CERT and INBOUND_SMTP_TLS_KEY (PEM file paths) once, at start-up, and checks
 * that the key belongs to the certificate: a worker that started anyway would fail every client's
 * STARTTLS handshake instead. Undefined when neither is set (the configuration requires both or neither).
 */
export function readInboundTls(env: {
  INBOUND_SMTP_TLS_CERT?: string | undefined;
  INBOUND_SMTP_TLS_KEY?: string | undefined;
}): InboundTls | undefined {
  if (env.INBOUND_SMTP_TLS_CERT === undefined || env.INBOUND_SMTP_TLS_KEY === undefined) return undefined;
  const tls = {
    cert: readPem('INBOUND_SMTP_TLS_CERT', env.INBOUND_SMTP_TLS_CERT),
    key: readPem('INBOUND_SMTP_TLS_KEY', env.INBOUND_SMTP_TLS_KEY),
  };
  try {
    createSecureContext(tls);
  } catch (error) {
    throw new Error(
      `INBOUND_SMTP_TLS_CERT and INBOUND_SMTP_TLS_KEY are not a usable certificate and private key (${(error as Error).message})`,
      { cause: error },
    );
  }
  return tls;
}

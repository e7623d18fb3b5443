import nodemailer from 'nodemailer';
/** A nodemailer transport to the catcher, as the worker would build one. */
export function transportTo(
  catcher: { smtpPort: number },
  options: { pool?: boolean; maxConnections?: number } = {},
) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: catcher.smtpPort,
    secure: false,
    ignoreTLS: true,
    pool: options.pool ?? false,
    maxConnections: options.maxConnections ?? 5,
    maxMessages: Infinity,
  });
}

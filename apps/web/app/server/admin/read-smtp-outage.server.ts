import { webEnv } from '../env.server';

/** The console frame waits this long for the API's /health, then shows the page without it. */
const HEALTH_TIMEOUT_MS = 1000;

export interface SmtpOutages {
  /** Since when the relay of transactional mail (SMTP_URL) has refused connections, or null. */
  transactional: string | null;
  /** The same for the promotional relay (PROMOTIONAL_SMTP_URL), when one of its own is configured. */
  promotional: string | null;
}

/**
 * Since when the workers cannot reach each SMTP relay, as the API's /health says (their circuit
 * breakers); nulls when they can, or when the API does not say in time: the banner is a warning,
 * never a reason to hold the console back.
 */
export async function readSmtpOutage(): Promise<SmtpOutages> {
  try {
    const response = await fetch(`${webEnv.HERALD_API_URL.replace(/\/+$/, '')}/health`, {
      signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
    });
    const body = (await response.json()) as {
      smtp?: string;
      smtpUnavailableSince?: string;
      promotionalSmtp?: string;
      promotionalSmtpUnavailableSince?: string;
    };
    return {
      transactional: (body.smtp === 'unavailable' && body.smtpUnavailableSince) || null,
      promotional: (body.promotionalSmtp === 'unavailable' && body.promotionalSmtpUnavailableSince) || null,
    };
  } catch {
    return { transactional: null, promotional: null };
  }
}

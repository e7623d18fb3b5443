import { webEnv } from '../env.server';

/** The console frame waits this long for the API's /health, then shows the page without it. */
const HEALTH_TIMEOUT_MS = 1000;

/**
 * Since when the workers cannot reach the SMTP relay, as the API's /health says (their circuit
 * breakers), or null when they can, or when the API does not say in time: the banner is a warning,
 * never a reason to hold the console back.
 */
export async function readSmtpOutage(): Promise<string | null> {
  try {
    const response = await fetch(`${webEnv.HERALD_API_URL.replace(/\/+$/, '')}/health`, {
      signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
    });
    const body = (await response.json()) as { smtp?: string; smtpUnavailableSince?: string };
    return body.smtp === 'unavailable' && body.smtpUnavailableSince ? body.smtpUnavailableSince : null;
  } catch {
    return null;
  }
}

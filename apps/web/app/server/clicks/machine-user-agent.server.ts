import { isbot } from 'isbot';

/**
 * User agents of the link scanners and prefetchers that follow links in mail before (or instead of)
 * a person: mail security gateways, "safe links" rewriters, and the link previews of chat and mail
 * apps. Matched case-insensitively anywhere in the User-Agent header. isbot's list (crawlers,
 * monitoring, HTTP libraries such as curl, python-requests, Go-http-client) is checked as well.
 * Scanners that pass as an ordinary browser are caught by the burst rule instead
 * (docs/decisions/022-click-tracking.md).
 */
export const MACHINE_USER_AGENT_FRAGMENTS: readonly string[] = [
  // Mail security gateways and link protection.
  'barracuda',
  'mimecast',
  'proofpoint',
  'urldefense',
  'messagelabs',
  'symantec',
  'trendmicro',
  'trend micro',
  'forcepoint',
  'websense',
  'sophos',
  'fireeye',
  'trellix',
  'ironport',
  'cisco',
  'zscaler',
  'trustwave',
  'spamtitan',
  'cloudmark',
  'hornetsecurity',
  'vade',
  'libraesva',
  'safelinks',
  'safe links',
  'google-safety',
  'google-inspectiontool',
  // Previews and prefetchers of mail and chat apps.
  'bingpreview',
  'googleimageproxy',
  'yahoomailproxy',
  'skypeuripreview',
  'slackbot',
  'facebookexternalhit',
  'twitterbot',
  'whatsapp',
  'telegrambot',
  'discordbot',
  'linkedinbot',
  'microsoft office',
  'ms-office',
  'office-protocol-discovery',
];

const FRAGMENTS = new RegExp(
  MACHINE_USER_AGENT_FRAGMENTS.map((fragment) => fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
  'i',
);

/** True for a request no person's browser made: no user agent, a known scanner's, or a bot's. */
export function isMachineUserAgent(userAgent: string | undefined): boolean {
  if (!userAgent || userAgent.trim() === '') return true;
  return FRAGMENTS.test(userAgent) || isbot(userAgent);
}

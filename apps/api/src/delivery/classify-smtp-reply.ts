/** Where in the SMTP exchange a reply came: it decides whether a refusal concerns the recipient. */
export type SmtpStage = 'connection' | 'auth' | 'mail-from' | 'rcpt' | 'data';

export interface SmtpReply {
  /** The three-digit reply code; absent when nothing was replied (network trouble, timeout). */
  code?: number;
  /** The RFC 3463 enhanced status code from the reply text ("5.7.1"), when the server gave one. */
  enhanced?: string;
  stage?: SmtpStage;
}

/**
 * - `hard-bounce`: the address does not exist; the message bounces and the address is suppressed;
 * - `temporary`: try again later (soft bounce, busy server, network); the last attempt fails;
 * - `blocked`: the server refuses the sender (relay denied, spam policy, authentication), not the
 *   address: the message fails and the address is never suppressed;
 * - `permanent`: this message cannot be delivered as it is; it fails, the address is untouched.
 */
export type SmtpReplyKind = 'hard-bounce' | 'temporary' | 'blocked' | 'permanent';

/** Codes that refuse the sender's authentication whatever the stage (RFC 4954). */
const AUTHENTICATION_CODES = new Set([530, 534, 535, 538]);
/** Without an enhanced code, these replies to RCPT TO say the mailbox or its domain is unknown. */
const BARE_UNKNOWN_RECIPIENT_CODES = new Set([550, 551, 553]);

/**
 * Classifies one SMTP reply, whether read during a send or found later in a bounce report. Only a
 * reply that is about the address suppresses it: a relay misconfiguration or a blocklisting refuses
 * every recipient alike, and suppressing them would stop required mail for good.
 */
export function classifySmtpReply({ code, enhanced, stage }: SmtpReply): SmtpReplyKind {
  if (code === undefined || code < 500) return 'temporary';
  const [, subject, detail] = (enhanced ?? '').split('.');
  if (subject === '7' || AUTHENTICATION_CODES.has(code) || stage === 'auth') return 'blocked';
  // Mailbox full, and mail system or network trouble on the far side, may clear up.
  if ((subject === '2' && detail === '2') || subject === '3' || subject === '4') return 'temporary';
  // At MAIL FROM or on connecting the server refuses the sender, not any recipient.
  if (stage === 'mail-from' || stage === 'connection') return code === 552 ? 'permanent' : 'blocked';
  if (subject === '1') return 'hard-bounce';
  if (stage === 'rcpt' && (subject === '5' || (!enhanced && BARE_UNKNOWN_RECIPIENT_CODES.has(code))))
    return 'hard-bounce';
  return 'permanent';
}

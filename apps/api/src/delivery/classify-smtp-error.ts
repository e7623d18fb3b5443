import { classifySmtpReply, type SmtpReplyKind, type SmtpStage } from './classify-smtp-reply.js';

export interface SmtpFailure {
  kind: SmtpReplyKind;
  code?: number;
  /** The enhanced status code (x.y.z) the reply carried. */
  enhanced?: string;
  stage?: SmtpStage;
  /** The server's reply as it came ("554 5.7.1 Relay access denied"), or the error for network trouble. */
  response: string;
}

/** nodemailer names the command a reply answered; the stage is what the classification needs. */
function stageOf(command: string | undefined): SmtpStage | undefined {
  if (!command) return undefined;
  if (command === 'RCPT TO') return 'rcpt';
  if (command === 'MAIL FROM') return 'mail-from';
  if (command === 'DATA') return 'data';
  if (command.startsWith('AUTH')) return 'auth';
  if (command === 'CONN' || command === 'EHLO' || command === 'HELO' || command === 'STARTTLS')
    return 'connection';
  return undefined;
}

/**
 * Reads a failed send (a nodemailer error): its reply code, the enhanced status code in the reply
 * text and the command it answered, and classifies the reply with `classifySmtpReply`. An error
 * without a reply code is network trouble, a timeout or a dropped connection: temporary.
 */
export function classifySmtpError(error: unknown): SmtpFailure {
  const { responseCode, response, command, message } = (error ?? {}) as {
    responseCode?: unknown;
    response?: unknown;
    command?: unknown;
    message?: unknown;
  };
  const text = (
    typeof response === 'string' ? response : typeof message === 'string' ? message : String(error)
  )
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);
  const code = typeof responseCode === 'number' ? responseCode : undefined;
  if (code === undefined) return { kind: 'temporary', response: text };
  const enhanced = /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(text)?.[1];
  const stage = stageOf(typeof command === 'string' ? command : undefined);
  return {
    kind: classifySmtpReply({ code, ...(enhanced && { enhanced }), ...(stage && { stage }) }),
    code,
    ...(enhanced && { enhanced }),
    ...(stage && { stage }),
    response: text,
  };
}

type SmtpFailure =
  | { kind: 'hard-bounce'; code: number; response: string }
  | { kind: 'permanent'; code?: number; response: string }
  | { kind: 'temporary'; code?: number; response: string };

/**
 * A 5xx reply to RCPT TO is a hard bounce (the address does not exist); any other 5xx is a
 * permanent failure of this message; 4xx replies and network trouble are temporary and retried.
 */
export function classifySmtpError(error: unknown): SmtpFailure {
  const { responseCode, response, command, message } = (error ?? {}) as {
    responseCode?: number;
    response?: string;
    command?: string;
    message?: string;
  };
  const text = (response ?? message ?? String(error)).slice(0, 500);
  if (typeof responseCode === 'number') {
    if (responseCode >= 500 && command === 'RCPT TO')
      return { kind: 'hard-bounce', code: responseCode, response: text };
    if (responseCode >= 500) return { kind: 'permanent', code: responseCode, response: text };
    return { kind: 'temporary', code: responseCode, response: text };
  }
  // Without a reply code nothing was refused: network trouble, a timeout, a dropped connection.
  return { kind: 'temporary', response: text };
}

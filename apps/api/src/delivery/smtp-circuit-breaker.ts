export type SmtpBreakerState = 'closed' | 'open' | 'half-open';

export interface SmtpBreakerStatus {
  state: SmtpBreakerState;
  /** When the relay stopped answering (the breaker opened); null while closed. */
  since: Date | null;
  consecutiveFailures: number;
}

export interface SmtpCircuitBreaker {
  /** True while the breaker is not closed: no message may start an SMTP send, none uses an attempt. */
  holding(): boolean;
  /**
   * Reports how a send ended: no error when the relay accepted it, else nodemailer's error. Returns
   * true when the error says the relay cannot be reached at all.
   */
  recordSend(error?: unknown): boolean;
  /** True when the breaker is open and its next test connection is due (and none is under way). */
  probeDue(): boolean;
  /** A test connection starts: the breaker is half-open until `recordProbe`. */
  startProbe(): void;
  /** How the test connection ended: no error when the relay answered. */
  recordProbe(error?: unknown): void;
  /** How long a held job waits: until the next test connection, then spread over one probe interval. */
  holdDelayMs(): number;
  status(): SmtpBreakerStatus;
}

/**
 * A connection-level failure: no reply at all (refused, reset, timed out) or 421 at the greeting
 * (nodemailer: a protocol error on CONN). Any other reply, a 421 later in the session included (a
 * server throttling this message), proves the relay is there, so it never counts.
 */
function unreachable(error: unknown): boolean {
  if (error === undefined) return false;
  const { responseCode, code, command } = (error ?? {}) as {
    responseCode?: unknown;
    code?: unknown;
    command?: unknown;
  };
  if (typeof responseCode !== 'number') return true;
  return responseCode === 421 && code === 'EPROTOCOL' && command === 'CONN';
}

/**
 * One SMTP stream's circuit breaker, a pure state machine on an injected clock:
 * closed → (`threshold` consecutive connection failures) → open → (each `probeMs`) half-open, one test
 * connection → closed when the relay answers, open again when it does not. A send that the relay
 * answers while the breaker is open (it started before) closes it too.
 */
export function createSmtpCircuitBreaker({
  threshold,
  probeMs,
  now = Date.now,
  random = Math.random,
  onChange = () => undefined,
}: {
  threshold: number;
  probeMs: number;
  now?: () => number;
  random?: () => number;
  /** Called after every change of state (for the status other processes read). */
  onChange?: (status: SmtpBreakerStatus) => void;
}): SmtpCircuitBreaker {
  let state: SmtpBreakerState = 'closed';
  let since: number | null = null;
  let failures = 0;
  let nextProbeAt = 0;

  const status = (): SmtpBreakerStatus => ({
    state,
    since: since === null ? null : new Date(since),
    consecutiveFailures: failures,
  });
  const close = () => {
    const changed = state !== 'closed';
    state = 'closed';
    since = null;
    failures = 0;
    if (changed) onChange(status());
  };
  const open = () => {
    const changed = state !== 'open';
    state = 'open';
    since ??= now();
    nextProbeAt = now() + probeMs;
    if (changed) onChange(status());
  };

  return {
    holding: () => state !== 'closed',
    recordSend(error) {
      if (!unreachable(error)) {
        close();
        return false;
      }
      failures += 1;
      if (state === 'closed' && failures >= threshold) open();
      return true;
    },
    probeDue: () => state === 'open' && now() >= nextProbeAt,
    startProbe() {
      if (state !== 'open') return;
      state = 'half-open';
      onChange(status());
    },
    recordProbe(error) {
      if (state === 'closed') return;
      if (unreachable(error)) open();
      else close();
    },
    holdDelayMs() {
      const untilProbe = state === 'open' ? Math.max(0, nextProbeAt - now()) : probeMs;
      return Math.round(untilProbe + random() * probeMs);
    },
    status,
  };
}

import { describe, expect, it } from 'vitest';
import { createSmtpCircuitBreaker, type SmtpBreakerStatus } from '../src/delivery/smtp-circuit-breaker.js';

/** nodemailer's errors, as a send or a test connection reports them. */
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ESOCKET' });
const greeting421 = Object.assign(new Error('Invalid greeting. response=421 4.3.2 Service not available'), {
  code: 'EPROTOCOL',
  responseCode: 421,
  command: 'CONN',
});
const unknownUser = Object.assign(new Error('Recipient command failed: 550 5.1.1 No such user'), {
  code: 'EENVELOPE',
  responseCode: 550,
  command: 'RCPT TO',
});
/** A server throttling this message closes the session with 421: the relay answered. */
const throttled = Object.assign(new Error('Server closed the connection'), {
  code: 'ECONNECTION',
  responseCode: 421,
  command: 'CONN',
});

function breaker() {
  let clock = 1_000_000;
  const changes: SmtpBreakerStatus[] = [];
  const b = createSmtpCircuitBreaker({
    threshold: 3,
    probeMs: 1000,
    now: () => clock,
    random: () => 0.5,
    onChange: (status) => changes.push(status),
  });
  return { b, changes, advance: (ms: number) => (clock += ms), now: () => clock };
}

describe('the SMTP circuit breaker', () => {
  it('opens after the threshold of consecutive connection failures, and only then holds', () => {
    const { b, changes, now } = breaker();
    expect(b.recordSend(refused)).toBe(true);
    expect(b.recordSend(greeting421)).toBe(true);
    expect(b.holding()).toBe(false);
    expect(b.recordSend(refused)).toBe(true);
    expect(b.holding()).toBe(true);
    expect(b.status()).toEqual({ state: 'open', since: new Date(now()), consecutiveFailures: 3 });
    expect(changes.map((c) => c.state)).toEqual(['open']);
  });

  it('counts only consecutive failures: a reply about a recipient, or a sent message, starts over', () => {
    const { b } = breaker();
    b.recordSend(refused);
    b.recordSend(refused);
    expect(b.recordSend(unknownUser)).toBe(false);
    b.recordSend(refused);
    b.recordSend(refused);
    expect(b.recordSend(throttled)).toBe(false);
    b.recordSend(refused);
    b.recordSend(refused);
    b.recordSend();
    b.recordSend(refused);
    expect(b.holding()).toBe(false);
    expect(b.status().consecutiveFailures).toBe(1);
  });

  it('tests the relay once per probe interval, and closes when the test connection answers', () => {
    const { b, changes, advance, now } = breaker();
    for (let i = 0; i < 3; i++) b.recordSend(refused);
    const since = new Date(now());
    expect(b.probeDue()).toBe(false);
    // A held job waits until the next test connection, spread over one interval.
    expect(b.holdDelayMs()).toBe(1000 + 500);
    advance(400);
    expect(b.holdDelayMs()).toBe(600 + 500);

    advance(600);
    expect(b.probeDue()).toBe(true);
    b.startProbe();
    expect(b.status().state).toBe('half-open');
    expect(b.probeDue()).toBe(false);
    expect(b.holding()).toBe(true);
    b.recordProbe(refused);
    expect(b.status()).toMatchObject({ state: 'open', since });
    expect(b.probeDue()).toBe(false);

    advance(1000);
    expect(b.probeDue()).toBe(true);
    b.startProbe();
    b.recordProbe();
    expect(b.holding()).toBe(false);
    expect(b.status()).toEqual({ state: 'closed', since: null, consecutiveFailures: 0 });
    expect(changes.map((c) => c.state)).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('closes when a send that started before it opened is answered', () => {
    const { b } = breaker();
    for (let i = 0; i < 4; i++) b.recordSend(refused);
    expect(b.holding()).toBe(true);
    b.recordSend(unknownUser);
    expect(b.holding()).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { classifyReportStatus, type ReportedFailureKind } from '../src/feedback/classify-report-status.js';

describe('classifyReportStatus', () => {
  const table: [Parameters<typeof classifyReportStatus>[0], ReportedFailureKind | null][] = [
    [{ status: '5.1.1' }, 'hard-bounce'],
    [{ status: '5.1.10', diagnostic: 'smtp; 550 5.1.10 RESOLVER.ADR.RecipientNotFound' }, 'hard-bounce'],
    [{ status: '5.1.2', diagnostic: 'smtp; 550 5.1.2 Host unknown' }, 'hard-bounce'],
    [{ status: '4.2.2' }, 'soft-bounce'],
    [{ status: '5.2.2', diagnostic: 'smtp; 552 5.2.2 Mailbox full' }, 'soft-bounce'],
    [{ status: '4.4.7', diagnostic: 'X-Postfix; delivery temporarily suspended' }, 'soft-bounce'],
    [{ status: '5.4.4' }, 'soft-bounce'],
    [{ status: '5.3.0' }, 'soft-bounce'],
    [{ status: '4.7.1', diagnostic: 'smtp; 451 4.7.1 Greylisted, try again later' }, 'soft-bounce'],
    [{ status: '5.7.1', diagnostic: 'smtp; 550 5.7.1 Message rejected as spam' }, 'blocked'],
    [{ status: '5.7.26' }, 'blocked'],
    [{ code: 535, diagnostic: 'Authentication failed' }, 'blocked'],
    // Permanent, but about neither the address nor the sender: counted, never suppressing at once.
    [{ status: '5.0.0' }, 'soft-bounce'],
    [{ status: '5.6.0' }, 'soft-bounce'],
    [{ status: '5.5.0' }, 'soft-bounce'],
    [{ status: '5.5.0', stage: 'rcpt' }, 'hard-bounce'],
    [{ code: 550, stage: 'rcpt' }, 'hard-bounce'],
    [{ code: 550 }, 'soft-bounce'],
    // The enhanced code in the diagnostic when the status has none; the status wins over it.
    [
      { diagnostic: 'smtp; 550-5.1.1 The email account that you tried to reach does not exist.' },
      'hard-bounce',
    ],
    [{ status: 'smtp; 5.1.1' }, 'hard-bounce'],
    [{ status: '4.2.2', diagnostic: 'smtp; 550 5.1.1 unknown user' }, 'soft-bounce'],
    // Nothing that says the delivery failed.
    [{ status: '2.0.0' }, null],
    [{ status: null, diagnostic: 'delivered to 250.1.2.3' }, null],
    [{}, null],
    [{ status: 'bounced' }, null],
  ];

  it.each(table)('%j → %s', (input, kind) => {
    expect(classifyReportStatus(input)).toBe(kind);
  });
});

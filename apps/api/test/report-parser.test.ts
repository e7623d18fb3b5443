import { buildDeliveryStatusReport, buildFeedbackReport } from '@herald/test-support';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseReportMail } from '../src/feedback/parse-report-mail.js';
import { createReportParser } from '../src/inbound/report-parser.js';

// The compiled thread, as the built worker runs it (npm test builds before it tests).
const BUILT_THREAD = new URL('../dist/inbound/parse-report-thread.js', import.meta.url);
const RETURNED = [
  'From: Herald <noreply@mail.example.test>',
  'To: someone@example.test',
  'Subject: Your export is ready',
  'Message-ID: <7c1e3a52-0d8b-4c7e-9d43-5f2b8a1c9e01@mail.example.test>',
  'X-Herald-Message-Id: 7c1e3a52-0d8b-4c7e-9d43-5f2b8a1c9e01',
  '',
  'Download it within 7 days.',
  '',
].join('\r\n');

const reports = [
  buildDeliveryStatusReport({
    to: 'bounce+abc@mail.example.test',
    recipients: [
      {
        finalRecipient: 'someone@example.test',
        action: 'failed',
        status: '5.1.1',
        diagnosticCode: 'smtp; 550 5.1.1 <someone@example.test>: User unknown',
      },
    ],
    returned: RETURNED,
  }),
  buildFeedbackReport({
    to: 'fbl@mail.example.test',
    originalMailFrom: 'bounce+abc@mail.example.test',
    returned: RETURNED,
  }),
  'Subject: not a report\r\n\r\nhello\r\n',
].map((raw) => Buffer.from(raw));

describe('the report parsing thread', () => {
  it('reads reports on its thread exactly as on the main thread, many at once', async () => {
    const parse = createReportParser({ script: BUILT_THREAD });
    expect(parse).not.toBe(parseReportMail);
    const mails = Array.from({ length: 30 }, (_, i) => reports[i % reports.length] as Buffer);
    const onThread = await Promise.all(mails.map((raw) => parse(raw)));
    const inline = await Promise.all(mails.map((raw) => parseReportMail(raw)));
    expect(onThread).toEqual(inline);
    expect(onThread.map((parsed) => parsed.type)).toContain('delivery-status');
    expect(onThread[0]).toMatchObject({
      type: 'delivery-status',
      recipients: [{ action: 'failed', status: '5.1.1' }],
      returned: { heraldMessageId: '7c1e3a52-0d8b-4c7e-9d43-5f2b8a1c9e01' },
    });
    expect(onThread[1]).toMatchObject({ type: 'feedback-report', feedbackType: 'abuse' });
  });

  it('parses on the calling thread when there is no compiled thread script (running from sources)', () => {
    const parse = createReportParser({ script: pathToFileURL(join(tmpdir(), 'no-such-thread.js')) });
    expect(parse).toBe(parseReportMail);
  });

  it('answers the mails in flight when the thread dies, and starts a new thread for the next', async () => {
    // A thread that dies on its first mail, as one would on a crash.
    const dir = mkdtempSync(join(tmpdir(), 'herald-thread-'));
    const dying = join(dir, 'dying-thread.mjs');
    writeFileSync(
      dying,
      "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(1));\n",
    );
    const lines: string[] = [];
    const parse = createReportParser({ script: pathToFileURL(dying), log: (line) => lines.push(line) });
    const first = await Promise.all(reports.map((raw) => parse(raw)));
    expect(first).toEqual(await Promise.all(reports.map((raw) => parseReportMail(raw))));
    expect(lines.join('\n')).toMatch(
      /report parsing thread exited \(code 1\); parsing its \d mail\(s\) here/,
    );
    // The next mail goes to a new thread (which dies too) and is answered all the same.
    expect(await parse(reports[0] as Buffer)).toMatchObject({ type: 'delivery-status' });
  });
});

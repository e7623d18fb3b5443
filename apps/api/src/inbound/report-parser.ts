import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseReportMail, type ParsedReportMail } from '../feedback/parse-report-mail.js';

export type ReportParser = (raw: Buffer) => Promise<ParsedReportMail>;

/** The compiled thread script beside this module (dist/inbound/parse-report-thread.js). */
const THREAD_SCRIPT = new URL('./parse-report-thread.js', import.meta.url);

/**
 * Parses report mails on a thread of their own. mailparser is the larger part of what a report
 * costs the worker (about 1 ms of CPU for a 6 KB DSN against 0.9 ms for the SMTP session and the
 * consent write together), and on the main thread it held every SMTP session and transaction
 * behind it: with it on a thread, a bounce storm is bound by the machine's cores, not by one
 * thread (docs/decisions/013-feedback.md). One thread: the main thread and PostgreSQL take the
 * other core of a small machine.
 *
 * Falls back to parsing on the calling thread where the compiled thread script is absent (running
 * from TypeScript sources, as unit tests do), and for the mails in flight when the thread dies, so
 * no report is ever left unanswered; the next mail starts a new thread.
 */
export function createReportParser({
  script = THREAD_SCRIPT,
  log,
}: { script?: URL; log?: (line: string) => void } = {}): ReportParser {
  if (!existsSync(fileURLToPath(script))) return parseReportMail;
  const pending = new Map<
    number,
    { raw: Buffer; resolve: (parsed: ParsedReportMail | Promise<ParsedReportMail>) => void }
  >();
  let thread: Worker | null = null;
  let nextId = 0;

  const start = () => {
    const started = new Worker(script);
    // The listener's server keeps the process alive; an idle parsing thread must not.
    started.unref();
    started.on('message', ({ id, parsed }: { id: number; parsed: ParsedReportMail }) => {
      pending.get(id)?.resolve(parsed);
      pending.delete(id);
    });
    started.on('error', (error) => log?.(`report parsing thread failed: ${error.message}`));
    started.on('exit', (code) => {
      if (thread === started) thread = null;
      if (pending.size > 0)
        log?.(`report parsing thread exited (code ${code}); parsing its ${pending.size} mail(s) here`);
      for (const [id, { raw, resolve }] of pending) {
        pending.delete(id);
        resolve(parseReportMail(raw));
      }
    });
    return started;
  };

  return (raw) =>
    new Promise((resolve) => {
      thread ??= start();
      const id = nextId++;
      pending.set(id, { raw, resolve });
      thread.postMessage({ id, raw });
    });
}

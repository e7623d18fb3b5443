import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { SmtpSink } from './start-smtp-sink.js';

export interface BareRun {
  processes: number;
  connectionsPerProcess: number;
  messages: number;
  seconds: number;
  perSecond: number;
  /** CPU ms the nodemailer processes used per message while sending (not the SMTP server's). */
  cpuMsPerMessage: number;
}

/**
 * The baseline Herald is compared with: `processes` processes of bare pooled nodemailer (as many as
 * Herald has workers, `pool` connections each, as Herald's SMTP_POOL_SIZE), sending the same rendered
 * message to the same SMTP sink process. Timed from `go` (every pool open) to the sink's last receipt.
 */
export async function runBareNodemailer({
  sink,
  processes,
  pool,
  messages,
  message,
}: {
  sink: SmtpSink;
  processes: number;
  pool: number;
  messages: number;
  message: { subject: string; html: string; text: string };
}): Promise<BareRun> {
  const script = fileURLToPath(new URL('./bare-nodemailer-process.ts', import.meta.url));
  const children = Array.from({ length: processes }, (_, i) => {
    const child = fork(script, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const count = Math.floor(messages / processes) + (i < messages % processes ? 1 : 0);
    child.send({ smtpUrl: sink.smtpUrl, pool, count, name: `${process.pid}-${i}`, message });
    return child;
  });
  await Promise.all(
    children.map((child) =>
      Promise.race([
        once(child, 'message'),
        once(child, 'exit').then(([code]) => {
          throw new Error(`a bare nodemailer process exited (${code}) before it was ready`);
        }),
      ]),
    ),
  );
  const before = sink.other().count;
  const start = Date.now();
  let cpuMs = 0;
  for (const child of children) {
    child.on('message', (report: { cpuMs?: number }) => (cpuMs += report.cpuMs ?? 0));
    child.send('go');
  }
  await Promise.all(children.map((child) => once(child, 'exit')));
  const failed = children.filter((child) => child.exitCode !== 0).length;
  if (failed > 0) throw new Error(`${failed} bare nodemailer process(es) failed`);
  // The sink reports receipts every 20 ms: wait for the last of them.
  while (sink.other().count - before < messages) await new Promise((resolve) => setTimeout(resolve, 20));
  const seconds = (sink.other().lastReceivedAt - start) / 1000;
  return {
    processes,
    connectionsPerProcess: pool,
    messages,
    seconds,
    perSecond: messages / seconds,
    cpuMsPerMessage: cpuMs / messages,
  };
}

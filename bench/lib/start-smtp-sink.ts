import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface SmtpSink {
  smtpUrl: string;
  /** The server's process, for CPU accounting. */
  pid: number | undefined;
  /** How many times the server accepted each Herald message (by X-Herald-Message-Id). */
  received: Map<string, number>;
  /** When the server accepted each Herald message (the first time). */
  receivedAt: Map<string, number>;
  /** Messages without a Herald id (the bare nodemailer baseline's). */
  other(): { count: number; lastReceivedAt: number };
  /** When the latest Herald message arrived. */
  lastHeraldReceipt(): number;
  close(): Promise<void>;
}

interface SinkReport {
  smtpUrl?: string;
  receipts?: [string | null, number][];
}

/** Starts bench/lib/smtp-sink-process.ts and mirrors its receipts in this process. */
export async function startSmtpSink({ bouncePrefix }: { bouncePrefix?: string } = {}): Promise<SmtpSink> {
  const child = fork(fileURLToPath(new URL('./smtp-sink-process.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...(bouncePrefix && { BENCH_BOUNCE_PREFIX: bouncePrefix }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const received = new Map<string, number>();
  const receivedAt = new Map<string, number>();
  let otherCount = 0;
  let otherLast = 0;
  let heraldLast = 0;
  child.on('message', (report: SinkReport) => {
    for (const [id, at] of report.receipts ?? []) {
      if (id === null) {
        otherCount++;
        otherLast = Math.max(otherLast, at);
        continue;
      }
      received.set(id, (received.get(id) ?? 0) + 1);
      if (!receivedAt.has(id)) receivedAt.set(id, at);
      heraldLast = Math.max(heraldLast, at);
    }
  });
  const smtpUrl = await new Promise<string>((resolve, reject) => {
    const onReport = (report: SinkReport) => {
      if (report.smtpUrl === undefined) return;
      child.off('message', onReport);
      resolve(report.smtpUrl);
    };
    child.on('message', onReport);
    child.once('exit', (code) => reject(new Error(`the SMTP sink exited (${code}) before listening`)));
  });
  return {
    smtpUrl,
    pid: child.pid,
    received,
    receivedAt,
    other: () => ({ count: otherCount, lastReceivedAt: otherLast }),
    lastHeraldReceipt: () => heraldLast,
    async close() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

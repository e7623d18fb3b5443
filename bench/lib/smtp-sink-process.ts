/**
 * The benchmarks' SMTP server, in a process of its own so that neither Herald nor the bare
 * nodemailer baseline shares its CPU with it: the tests' SMTP server keeping only counts, reporting each
 * receipt (Herald's message id or null, and when it arrived) to its parent over IPC.
 * Usage: spawned by startSmtpSink (bench/lib/start-smtp-sink.ts). BENCH_BOUNCE_PREFIX: recipients
 * starting with it are refused with 550.
 */
import { startTestSmtpServer } from '@herald/test-support';

const bouncePrefix = process.env.BENCH_BOUNCE_PREFIX;
const catcher = await startTestSmtpServer({
  keep: 'count',
  maxMessages: 1000,
  ...(bouncePrefix && { unknownPrefixes: [bouncePrefix] }),
});

// One IPC message per 20 ms instead of one per receipt: the parent's loop stays free for its own work.
let pending: [string | null, number][] = [];
catcher.onMessage((message) => {
  pending.push([message.heraldMessageId ?? null, message.receivedAt]);
});
const flush = setInterval(() => {
  if (pending.length === 0) return;
  process.send?.({ receipts: pending });
  pending = [];
}, 20);

process.on('disconnect', () => {
  clearInterval(flush);
  void catcher.close().then(() => process.exit(0));
});
process.send?.({ smtpUrl: catcher.smtpUrl });

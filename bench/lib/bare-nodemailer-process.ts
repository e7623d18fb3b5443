/**
 * One process of the bare nodemailer baseline: a pooled transport sending one rendered message
 * `count` times, as fast as the pool allows. It opens its pool, says `ready`, and sends on `go`, so
 * the clock of the run covers sending only, as Herald's delivery clock does.
 * Usage: forked by runBareNodemailer (bench/lib/run-bare-nodemailer.ts), which sends the job first.
 */
import nodemailer from 'nodemailer';

interface BareJob {
  smtpUrl: string;
  pool: number;
  count: number;
  /** Distinguishes the recipients of this process from its siblings'. */
  name: string;
  message: { subject: string; html: string; text: string };
}

const job = await new Promise<BareJob>((resolve) => process.once('message', resolve));
const transport = nodemailer.createTransport({
  url: job.smtpUrl,
  pool: true,
  maxConnections: job.pool,
  maxMessages: Infinity,
});
await transport.verify();
process.send?.('ready');
await new Promise((resolve) => process.once('message', resolve));
const cpuAtGo = process.cpuUsage();
await Promise.all(
  Array.from({ length: job.count }, (_, i) =>
    transport.sendMail({
      from: 'Herald <no-reply@herald.localhost>',
      to: `bare-${job.name}-${i}@example.test`,
      subject: job.message.subject,
      html: job.message.html,
      text: job.message.text,
    }),
  ),
);
const cpu = process.cpuUsage(cpuAtGo);
transport.close();
// The CPU it used sending, for the per-message figure Herald's overhead is measured on top of.
process.send?.({ cpuMs: (cpu.user + cpu.system) / 1000 }, () => process.disconnect());

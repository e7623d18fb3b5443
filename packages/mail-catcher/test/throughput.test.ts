import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMailCatcher, type MailCatcher } from '../src/index.js';
import { transportTo } from './send.js';

// Figures are printed, not asserted: they depend on the machine and on the test files
// running beside this one. Each test still checks that every message arrived.

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startMailCatcher({ smtpPort: 0 });
});
afterAll(async () => {
  await catcher.close();
});

const html = `<!doctype html><html><body>${'<p>Lorem ipsum dolor sit amet, <a href="https://example.test/x">link</a> consectetur.</p>\n'.repeat(240)}</body></html>`;

it('measures messages/s from a pooled transport (5 connections, 20 kB HTML)', async () => {
  expect(html.length).toBeGreaterThan(20_000);
  const total = 2_000;
  const transport = transportTo(catcher, { pool: true, maxConnections: 5 });
  const send = (i: number) =>
    transport.sendMail({
      from: 'bench@example.test',
      to: `r${i}@example.test`,
      subject: `bench ${i}`,
      html,
      headers: { 'X-Herald-Message-Id': `b${i}` },
    });
  await Promise.all(Array.from({ length: 20 }, (_, i) => send(i))); // warm up JIT and connections
  catcher.clear();

  const started = performance.now();
  await Promise.all(Array.from({ length: total }, (_, i) => send(i)));
  const seconds = (performance.now() - started) / 1000;
  transport.close();

  expect(catcher.count()).toBe(total);
  expect(catcher.messages()[total - 1]?.heraldMessageId).toBe(`b${total - 1}`);
  console.log(
    `[mail-catcher] pooled (5 connections), ${Math.round(html.length / 1024)} kB HTML: ${total} messages in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} messages/s`,
  );
});

it('measures unpooled sends, one connection per message', async () => {
  catcher.clear();
  const total = 100;
  const transport = transportTo(catcher);
  const started = performance.now();
  for (let i = 0; i < total; i++)
    await transport.sendMail({
      from: 'bench@example.test',
      to: 'r@example.test',
      subject: 's',
      text: 'short',
    });
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  expect(catcher.count()).toBe(total);
  console.log(
    `[mail-catcher] unpooled, sequential: ${total} messages in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} messages/s`,
  );
});

it('measures the time from connect to the 220 greeting', async () => {
  const samples: number[] = [];
  for (let i = 0; i < 50; i++) samples.push(await timeToGreeting(catcher.smtpPort));
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN;
  expect(samples).toHaveLength(50);
  console.log(
    `[mail-catcher] connect → 220 greeting over ${samples.length} connections: median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, max ${at(1).toFixed(2)} ms`,
  );
});

function timeToGreeting(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    socket.setEncoding('utf8');
    socket.once('error', reject);
    socket.once('data', (line: string) => {
      const elapsed = performance.now() - started;
      socket.end('QUIT\r\n');
      if (line.startsWith('220 ')) resolve(elapsed);
      else reject(new Error(`Unexpected greeting: ${line}`));
    });
  });
}

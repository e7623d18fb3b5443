import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { transportTo } from './send.js';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

it('prints both URLs, catches mail, and exits 0 on SIGTERM', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--smtp-port', '0', '--http-port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (output += chunk));
  const urls = await new Promise<{ smtp: string; web: string }>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      const smtp = /SMTP\s+(smtp:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      const web = /Inbox\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (smtp && web) resolve({ smtp, web });
    });
    child.once('exit', (code) => reject(new Error(`CLI exited with ${code}: ${output}`)));
  });

  const smtpPort = Number(new URL(urls.smtp).port);
  const transport = transportTo({ smtpPort });
  await transport.sendMail({
    from: 'a@example.test',
    to: 'b@example.test',
    subject: 'via the CLI',
    text: 't',
  });
  transport.close();
  const list = (await (await fetch(`${urls.web}/api/messages`)).json()) as Array<{ subject: string }>;
  expect(list.map((m) => m.subject)).toEqual(['via the CLI']);

  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  expect(code).toBe(0);
  expect(output).toContain('SIGTERM: closing the mail catcher');
});

it('refuses a bad port with a usage message and exit code 2', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--smtp-port', 'abc'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  expect(code).toBe(2);
  expect(stderr).toContain('--smtp-port must be a port number, got "abc"');
  expect(stderr).toContain('Usage: herald-mail-catcher');
});

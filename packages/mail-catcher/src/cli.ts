#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startMailCatcher } from './start-mail-catcher.js';
import type { KeepMode } from './types.js';

const USAGE = `Usage: herald-mail-catcher [--smtp-port 1025] [--http-port 1080] [--host 127.0.0.1]
                           [--keep all|headers|count] [--max-messages 10000]
A local SMTP server that keeps every message, with a web inbox (--http-port 0 picks a free port).`;

function port(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65535)
    throw new Error(`${name} must be a port number, got "${value}"`);
  return number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'smtp-port': { type: 'string', default: '1025' },
      'http-port': { type: 'string', default: '1080' },
      host: { type: 'string', default: '127.0.0.1' },
      keep: { type: 'string', default: 'all' },
      'max-messages': { type: 'string', default: '10000' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const keep = values.keep;
  if (keep !== 'all' && keep !== 'headers' && keep !== 'count')
    throw new Error(`--keep must be all, headers or count, got "${keep}"`);
  const maxMessages = Number(values['max-messages']);
  if (!Number.isInteger(maxMessages) || maxMessages < 1)
    throw new Error('--max-messages must be a positive integer');

  const catcher = await startMailCatcher({
    smtpPort: port(values['smtp-port'], '--smtp-port'),
    httpPort: port(values['http-port'], '--http-port'),
    host: values.host,
    keep: keep satisfies KeepMode,
    maxMessages,
  });

  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1); // a second signal: stop waiting
    closing = true;
    console.log(`${signal}: closing the mail catcher`);
    catcher.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  console.log(
    `Herald mail catcher (local test inbox, nothing is delivered)\n  SMTP   ${catcher.smtpUrl}\n  Inbox  ${catcher.webUrl}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(USAGE);
  process.exit(2);
});

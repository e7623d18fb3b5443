import { ConsoleLogger, type LoggerService, type LogLevel } from '@nestjs/common';
import { pino, type Logger as Pino } from 'pino';
import { redact } from './redact.js';

export type LogFormat = 'text' | 'json';
export type LogThreshold = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/**
 * Nest's start-up chatter: a line per module (InstanceLoader), per controller and mapped route
 * (RoutesResolver, RouterExplorer) and the factory's own. The entry point writes one line instead.
 */
const QUIET_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

const NEST_LEVELS: Record<LogThreshold, LogLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
  info: ['fatal', 'error', 'warn', 'log'],
  warn: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
};

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * The logger of the API and worker processes, installed as Nest's (so every `new Logger(context)`
 * writes through it). With LOG_FORMAT=json each line is one JSON object from pino: `level`, `time`,
 * `pid`, `process`, `context`, `msg` and the line's fields. Otherwise lines read as Nest's own. Either
 * way Nest's line per module and per route is dropped, and every message and string field goes
 * through `redact` first: no email address, credential, link token or API key of this process.
 *
 * `event` writes the high-volume lines, one per HTTP request and per delivery outcome: at `info` in
 * the JSON format, and in the text format only at LOG_LEVEL=debug, so a terminal stays readable.
 */
export class HeraldLogger implements LoggerService {
  /** Whether `event` writes anything: callers skip building its fields when not. */
  readonly eventsEnabled: boolean;
  private readonly json: Pino | null;
  private readonly text: ConsoleLogger | null;

  constructor(
    private readonly options: {
      format: LogFormat;
      level: LogThreshold;
      /** "api" or "worker", on every JSON line. */
      processName: string;
      /** Values never written as they are (the process's API keys): each becomes "[secret]". */
      secrets?: string[];
      /** Where JSON lines go; stdout by default (tests pass a stream). */
      destination?: NodeJS.WritableStream;
    },
  ) {
    const { format, level } = options;
    this.json =
      format === 'json'
        ? pino(
            {
              level,
              base: { pid: process.pid, process: options.processName },
              timestamp: pino.stdTimeFunctions.isoTime,
              formatters: { level: (label) => ({ level: label }) },
            },
            options.destination ?? pino.destination({ dest: 1, sync: true }),
          )
        : null;
    this.text = format === 'json' ? null : new ConsoleLogger({ logLevels: NEST_LEVELS[level] });
    this.eventsEnabled = format === 'json' ? level === 'debug' || level === 'info' : level === 'debug';
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  /** One request or delivery outcome: `msg` for a person, `fields` for a machine. */
  event(context: string, msg: string, fields: LogFields): void {
    if (!this.eventsEnabled) return;
    this.emit(this.json ? 'info' : 'debug', context, msg, fields);
  }

  /** Nest calls it as `(message, context)`, errors as `(message, stack?, context)`. */
  private write(level: Level, message: unknown, params: unknown[]): void {
    const rest = [...params];
    const context = typeof rest.at(-1) === 'string' && rest.length > 0 ? (rest.pop() as string) : undefined;
    if (context && QUIET_CONTEXTS.has(context)) return;
    const fields: LogFields = {};
    let msg: string;
    if (message instanceof Error) {
      msg = message.message;
      fields.stack = message.stack;
    } else if (message !== null && typeof message === 'object') {
      const { msg: text, message: alt, ...others } = message as Record<string, unknown>;
      msg = String(text ?? alt ?? '');
      for (const [key, value] of Object.entries(others)) fields[key] = scalar(value);
    } else {
      msg = String(message);
    }
    const stack = rest.find((p) => typeof p === 'string');
    if (level === 'error' && typeof stack === 'string') fields.stack = stack;
    this.emit(level, context, msg, fields);
  }

  private emit(level: Level, context: string | undefined, msg: string, fields: LogFields): void {
    const secrets = this.options.secrets ?? [];
    const clean: LogFields = {};
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) clean[key] = typeof value === 'string' ? redact(value, secrets) : value;
    }
    const line = redact(msg, secrets);
    if (this.json) {
      this.json[level]({ ...(context && { context }), ...clean }, line);
      return;
    }
    const { stack, ...shown } = clean;
    const pairs = Object.entries(shown).map(
      ([key, value]) => `${key}=${value === null ? '-' : String(value)}`,
    );
    const text = pairs.length > 0 ? `${line} ${pairs.join(' ')}` : line;
    const args = context ? [context] : [];
    if (level === 'error') this.text?.error(text, ...(typeof stack === 'string' ? [stack] : []), ...args);
    else if (level === 'warn') this.text?.warn(text, ...args);
    else if (level === 'debug') this.text?.debug(text, ...args);
    else this.text?.log(text, ...args);
  }
}

function scalar(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

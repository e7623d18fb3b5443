#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary (see
// docs/decisions/002-prisma-offline-schema-engine.md).
//
// The Prisma CLI spawns whatever PRISMA_SCHEMA_ENGINE_BINARY names (prisma.config.ts
// points it here) and talks to it in three ways, all handled below:
//   schema-engine --version
//   schema-engine --datasource '{"url":…}' cli can-connect-to-database|create-database|drop-database
//   schema-engine [--datamodels FILE]… [--datasource JSON]   (JSON-RPC 2.0, one message per line
//                                                              on stdin/stdout, logs on stderr)
// JSON-RPC requests are forwarded, one at a time, to the same engine compiled to
// WebAssembly (@prisma/schema-engine-wasm, built from the engines commit that this
// prisma version expects), which reaches PostgreSQL through @prisma/adapter-pg.
//
// Plain JavaScript on purpose: it must run from a fresh clone, before anything is built.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';

import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import * as wasmBindings from '@prisma/schema-engine-wasm/schema_engine_bg';

const require = createRequire(import.meta.url);
// The package's "exports" hide its files; find them beside its entry point.
const wasmPackageDir = dirname(require.resolve('@prisma/schema-engine-wasm'));

// stdout carries the JSON-RPC stream only: anything that logs goes to stderr.
console.log = console.error;
console.info = console.error;
console.warn = console.error;
console.debug = console.error;

// ---------------------------------------------------------------------------------------
// Logging in the native engine's format (JSON lines on stderr; the CLI reads
// `fields.message`, and remembers lines whose level is ERROR).

function logLine(level, message, extra = {}) {
  const line = {
    timestamp: new Date().toISOString(),
    level,
    fields: { message, ...extra },
    target: 'schema_engine::logger',
  };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

// ---------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
  const args = { datamodels: [], datasource: undefined, cli: undefined, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--version':
      case '-V':
        args.version = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      case '--datamodels':
        args.datamodels.push(argv[++i]);
        break;
      case '--datasource':
        args.datasource = JSON.parse(argv[++i] ?? '{}');
        break;
      case '--enabled-preview-features':
      case '--extension-types':
        i++; // accepted and ignored: the wasm engine takes neither
        break;
      case 'cli':
        args.cli = argv[++i];
        break;
      default:
        if (arg?.startsWith('--datamodels=')) args.datamodels.push(arg.slice('--datamodels='.length));
        else if (arg?.startsWith('--datasource='))
          args.datasource = JSON.parse(arg.slice('--datasource='.length));
        else throw new Error(`schema-engine stand-in: unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return args;
}

function engineVersion() {
  // "7.10.0-4.<engines commit>": the CLI compares the commit with the one it expects.
  const { version } = JSON.parse(readFileSync(join(wasmPackageDir, 'package.json'), 'utf8'));
  const hash = /([0-9a-f]{40})$/.exec(version)?.[1] ?? version;
  return hash;
}

// ---------------------------------------------------------------------------------------
// Connection strings -> discrete pg settings.
// With a `connectionString`, pg ignores a `database` given beside it, so every pool here
// is configured field by field (that is what makes a separate shadow database possible).

function pgConfigFromUrl(urlString) {
  if (!urlString)
    throw new UserError('P1012', 'No database URL: set datasource.url in prisma.config.ts (DATABASE_URL).');
  let url;
  try {
    url = new URL(urlString);
  } catch {
    throw new UserError('P1013', 'The provided database string is invalid. It is not a valid URL.');
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw new UserError(
      'P1013',
      `The provided database string is invalid. This stand-in only speaks PostgreSQL, not ${url.protocol}`,
    );
  }
  const params = url.searchParams;
  const config = {
    host: params.get('host') || decodeURIComponent(url.hostname) || 'localhost',
    port: url.port ? Number(url.port) : Number(params.get('port') || 5432),
    user: decodeURIComponent(url.username) || process.env.PGUSER || process.env.USER || 'postgres',
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
    allowExitOnIdle: true,
    idleTimeoutMillis: 1000,
  };
  const sslmode = params.get('sslmode');
  if (sslmode && sslmode !== 'disable')
    config.ssl = sslmode === 'verify-full' ? true : { rejectUnauthorized: false };
  const connectTimeout = params.get('connect_timeout');
  if (connectTimeout) config.connectionTimeoutMillis = Number(connectTimeout) * 1000;
  const schema = params.get('schema') || undefined;
  if (schema) config.options = `-c search_path=${schema}`;
  return { config, schema, location: `${config.host}:${config.port}` };
}

function quoteIdent(name) {
  return `"${String(name).replaceAll('"', '""')}"`;
}

// ---------------------------------------------------------------------------------------
// Errors

class UserError extends Error {
  constructor(code, message, meta = {}) {
    super(message);
    this.code = code;
    this.meta = meta;
  }
}

function connectionError(error, { config, location }) {
  if (error instanceof UserError) return error;
  switch (error?.code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
      return new UserError(
        'P1001',
        `Can't reach database server at \`${location}\`\n\nPlease make sure your database server is running at \`${location}\`.`,
      );
    case '3D000':
      return new UserError(
        'P1003',
        `Database \`${config.database}\` does not exist on the database server at \`${location}\`.`,
        {
          database_name: config.database,
        },
      );
    case '28P01':
    case '28000':
      return new UserError(
        'P1000',
        `Authentication failed against database server at \`${location}\`, the provided database credentials for \`${config.user}\` are not valid.`,
      );
    case '42P04':
      return new UserError(
        'P1009',
        `Database \`${config.database}\` already exists on the database server at \`${location}\``,
      );
    default:
      if (error?.code === undefined) return new UserError(undefined, String(error?.message ?? error));
      return new UserError(
        'P1001',
        `Can't reach database server at \`${location}\`: ${error?.message ?? error}`,
      );
  }
}

// ---------------------------------------------------------------------------------------
// One-shot commands: `--datasource {json} cli <command>`

async function withClient(config, fn) {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Connects to a maintenance database of the same server (for CREATE/DROP DATABASE). */
async function withAdminClient(config, fn) {
  let lastError;
  for (const database of ['postgres', 'template1']) {
    try {
      return await withClient({ ...config, database }, fn);
    } catch (error) {
      if (error?.code !== '3D000') throw error;
      lastError = error;
    }
  }
  throw lastError;
}

async function createDatabase(target) {
  await withAdminClient(target.config, (client) =>
    client.query(`CREATE DATABASE ${quoteIdent(target.config.database)}`),
  );
  return target.config.database;
}

async function dropDatabase(target) {
  await withAdminClient(target.config, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdent(target.config.database)} WITH (FORCE)`),
  );
}

async function runCliCommand(command, datasource) {
  const target = pgConfigFromUrl(datasource?.url);
  logLine('INFO', `Starting schema engine stand-in CLI command ${command}`);
  try {
    switch (command) {
      case 'can-connect-to-database':
        await withClient(target.config, (client) => client.query('SELECT 1'));
        break;
      case 'create-database':
        await createDatabase(target);
        process.stdout.write(`Database '${target.config.database}' was successfully created.\n`);
        break;
      case 'drop-database':
        await dropDatabase(target);
        process.stdout.write(`The database was successfully dropped.\n`);
        break;
      default:
        throw new Error(`Unknown cli command ${command}`);
    }
    return 0;
  } catch (error) {
    const userError = connectionError(error, target);
    logLine('ERROR', userError.message, userError.code ? { error_code: userError.code } : {});
    return 1;
  }
}

// ---------------------------------------------------------------------------------------
// The adapter the wasm engine drives

/**
 * @prisma/adapter-pg cannot describe the catalog types "char" (oid 18) and name (oid 19);
 * the engine's describer reads both (pg_constraint.contype is a "char", and it panics as
 * soon as a CHECK constraint exists). They arrive as text from pg anyway: label the column
 * as text for the adapter, then report "char" as a character column to the engine.
 */
const CHAR_OID = 18;
const NAME_OID = 19;
const TEXT_OID = 25;

function patchQueryable(queryable) {
  if (typeof queryable.executeScript === 'function') {
    // adapter-pg splits a script on every ";" and runs the pieces one by one, which cuts
    // dollar-quoted bodies (CREATE FUNCTION … $$ … ; … $$) apart. The native engine sends a
    // migration script whole, as one simple-protocol query; do the same.
    queryable.executeScript = async (script) => {
      try {
        await queryable.client.query(script);
      } catch (error) {
        queryable.onError(error);
      }
    };
  }
  const characterColumns = new WeakMap();
  const performIO = queryable.performIO.bind(queryable);
  queryable.performIO = async (query) => {
    const result = await performIO(query);
    if (result?.fields) {
      const charIndexes = [];
      result.fields.forEach((field, index) => {
        if (field.dataTypeID === CHAR_OID) {
          charIndexes.push(index);
          field.dataTypeID = TEXT_OID;
        } else if (field.dataTypeID === NAME_OID) {
          field.dataTypeID = TEXT_OID;
        }
      });
      if (charIndexes.length > 0 && result.rows) characterColumns.set(result.rows, charIndexes);
    }
    return result;
  };
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    const charIndexes = characterColumns.get(result.rows);
    if (charIndexes) for (const index of charIndexes) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  };
  if (typeof queryable.startTransaction === 'function') {
    const startTransaction = queryable.startTransaction.bind(queryable);
    queryable.startTransaction = async (...args) => patchQueryable(await startTransaction(...args));
  }
  return queryable;
}

/** Every pool opened for the engine, so that all can be closed before exiting. */
const openAdapters = new Set();

async function connectAdapter(target) {
  const factory = new PrismaPg(target.config, target.schema ? { schema: target.schema } : undefined);
  const adapter = patchQueryable(await factory.connect());
  const dispose = adapter.dispose.bind(adapter);
  let disposed = false;
  adapter.dispose = async () => {
    if (disposed) return;
    disposed = true;
    openAdapters.delete(adapter);
    await dispose();
  };
  openAdapters.add(adapter);
  return adapter;
}

function createAdapterFactory(datasource) {
  const mainUrl = datasource?.url;
  const factory = {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    async connect() {
      return connectAdapter(pgConfigFromUrl(mainUrl));
    },
    async connectToShadowDb() {
      if (datasource?.shadowDatabaseUrl) {
        // A shadow database the user configured: used as it is, never dropped.
        return connectAdapter(pgConfigFromUrl(datasource.shadowDatabaseUrl));
      }
      // A throw-away database on the main server, dropped when the engine lets it go.
      // (Created from the server's maintenance database: the main one may not exist yet.)
      const main = pgConfigFromUrl(mainUrl);
      const name = `prisma_migrate_shadow_db_${randomUUID()}`;
      await withAdminClient(main.config, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
      const shadow = { ...main, config: { ...main.config, database: name } };
      const adapter = await connectAdapter(shadow);
      const dispose = adapter.dispose;
      adapter.dispose = async () => {
        await dispose(); // close the pool first, or DROP DATABASE waits for its sessions
        await withAdminClient(main.config, (client) =>
          client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
        );
      };
      return adapter;
    },
  };
  return bindMigrationAwareSqlAdapterFactory(factory);
}

// ---------------------------------------------------------------------------------------
// The wasm engine

class PanicRegistry {
  message = '';
  get() {
    return this.message;
  }
  set_message(message) {
    this.message = `RuntimeError: ${message}`;
  }
}
globalThis.PRISMA_WASM_PANIC_REGISTRY = new PanicRegistry();

let wasmReady = false;
function loadWasm() {
  if (wasmReady) return;
  // Node 20 cannot `import` a .wasm file: instantiate it by hand with the JS glue's imports.
  const module = new WebAssembly.Module(readFileSync(join(wasmPackageDir, 'schema_engine_bg.wasm')));
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': wasmBindings });
  wasmBindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  wasmReady = true;
}

function engineLog(message) {
  // The engine logs JSON lines in the native format already; pass anything else through as one.
  const text = typeof message === 'string' ? message : JSON.stringify(message);
  for (const line of text.split('\n')) {
    if (!line) continue;
    if (line.startsWith('{')) process.stderr.write(`${line}\n`);
    else logLine('INFO', line);
  }
}

async function newEngine(datamodels, datasource) {
  loadWasm();
  const adapterFactory = createAdapterFactory(datasource);
  // `datamodels` must be undefined or a non-empty list of [path, content].
  const options = { datamodels: datamodels && datamodels.length > 0 ? datamodels : undefined };
  const engine = await wasmBindings.SchemaEngine.new(options, engineLog, adapterFactory);
  return { engine, adapterFactory };
}

function schemaFilesOf(value, found = []) {
  // Collects {path, content} schema files from anywhere in a request's params.
  if (Array.isArray(value)) for (const item of value) schemaFilesOf(item, found);
  else if (value && typeof value === 'object') {
    if (
      Array.isArray(value.files) &&
      value.files.every((f) => typeof f?.path === 'string' && typeof f?.content === 'string')
    ) {
      for (const file of value.files)
        if (!found.some((f) => f[0] === file.path)) found.push([file.path, file.content]);
    } else for (const item of Object.values(value)) schemaFilesOf(item, found);
  }
  return found;
}

// ---------------------------------------------------------------------------------------
// JSON-RPC server

function isPanic(error) {
  return error?.name === 'RuntimeError' || error instanceof WebAssembly.RuntimeError;
}

function toRpcError(error, adapterFactory) {
  // A JS error thrown inside the adapter comes back as a GenericJs error with an id.
  const registry = adapterFactory?.errorRegistry;
  if (registry && typeof error?.id === 'number') {
    const original = registry.consumeError?.(error.id)?.error;
    if (original) error = original;
  }
  if (isPanic(error)) {
    const message = globalThis.PRISMA_WASM_PANIC_REGISTRY.get() || String(error?.message ?? error);
    return {
      code: 4466,
      message: 'An error happened. Check the data field for details.',
      data: { is_panic: true, message, backtrace: error?.stack ?? null, error: { message } },
    };
  }
  if (error && typeof error === 'object' && typeof error.code === 'string' && /^P\d{4}$/.test(error.code)) {
    return {
      code: 4466,
      message: 'An error happened. Check the data field for details.',
      data: { is_panic: false, message: error.message, meta: error.meta ?? null, error_code: error.code },
    };
  }
  const message =
    error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
  return {
    code: 4466,
    message: 'An error happened. Check the data field for details.',
    data: { is_panic: false, message, meta: null },
  };
}

const SHADOW_FACTORY_ERROR = /shadow DB must be provided through an external factory/i;

const ENGINE_METHODS = new Set([
  'applyMigrations',
  'createMigration',
  'dbExecute',
  'devDiagnostic',
  'diagnoseMigrationHistory',
  'ensureConnectionValidity',
  'evaluateDataLoss',
  'introspect',
  'introspectSql',
  'markMigrationApplied',
  'markMigrationRolledBack',
  'reset',
  'schemaPush',
]);

async function serve(args) {
  const cliDatamodels = args.datamodels.map((path) => [path, readFileSync(path, 'utf8')]);
  let mainSession; // { engine, adapterFactory }, created on the first request that needs it
  let currentFactory; // the adapter factory of the engine serving the current request

  async function mainEngine(params) {
    if (!mainSession) {
      const datamodels = cliDatamodels.length > 0 ? cliDatamodels : schemaFilesOf(params);
      mainSession = await newEngine(datamodels, args.datasource);
    }
    currentFactory = mainSession.adapterFactory;
    return mainSession;
  }

  async function runDiff(params) {
    // `migrate diff` starts the engine without --datamodels: build one from the request's
    // schema files, connected to the URL the request names (if any).
    const targets = [params?.from, params?.to];
    const urls = [...new Set(targets.filter((t) => t?.tag === 'url').map((t) => t.url))];
    if (urls.length > 1) {
      throw new UserError(
        'P1012',
        'This schema-engine stand-in can diff against one database URL at a time (--from-url and --to-url differ).',
      );
    }
    const datasource = { ...(args.datasource ?? {}), ...(urls[0] ? { url: urls[0] } : {}) };
    if (!targets.some((t) => t?.tag === 'url' || t?.tag === 'schemaDatasource') && datasource.url) {
      // Nothing to read from the configured database (empty, schema files, migrations in a
      // shadow database): connect to the server's maintenance database, so that the diff
      // works before the configured database has been created.
      const url = new URL(datasource.url);
      url.pathname = '/postgres';
      datasource.url = url.toString();
    }
    const datamodels = schemaFilesOf(targets);
    const session = await newEngine(datamodels.length > 0 ? datamodels : cliDatamodels, datasource);
    currentFactory = session.adapterFactory;
    try {
      const result = await session.engine.diff(params);
      // The native engine hands its output to the CLI in a "print" request and returns
      // stdout: null; the wasm engine returns it instead. Print it the native way.
      if (typeof result?.stdout === 'string' && result.stdout.length > 0) {
        await callClient('print', { content: result.stdout.replace(/\n$/, '') });
      }
      return { ...result, stdout: null };
    } finally {
      session.engine.free();
    }
  }

  async function handle(method, params) {
    if (method === 'diff') return runDiff(params);
    if (method === 'createDatabase') {
      const url = params?.datasource?.url ?? args.datasource?.url;
      return { databaseName: await createDatabase(pgConfigFromUrl(url)) };
    }
    if (method === 'getDatabaseDescription') {
      throw new Error('getDatabaseDescription is not available in the schema-engine stand-in.');
    }
    const { engine } = await mainEngine(params);
    if (method === 'getDatabaseVersion') return engine.version(params ?? undefined);
    if (method === 'debugPanic') return engine.debugPanic();
    if (!ENGINE_METHODS.has(method)) {
      const error = new Error(`Method not found: ${method}`);
      error.rpcCode = -32601;
      throw error;
    }
    try {
      return await engine[method](params);
    } catch (error) {
      // The first `migrate dev` against a database with pending migrations can fail this way;
      // letting the engine run devDiagnostic first sets the shadow database up, then it works.
      if (
        SHADOW_FACTORY_ERROR.test(String(error?.message ?? '')) &&
        params?.migrationsList &&
        method !== 'devDiagnostic'
      ) {
        await engine.devDiagnostic({
          migrationsList: params.migrationsList,
          filters: params.filters ?? { externalTables: [], externalEnums: [] },
        });
        return await engine[method](params);
      }
      throw error;
    }
  }

  const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

  // Requests from the engine to the CLI (only "print"), answered on stdin.
  const pendingClientCalls = new Map();
  let nextClientCallId = 1;
  function callClient(method, params) {
    const id = nextClientCallId++;
    return new Promise((resolve, reject) => {
      pendingClientCalls.set(id, { resolve, reject });
      send({ jsonrpc: '2.0', id, method, params });
    });
  }

  let queue = Promise.resolve();
  let panicked = false;

  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    if (request && typeof request.method !== 'string' && pendingClientCalls.has(request.id)) {
      // The CLI's answer to a request of ours.
      const pending = pendingClientCalls.get(request.id);
      pendingClientCalls.delete(request.id);
      if (request.error) pending.reject(new Error(request.error.message ?? 'client error'));
      else pending.resolve(request.result);
      return;
    }
    if (!request || typeof request.method !== 'string') return;
    // One request at a time: the wasm engine must not be re-entered.
    queue = queue.then(async () => {
      if (panicked) return;
      currentFactory = undefined;
      try {
        const result = await handle(request.method, request.params);
        if (request.id !== undefined) send({ jsonrpc: '2.0', id: request.id, result: result ?? null });
      } catch (error) {
        if (error?.rpcCode) {
          send({
            jsonrpc: '2.0',
            id: request.id ?? null,
            error: { code: error.rpcCode, message: error.message },
          });
          return;
        }
        const rpcError = toRpcError(error, currentFactory);
        if (rpcError.data.is_panic) {
          panicked = true;
          logLine('ERROR', rpcError.data.message, { is_panic: true });
        }
        if (request.id !== undefined) send({ jsonrpc: '2.0', id: request.id, error: rpcError });
        if (panicked) await shutdown(101);
      }
    });
  });
  lines.on('close', () => {
    queue = queue.then(() => shutdown(0));
  });
}

let shuttingDown = false;
async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  // Close every pool, or the CLI waits for idle connections to time out after each command.
  await Promise.allSettled([...openAdapters].map((adapter) => adapter.dispose()));
  process.stdout.write('', () => process.exit(code));
}

// ---------------------------------------------------------------------------------------

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    logLine('ERROR', error.message);
    process.exit(1);
  }
  if (args.version) {
    process.stdout.write(`schema-engine-cli ${engineVersion()}\n`);
    return;
  }
  if (args.help) {
    process.stdout.write(
      'schema-engine stand-in (JavaScript + @prisma/schema-engine-wasm)\n\n' +
        'Usage: schema-engine [--datamodels FILE]... [--datasource JSON]\n' +
        '       schema-engine --datasource JSON cli can-connect-to-database|create-database|drop-database\n' +
        '       schema-engine --version\n',
    );
    return;
  }
  if (args.cli) {
    const code = await runCliCommand(args.cli, args.datasource);
    process.exitCode = code;
    return;
  }
  await serve(args);
}

process.on('uncaughtException', (error) => {
  logLine('ERROR', `schema-engine stand-in crashed: ${error?.stack ?? error}`);
  process.exit(1);
});
process.on('unhandledRejection', (error) => {
  logLine('ERROR', `schema-engine stand-in crashed: ${error?.stack ?? error}`);
  process.exit(1);
});

await main();

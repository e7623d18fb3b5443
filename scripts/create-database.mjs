// Creates the database named in a PostgreSQL URL if it does not exist; with --reset, drops it first.
// Uses pg (a dependency already) so no psql client is needed.
import pg from 'pg';

const [url, flag] = process.argv.slice(2);
if (!url) {
  console.error('usage: node scripts/create-database.mjs <postgresql-url> [--reset]');
  process.exit(2);
}
const target = new URL(url);
const name = decodeURIComponent(target.pathname.slice(1));
if (!/^[a-z0-9_]+$/i.test(name)) {
  console.error(`refusing database name "${name}": letters, digits and "_" only`);
  process.exit(2);
}
const admin = new URL(url);
admin.pathname = '/postgres';
const client = new pg.Client({ connectionString: admin.toString() });
await client.connect();
try {
  if (flag === '--reset') await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (rowCount === 0) {
    await client.query(`CREATE DATABASE "${name}"`);
    console.log(`created database ${name}`);
  }
} finally {
  await client.end();
}

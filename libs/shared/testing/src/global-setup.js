// Runs once in Jest's outer process: fail fast, with a clear message, when PostgreSQL is not there.
const { Client } = require('pg');

module.exports = async () => {
  const url = process.env.MANDATE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const shown = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
    throw new Error(
      `Integration tests need a PostgreSQL server (13+) at ${shown}, but it does not answer: ${error.message}. ` +
        'Start it, or point MANDATE_TEST_PG_URL at one (a role allowed to CREATE DATABASE).',
      { cause: error },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
};

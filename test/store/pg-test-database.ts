/**
 * A throwaway PostgreSQL database per test, created through the `postgres` maintenance database and
 * dropped at the end. The server is ROLECALL_TEST_DATABASE_URL (a URL without a database name) when set
 * — `npm test` sets it to the one embedded PostgreSQL it starts for the whole run (test/with-postgres.ts),
 * and CI may set it to the machine's server — otherwise an embedded PostgreSQL started for this test
 * process alone (a single test file run by hand). Unreachable PostgreSQL is a failure, never a skip.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.js';

export interface TestDatabase {
  readonly name: string;
  /** The database's URL, for openStore({ databaseUrl }). */
  readonly url: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

let processServer: Promise<string> | undefined;

/** The server URL the PostgreSQL tests run against, starting this process's own server if none is given. */
export function testServerUrl(): Promise<string> {
  const given = process.env.ROLECALL_TEST_DATABASE_URL;
  if (given) return Promise.resolve(given);
  // Stopped by its watchdog when this process ends.
  processServer ??= startEmbeddedPostgres().then((server) => server.url);
  return processServer;
}

/** The URL of one database on a server (query parameters such as sslmode are kept). */
export function databaseUrl(database: string, server: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates a fresh, empty database with a random name. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `rolecall_test_${randomBytes(6).toString('hex')}`;
  const server = await testServerUrl();
  await withMaintenanceClient(server, async (client) => {
    try {
      // A natural-language (ICU) collation, as on most production servers, so that a query relying on the
      // database's default collation for order shows up as a failing ordering test rather than in production.
      await client.query(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`);
    } catch {
      // PostgreSQL before 15, or built without ICU: the server's default collation.
      await client.query(`CREATE DATABASE ${name}`);
    }
  });
  return {
    name,
    url: databaseUrl(name, server),
    drop: () =>
      withMaintenanceClient(server, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}

async function withMaintenanceClient(server: string, work: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres', server), connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${redacted(server)} (${(error as Error).message}). Start it, or unset ` +
        'ROLECALL_TEST_DATABASE_URL so that the tests start their own embedded PostgreSQL.',
      { cause: error },
    );
  }
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

function redacted(server: string): string {
  const url = new URL(server);
  if (url.password) url.password = '***';
  return url.toString();
}

/**
 * A throwaway PostgreSQL database per test file, created through the `postgres` maintenance database and
 * dropped at the end. The server comes from ROLECALL_TEST_DATABASE_URL (a URL without a database name),
 * by default the local trust-auth server CI starts. Unreachable PostgreSQL is a failure, never a skip.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DEFAULT_TEST_SERVER_URL = 'postgres://postgres@127.0.0.1:5432';

export interface TestDatabase {
  readonly name: string;
  /** The database's URL, for openStore({ databaseUrl }). */
  readonly url: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

/** The server URL the PostgreSQL tests run against. */
export function testServerUrl(): string {
  return process.env.ROLECALL_TEST_DATABASE_URL || DEFAULT_TEST_SERVER_URL;
}

/** The URL of one database on the test server (query parameters such as sslmode are kept). */
export function databaseUrl(database: string, server: string = testServerUrl()): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates a fresh, empty database with a random name. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `rolecall_test_${randomBytes(6).toString('hex')}`;
  await withMaintenanceClient(async (client) => {
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
    url: databaseUrl(name),
    drop: () =>
      withMaintenanceClient(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}

async function withMaintenanceClient(work: (client: pg.Client) => Promise<void>): Promise<void> {
  const server = testServerUrl();
  const client = new pg.Client({ connectionString: databaseUrl('postgres', server), connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${redacted(server)} (${(error as Error).message}). The store tests need a ` +
        'PostgreSQL server: start one there, or set ROLECALL_TEST_DATABASE_URL to a server URL without a database name.',
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

/**
 * The SQLite driver for this Node version. better-sqlite3 12 builds its statements on Node's ObjectWrap,
 * whose destructor aborts the process on Node 24 when a statement is garbage-collected (the
 * `RemoveEnvironmentCleanupHook` assertion, better-sqlite3#1515); better-sqlite3 13 moved to Node-API and
 * ships prebuilt binaries, but does not run on Node 20. So: 13 from Node 22 on, 12 on Node 20.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const nodeMajor = Number(process.versions.node.split('.')[0]);

export type SqliteDatabase = BetterSqlite3.Database;
export type SqliteStatement = BetterSqlite3.Statement;
export type SqliteDatabaseConstructor = typeof BetterSqlite3;

/** The better-sqlite3 Database class suited to the running Node. */
export const Database: SqliteDatabaseConstructor = require(nodeMajor >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3') as SqliteDatabaseConstructor;

/**
 * The SQLite driver for this Node version. better-sqlite3 12 builds its statements on Node's ObjectWrap,
 * whose destructor aborts the process on Node 24 when a statement is garbage-collected (the
 * `RemoveEnvironmentCleanupHook` assertion, better-sqlite3#1515); better-sqlite3 13 moved to Node-API and
 * ships prebuilt binaries, but crashes on Node 20 and declares Node >= 22. So: 13 from Node 22 on, 12 on
 * Node 20. Both are optional dependencies: npm skips 13 on Node 20 because of its engines field (instead
 * of warning EBADENGINE), and a failed build of 12 on Node 22+, where it is not used, does not fail the
 * install.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const nodeMajor = Number(process.versions.node.split('.')[0]);

export type SqliteDatabase = BetterSqlite3.Database;
export type SqliteStatement = BetterSqlite3.Statement;
export type SqliteDatabaseConstructor = typeof BetterSqlite3;

/** The better-sqlite3 Database class suited to the running Node. */
export const Database: SqliteDatabaseConstructor = loadDriver(nodeMajor >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3');

function loadDriver(name: string): SqliteDatabaseConstructor {
  try {
    return require(name) as SqliteDatabaseConstructor;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // npm installs the driver for the Node it runs under: an install made under another Node major lacks it.
    if (code === 'MODULE_NOT_FOUND') {
      throw new Error(
        `Rolecall's SQLite driver for Node ${process.versions.node} (${name}) is not installed; npm installs it for the Node ` +
          'it runs under, so run `npm ci` (or `npm install`) again with this Node',
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * The SQLite data folder holds every sealed secret (and, by default, the key that seals them): it is
 * created 0700 and its database files 0600 whatever the umask, and looser modes left by an earlier
 * version or by hand are tightened at start with a warning.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

const FOLDER_MODE = 0o700;
const FILE_MODE = 0o600;

/** Where warnings about tightened modes go (stderr by default). */
export type PermissionWarning = (message: string) => void;

export const warnOnStderr: PermissionWarning = (message) => process.stderr.write(`rolecall: ${message}\n`);

function tighten(path: string, mode: number, what: string, warn: PermissionWarning): void {
  const current = statSync(path).mode & 0o777;
  if ((current & ~mode) === 0 && (current & mode) === mode) return;
  chmodSync(path, mode);
  // Only a mode that let others in is worth a warning; an owner-only mode is fixed quietly.
  if ((current & 0o077) !== 0) warn(`${what} ${path} was mode 0${current.toString(8)}; tightened to 0${mode.toString(8)} (it holds sealed secrets)`);
}

/** Creates (or tightens) the data folder 0700 and the database file 0600 before SQLite opens it. */
export function preparePrivateDatabase(file: string, folder: string, warn: PermissionWarning): void {
  if (!existsSync(folder)) mkdirSync(folder, { recursive: true, mode: FOLDER_MODE });
  tighten(folder, FOLDER_MODE, 'data folder', warn);
  // SQLite creates its -wal and -shm files with the database file's mode, so the file is made first.
  if (!existsSync(file)) closeSync(openSync(file, 'a', FILE_MODE));
  tightenDatabaseFiles(file, warn);
}

/** Tightens the database file and its -wal and -shm companions that exist to 0600. */
export function tightenDatabaseFiles(file: string, warn: PermissionWarning): void {
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) tighten(path, FILE_MODE, 'database file', warn);
}

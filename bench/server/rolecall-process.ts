/**
 * `rolecall serve` as a child process on a free loopback port: what the bench measures and what the
 * durability tests kill -9. Resolves once the server prints its listening line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Fixed root credentials for the default account, so clients can sign from the first request. */
export const BENCH_ROOT_CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

/** dist/src/cli/main.js, reached from dist/bench/server/. */
export const ROLECALL_MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

// A bound for a broken server, not a timing: on the loaded 2-core machine a start took over 30 s.
const STARTUP_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;

export interface RolecallProcessOptions {
  /** SQLite data folder; ignored when databaseUrl is set. */
  dataDir?: string;
  databaseUrl?: string;
  /** Extra environment (ROLECALL_SERVER_KEYS, ...), on top of the fixed root credentials. */
  env?: NodeJS.ProcessEnv;
  /** Flags for node itself, such as --cpu-prof. */
  nodeArgs?: string[];
}

export interface RolecallProcess {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** What the server wrote on stderr so far, for failure messages. */
  stderr(): string;
  /** SIGKILL: no chance to flush or close anything. Resolves when the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited in time. Resolves when the process is gone. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts `rolecall serve --port 0 --quiet` and waits for its listening line. */
export async function startRolecallProcess(options: RolecallProcessOptions): Promise<RolecallProcess> {
  const store = options.databaseUrl ? ['--database', options.databaseUrl] : ['--data', options.dataDir ?? '.rolecall'];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ROLECALL_MAIN, 'serve', '--host', '127.0.0.1', '--port', '0', ...store, '--quiet'], {
    env: {
      ...process.env,
      ROLECALL_ROOT_ACCESS_KEY_ID: BENCH_ROOT_CREDENTIALS.accessKeyId,
      ROLECALL_ROOT_SECRET_ACCESS_KEY: BENCH_ROOT_CREDENTIALS.secretAccessKey,
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    // Keeps the head (the listening line, a startup error) and the tail; a chatty server cannot grow it unbounded.
    stderr = stderr.length < 64_000 ? stderr + chunk : stderr;
  });
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited(child);
  };

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`rolecall did not start within ${STARTUP_TIMEOUT_MS} ms:\n${stderr}`)), STARTUP_TIMEOUT_MS);
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) finish(() => resolve(match[1]!));
    };
    const onExit = (code: number | null, signal: string | null) => fail(new Error(`rolecall exited during startup (${signal ?? code}):\n${stderr}`));
    function finish(settle: () => void) {
      clearTimeout(timer);
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
      settle();
    }
    function fail(error: Error) {
      finish(() => reject(error));
      void kill();
    }
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
    child.once('error', fail);
  });

  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid!,
    child,
    stderr: () => stderr,
    kill,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited(child);
      clearTimeout(timer);
    },
  };
}

/**
 * moto's standalone server (`moto_server`, from pip) on a free loopback port: the peer the server bench
 * compares Rolecall with. moto routes a request to IAM by the SigV4 credential scope and accepts any
 * signature, so the same signing client drives both.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';

const STARTUP_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 100;
const STOP_TIMEOUT_MS = 5_000;

export interface MotoProcess {
  url: string;
  pid: number;
  /** moto's version, from the installed package's metadata. */
  version: string;
  stderr(): string;
  /** Ends moto's process group (SIGTERM, then SIGKILL); resolves when the process is gone. */
  stop(): Promise<void>;
}

/** A port that was free a moment ago: the OS picks it, then it is released for moto to bind. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = httpRequest({ host: '127.0.0.1', port, path: '/moto-api/', method: 'GET', timeout: 1000 }, (response) => {
      response.resume();
      response.on('end', () => resolve(true));
    });
    probe.on('timeout', () => probe.destroy());
    probe.on('error', () => resolve(false));
    probe.end();
  });
}

function installedMotoVersion(): string {
  const result = spawnSync('python3', ['-c', 'import importlib.metadata as m; print(m.version("moto"))'], { encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 ? result.stdout.trim() : 'unknown';
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Signals moto's whole process group: the pyenv shim execs into python, but a wrapper could fork. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

/** Starts `moto_server -H 127.0.0.1 -p PORT` and waits until it answers HTTP. */
export async function startMotoProcess(): Promise<MotoProcess> {
  const port = await freeLoopbackPort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    // moto logs every request on stderr: keep only the start, which holds any startup error.
    if (stderr.length < 16_000) stderr += chunk;
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_TIMEOUT_MS);
    await exited(child);
    clearTimeout(timer);
  };
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  spawnError.catch(() => undefined);

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`moto_server exited during startup:\n${stderr}`);
    if (await Promise.race([answers(port), spawnError])) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not answer within ${STARTUP_TIMEOUT_MS} ms:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, version: installedMotoVersion(), stderr: () => stderr, stop };
}

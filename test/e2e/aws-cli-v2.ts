/**
 * The official AWS CLI v2 for end-to-end tests: the self-contained bundle that the devDependency
 * `@aws-cdk/asset-awscli-v2` ships as `lib/layer.zip`, unpacked once per machine into
 * `node_modules/.cache/awscli-v2/<package version>/` the first time a test needs it.
 *
 * Several test processes start at once, so the unpacking is safe under concurrency: one process holds a
 * lock folder while it extracts into a private temporary folder, then renames that folder into place in
 * one step; the others wait for the finished folder. A lock left by a process that died is taken over,
 * and whoever loses a rename race discards its own copy.
 */
import { createRequire } from 'node:module';
import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { extractZip } from './zip-extract.js';

const PACKAGE = '@aws-cdk/asset-awscli-v2';
const LOCK_POLL_MS = 200;
/** A lock folder without its owner's pid file is presumed abandoned after this long. */
const ORPHAN_LOCK_MS = 60_000;
/** Unpacking takes seconds: a lock this old is abandoned even if its pid now names another process. */
const STALE_LOCK_MS = 10 * 60_000;

let unpacked: Promise<string> | undefined;

/** The path of the official AWS CLI v2 binary, unpacking the bundle on first use. */
export function awsCliV2(): Promise<string> {
  unpacked ??= unpackOnce();
  return unpacked;
}

async function unpackOnce(): Promise<string> {
  const packageJson = createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`);
  const packageDir = dirname(packageJson);
  const { version } = JSON.parse(await readFile(packageJson, 'utf8')) as { version: string };
  // packageDir is node_modules/@aws-cdk/asset-awscli-v2 (symlinks resolved): the cache sits in that
  // node_modules, shared by every checkout that uses the same install.
  const cacheRoot = join(packageDir, '..', '..', '.cache', 'awscli-v2');
  const finished = join(cacheRoot, version);
  const lock = join(cacheRoot, `${version}.lock`);
  await mkdir(cacheRoot, { recursive: true });
  for (;;) {
    if (await exists(finished)) return cliBinaryIn(finished);
    if (await takeLock(lock)) {
      try {
        if (!(await exists(finished))) await unpackInto(join(packageDir, 'lib', 'layer.zip'), cacheRoot, version);
      } finally {
        await rm(lock, { recursive: true, force: true });
      }
    } else if (await lockAbandoned(lock)) {
      await rm(lock, { recursive: true, force: true });
    } else {
      await sleep(LOCK_POLL_MS);
    }
  }
}

/** Extracts into `.VERSION-PID-xxxx` beside the final folder, then renames it into place. */
async function unpackInto(zipPath: string, cacheRoot: string, version: string): Promise<void> {
  await removeDeadProcessesTemporaries(cacheRoot, version);
  const temporary = await mkdtemp(join(cacheRoot, `.${version}-${process.pid}-`));
  try {
    await extractZip(zipPath, temporary);
    await cliBinaryIn(temporary);
    await chmod(temporary, 0o755); // mkdtemp makes it 0700: the cache serves every user of this install
    await rename(temporary, join(cacheRoot, version));
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    // Another process finished first (its lock was wrongly judged abandoned): its copy is as good.
    if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY' && (error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** The bundle's `awscli/v2/<cli version>/dist/aws`, checked to exist. */
async function cliBinaryIn(folder: string): Promise<string> {
  const versions = (await readdir(join(folder, 'awscli', 'v2'))).filter((name) => /^\d+\.\d+\.\d+$/.test(name));
  if (versions.length !== 1) throw new Error(`${PACKAGE}: expected one CLI version under awscli/v2 in ${folder}, found ${versions.join(', ') || 'none'}`);
  const binary = join(folder, 'awscli', 'v2', versions[0]!, 'dist', 'aws');
  await stat(binary);
  return binary;
}

async function takeLock(lock: string): Promise<boolean> {
  try {
    await mkdir(lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  await writeFile(join(lock, 'pid'), String(process.pid));
  return true;
}

async function lockAbandoned(lock: string): Promise<boolean> {
  const created = await stat(lock).catch(() => undefined);
  if (created === undefined) return false; // released meanwhile
  const age = Date.now() - created.mtimeMs;
  const owner = await readFile(join(lock, 'pid'), 'utf8').catch(() => undefined);
  // No pid file yet: its owner is between mkdir and writeFile, or died there.
  if (owner === undefined) return age > ORPHAN_LOCK_MS;
  return age > STALE_LOCK_MS || !processAlive(Number(owner));
}

/** Removes temporary folders left by unpackers that died; a live process's folder is left alone. */
async function removeDeadProcessesTemporaries(cacheRoot: string, version: string): Promise<void> {
  for (const name of await readdir(cacheRoot)) {
    const owner = new RegExp(`^\\.${version.replace(/\./g, '\\.')}-(\\d+)-`).exec(name);
    if (owner && !processAlive(Number(owner[1]))) await rm(join(cacheRoot, name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

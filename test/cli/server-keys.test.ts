// Issue 12 item 6, key handling end to end with real server processes: PostgreSQL refuses to start
// without keys from outside the database; a key file must be 0600; and a rotation — new key first, old
// keys still unseal, `rolecall keys reseal`, old key retired — keeps every credential working.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand, CreateVirtualMFADeviceCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { RolecallProcess } from '../../bench/server/rolecall-process.js';
import { BENCH_ROOT_CREDENTIALS, ROLECALL_MAIN, startRolecallProcess } from '../../bench/server/rolecall-process.js';
import { createTestDatabase, type TestDatabase } from '../store/pg-test-database.js';
import { newSealingKey } from '../../src/auth/secrets.js';

let work: string;
let database: TestDatabase;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'rolecall-keys-'));
  database = await createTestDatabase();
});
after(async () => {
  await database?.drop();
  await rm(work, { recursive: true, force: true });
});

/** Runs `rolecall ARGS` to completion with only the given ROLECALL_* settings. */
function rolecall(args: string[], env: Record<string, string> = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ROLECALL_')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ROLECALL_MAIN, ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ status: code ?? 1, stdout, stderr }));
  });
}

function keyText(): string {
  const key = newSealingKey(`k${Math.random().toString(36).slice(2, 6)}`);
  return `${key.id}:${key.key.toString('base64')}`;
}

async function keyFile(name: string, text: string, mode = 0o600): Promise<string> {
  const path = join(work, name);
  await writeFile(path, `${text}\n`);
  await chmod(path, mode);
  return path;
}

test('issue 12.6: `rolecall serve --database` without ROLECALL_SERVER_KEYS or a key file refuses to start and says why', async () => {
  const result = await rolecall(['serve', '--port', '0', '--database', database.url, '--quiet']);
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /PostgreSQL needs its sealing keys from outside the database: set ROLECALL_SERVER_KEYS=id:base64key or --server-keys-file FILE/);
});

test('issue 12.6: a key file that group or others can read is refused; 0600 starts PostgreSQL and says where the keys came from', async () => {
  const loose = await keyFile('loose-keys', keyText(), 0o644);
  const refused = await rolecall(['serve', '--port', '0', '--database', database.url, '--server-keys-file', loose, '--quiet']);
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /server keys file .*loose-keys has mode 0644: it must be readable by its owner only \(chmod 600/);

  const tight = await keyFile('tight-keys', keyText());
  const server = await startRolecallProcess({ databaseUrl: database.url, env: { ROLECALL_SERVER_KEYS_FILE: tight } });
  try {
    assert.match(server.stderr(), /sealing keys from .*tight-keys \(1 given, sealing with 'k\w+'\)/);
  } finally {
    await server.stop();
  }
});

test('issue 12.6: key rotation end to end on SQLite: a new key seals, old ones unseal, `rolecall keys reseal` moves every secret to it, the old key retires', async () => {
  const dataDir = join(work, 'rotation');
  const iamAt = (url: string) => new IAMClient({ endpoint: url, region: 'us-east-1', credentials: BENCH_ROOT_CREDENTIALS, maxAttempts: 1 });
  /** The ARN the server authenticates a credential as (its sealed secret had to be opened). */
  const whoIs = async (url: string, credentials = BENCH_ROOT_CREDENTIALS) =>
    (await new STSClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 }).send(new GetCallerIdentityCommand({}))).Arn;
  /** Runs `work` against a server started with `options`, stopping it whatever happens. */
  const withServer = async (options: Parameters<typeof startRolecallProcess>[0], work: (server: RolecallProcess) => Promise<void>) => {
    const server = await startRolecallProcess(options);
    try {
      await work(server);
    } finally {
      await server.stop();
    }
  };

  // 1. Zero configuration: SQLite keeps a generated key in its data folder.
  let alice = BENCH_ROOT_CREDENTIALS;
  await withServer({ dataDir }, async (server) => {
    assert.match(server.stderr(), /sealing key kept in the data folder/);
    await iamAt(server.url).send(new CreateUserCommand({ UserName: 'alice' }));
    const { AccessKey } = await iamAt(server.url).send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    await iamAt(server.url).send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice-phone' }));
    alice = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  });

  // 2. A configured key now seals; the key the folder kept still opens what it sealed.
  const k2 = keyText();
  await withServer({ dataDir, env: { ROLECALL_SERVER_KEYS: k2 } }, async (server) => {
    assert.match(server.stderr(), /1 older key\(s\) still kept in the store unseal until `rolecall keys reseal`/);
    assert.equal(await whoIs(server.url, alice), 'arn:aws:iam::123456789012:user/alice');
  });

  // 3. Re-seal: alice's key and the MFA seed move to k2 (the configured root key was sealed anew at
  // start 2); the kept key is removed.
  const file = await keyFile('rotation-keys', k2);
  const resealed = await rolecall(['keys', 'reseal', '--data', dataDir, '--server-keys-file', file]);
  assert.equal(resealed.status, 0, resealed.stderr);
  assert.match(resealed.stdout, /^re-sealed 2 stored secrets \(1 accessKey, 1 mfaDevice\) with key 'k\w+'\nremoved the sealing keys the store kept/);
  const again = await rolecall(['keys', 'reseal', '--data', dataDir, '--server-keys-file', file]);
  assert.equal(again.stdout, `re-sealed 0 stored secrets with key '${k2.split(':')[0]}'\n`);

  // 4. Only k2 exists now, and every credential still works.
  await withServer({ dataDir, env: { ROLECALL_SERVER_KEYS_FILE: file } }, async (server) => {
    assert.doesNotMatch(server.stderr(), /older key/);
    assert.equal(await whoIs(server.url, alice), 'arn:aws:iam::123456789012:user/alice');
    assert.equal(await whoIs(server.url), 'arn:aws:iam::123456789012:root');
  });

  // 5. Rotating on: k3 first, k2 kept to unseal; reseal moves everything to k3 and k2 can be dropped.
  const k3 = keyText();
  const both = await keyFile('rotation-keys-2', `${k3},${k2}`);
  const moved = await rolecall(['keys', 'reseal', '--data', dataDir, '--server-keys-file', both]);
  assert.match(moved.stdout, /^re-sealed 3 stored secrets/);
  await withServer({ dataDir, env: { ROLECALL_SERVER_KEYS: k3 } }, async (server) => {
    assert.equal(await whoIs(server.url, alice), 'arn:aws:iam::123456789012:user/alice');
  });
});

test('`rolecall keys generate` prints a key ROLECALL_SERVER_KEYS accepts', async () => {
  const generated = await rolecall(['keys', 'generate', '--id', 'k9']);
  assert.match(generated.stdout, /^k9:[A-Za-z0-9+/]{43}=\n$/);
});

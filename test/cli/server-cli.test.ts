import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IAMClient, CreateRoleCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

const MAIN = join(process.cwd(), 'dist/src/cli/main.js');

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

/** Starts `rolecall serve` and resolves with its URL and the lines it printed on stdout. */
async function serve(dataDir: string, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--data', dataDir, '--quiet'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
  const stop = () =>
    new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });
  return { url, stdout: () => stdout, stop };
}

function credentialsFrom(text: string) {
  const accessKeyId = /AWS_ACCESS_KEY_ID=(\S+)/.exec(text)?.[1];
  const secretAccessKey = /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(text)?.[1];
  assert.ok(accessKeyId && secretAccessKey, `no credentials in:\n${text}`);
  return { accessKeyId, secretAccessKey };
}

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

test('serve: first start generates root credentials, prints them once as export lines, and they work; a restart keeps them and prints nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rolecall-serve-'));
  try {
    const first = await serve(dir);
    await new Promise((r) => setTimeout(r, 100));
    const printed = first.stdout();
    assert.match(printed, /^export AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+$/m);
    assert.match(printed, /^export AWS_DEFAULT_REGION=us-east-1$/m);
    const credentials = credentialsFrom(printed);
    const iam = new IAMClient({ endpoint: first.url, region: 'us-east-1', credentials });
    await iam.send(new CreateRoleCommand({ RoleName: 'kept', AssumeRolePolicyDocument: TRUST }));
    assert.equal(await first.stop(), 0);

    const second = await serve(dir);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(second.stdout(), '', 'the secret is shown only on the first start');
    const again = new IAMClient({ endpoint: second.url, region: 'us-east-1', credentials });
    const role = await again.send(new GetRoleCommand({ RoleName: 'kept' }));
    assert.equal(role.Role?.Arn, 'arn:aws:iam::123456789012:role/kept');
    await second.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('account create: a new account gets its own root key, usable against the server; audit lists the calls as CloudTrail events', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rolecall-account-'));
  try {
    const created = run(['account', 'create', '--name', 'staging', '--id', '210987654321', '--data', dir]);
    assert.equal(created.status, 0, created.stderr);
    const credentials = credentialsFrom(created.stdout);
    assert.equal(run(['account', 'create', '--name', 'again', '--id', '210987654321', '--data', dir]).status, 1);
    const listed = run(['account', 'list', '--data', dir]).stdout.trim().split('\n').map((l) => JSON.parse(l) as { AccountId: string });
    assert.deepEqual(listed.map((a) => a.AccountId).sort(), ['210987654321']);

    const server = await serve(dir, { ROLECALL_ROOT_ACCESS_KEY_ID: 'AKIAROLECALLTEST0001', ROLECALL_ROOT_SECRET_ACCESS_KEY: 'secret-of-the-default-root-key-000000001' });
    const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials });
    const role = await iam.send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: TRUST }));
    assert.equal(role.Role?.Arn, 'arn:aws:iam::210987654321:role/deployer');
    await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'missing' })), /cannot be found/);
    await server.stop();

    const audit = run(['audit', '--data', dir, '--principal', 'arn:aws:iam::210987654321:root']);
    assert.equal(audit.status, 0, audit.stderr);
    const events = audit.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(events.map((e) => e.eventName), ['CreateRole', 'GetRole']);
    assert.equal((events[0]!.userIdentity as { type: string }).type, 'Root');
    assert.equal(events[1]!.errorCode, 'NoSuchEntity');
    const errorsOnly = run(['audit', '--data', dir, '--errors']).stdout.trim().split('\n');
    assert.equal(errorsOnly.length, 1);
    assert.equal(run(['audit', '--data', dir, '--event', 'CreateRole', '--limit', '1']).stdout.trim().split('\n').length, 1);
    assert.doesNotMatch(audit.stdout, new RegExp(credentials.secretAccessKey), 'no secret in the audit trail');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('usage errors exit 2', () => {
  assert.equal(run(['serve', '--bogus']).status, 2);
  assert.equal(run(['account', 'create']).status, 2);
  assert.equal(run(['audit', '--since', 'yesterday-ish']).status, 2);
});

test('account create --partition aws-us-gov: the account lives in GovCloud from the start (ARNs arn:aws-us-gov; us-east-1 signatures are InvalidClientTokenId)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rolecall-account-'));
  try {
    assert.equal(run(['account', 'create', '--name', 'gov', '--partition', 'aws-moon', '--data', dir]).status, 2);
    const created = run(['account', 'create', '--name', 'gov', '--id', '210987654321', '--partition', 'aws-us-gov', '--data', dir]);
    assert.equal(created.status, 0, created.stderr);
    const credentials = credentialsFrom(created.stdout);
    const listed = JSON.parse(run(['account', 'list', '--data', dir]).stdout.trim()) as { Partition?: string };
    assert.equal(listed.Partition, 'aws-us-gov');

    const server = await serve(dir, { ROLECALL_ROOT_ACCESS_KEY_ID: 'AKIAROLECALLTEST0002', ROLECALL_ROOT_SECRET_ACCESS_KEY: 'secret-of-the-default-root-key-000000002' });
    try {
      const commercial = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
      await assert.rejects(commercial.send(new GetCallerIdentityCommand({})), { name: 'InvalidClientTokenId' });
      const gov = new STSClient({ endpoint: server.url, region: 'us-gov-east-1', credentials, maxAttempts: 1 });
      assert.equal((await gov.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws-us-gov:iam::210987654321:root');
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

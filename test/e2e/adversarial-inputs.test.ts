// Issue 12's adversarial cases against a running server, kept as regressions with their numbers: the
// wildcard pattern that took 16 s in SimulateCustomPolicy, the 20,000 PolicyArns and 18,000 Tags that
// blocked decoding, and the 1 MiB + 1 body that got a connection reset instead of 413.
import { after, before, test } from 'node:test';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { CreatePolicyCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { cliJson, E2eServer, ROOT } from './harness.js';
import { getOnce, openConnection, postHead, untilClosed, writeAll } from './raw-http.js';

let server: E2eServer;

before(async () => {
  server = await E2eServer.start();
});
after(() => server?.stop());

test('issue 12.1: simulate-custom-policy with Resource `arn:aws:s3:::*a*a*a*a*a*a*a*a*a*b` against 40 a\'s (16 s, /health blocked before) answers implicitDeny', async () => {
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::*a*a*a*a*a*a*a*a*a*b' }] });
  const simulation = server.awsV1(['iam', 'simulate-custom-policy', '--action-names', 's3:GetObject', '--resource-arns', `arn:aws:s3:::${'a'.repeat(40)}`, '--policy-input-list', policy]);
  const health = await getOnce(`${server.url}/health`);
  assert.equal(health.status, 200);
  const result = cliJson<{ EvaluationResults: Array<{ EvalDecision: string }> }>(await simulation);
  assert.equal(result.EvaluationResults[0]!.EvalDecision, 'implicitDeny');
});

test('issue 12.2: an unsigned AssumeRoleWithWebIdentity with 20,000 PolicyArns.member.N (529 KB, 21 s before) is refused with ValidationError before any token is checked', async () => {
  const params = new URLSearchParams({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: 'arn:aws:iam::123456789012:role/nobody', RoleSessionName: 'session', WebIdentityToken: 'not-a-jwt' });
  for (let i = 1; i <= 20_000; i++) params.append(`PolicyArns.member.${i}.arn`, 'a');
  assert.ok(params.toString().length < 1024 * 1024);
  const response = await fetch(server.url, { method: 'POST', body: params, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const body = await response.text();
  assert.equal(response.status, 400);
  assert.match(body, /<Code>ValidationError<\/Code>/);
  assert.match(body, /<Message>1 validation error detected: Value &apos;\[\{arn=a\}, .* at &apos;policyArns&apos; failed to satisfy constraint: Member must have length less than or equal to 10<\/Message>/);
  // The answer is no bigger than the question (one violation, not one per member).
  assert.ok(body.length < params.toString().length, `${body.length}-byte answer`);
});

test('issue 12.2: a signed CreateRole with 18,000 Tags (17.5 s before) is refused with ValidationError and creates nothing', async () => {
  const iam = server.iam();
  const Tags = Array.from({ length: 18_000 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
  const error = await iam
    .send(new CreateRoleCommand({ RoleName: 'many-tags', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}', Tags }))
    .then(() => undefined, (e: { name: string; message: string }) => e);
  assert.equal(error?.name, 'ValidationError');
  assert.match(error!.message, /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50/);
  const listed = cliJson<{ Roles: Array<{ RoleName: string }> }>(await server.awsV1(['iam', 'list-roles']));
  assert.ok(!listed.Roles.some((role) => role.RoleName === 'many-tags'));
});

test('issue 12.4: a 1,048,577-byte body gets a readable 413 RequestEntityTooLarge in AWS Query form, then a clean close (no reset)', async () => {
  const socket = await openConnection(server.url);
  const ending = untilClosed(socket);
  const body = 'Action=ListRoles&Version=2010-05-08&Pad=' + 'x'.repeat(1024 * 1024 + 1 - 40);
  await writeAll(socket, postHead(server.url, { 'content-length': Buffer.byteLength(body) }) + body);
  const { response, ending: how } = await ending;
  assert.match(response, /^HTTP\/1\.1 413 /);
  assert.match(response, /connection: close/i);
  assert.match(response, /<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>RequestEntityTooLarge<\/Code>/);
  assert.equal(how, 'end');
});

test('issue 12.4: a chunked body passing 1 MiB (no Content-Length) gets the same readable 413', async () => {
  const socket = await openConnection(server.url);
  const ending = untilClosed(socket);
  await writeAll(socket, postHead(server.url, { 'transfer-encoding': 'chunked' }));
  const chunk = 'x'.repeat(64 * 1024);
  for (let i = 0; i < 17; i++) await writeAll(socket, `${chunk.length.toString(16)}\r\n${chunk}\r\n`);
  await writeAll(socket, '0\r\n\r\n');
  const { response, ending: how } = await ending;
  assert.match(response, /^HTTP\/1\.1 413 /);
  assert.match(response, /<Code>RequestEntityTooLarge<\/Code>/);
  assert.equal(how, 'end');
});

test('issue 12.4: the AWS SDK (retries on) gets 413 RequestEntityTooLarge on its first attempt for a 1.1 MB policy instead of a reset it retries', async () => {
  const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 3 });
  const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'b'.repeat(1_100_000)}` }] });
  const error = await iam.send(new CreatePolicyCommand({ PolicyName: 'huge', PolicyDocument: document })).then(
    () => undefined,
    (e: { name: string; $metadata: { httpStatusCode?: number; attempts?: number } }) => e,
  );
  assert.equal(error?.name, 'RequestEntityTooLarge');
  assert.equal(error?.$metadata.httpStatusCode, 413);
  assert.equal(error?.$metadata.attempts, 1);
});

test("issue 12.5: GetSessionToken with the malformed MFA code '7654321' is refused, and the audit trail holds the code nowhere", async () => {
  const error = await server
    .sts()
    .send(new GetSessionTokenCommand({ SerialNumber: 'arn:aws:iam::123456789012:mfa/root', TokenCode: '7654321' }))
    .then(() => undefined, (e: { name: string; message: string }) => e);
  assert.equal(error?.name, 'ValidationError');
  assert.match(error!.message, /Value '7654321' at 'tokenCode'/, 'the caller is told what it sent');
  const audit = await server.rolecall(['audit', '--event', 'GetSessionToken', '--errors']);
  assert.equal(audit.status, 0, audit.stderr);
  assert.match(audit.stdout, /Value 'HIDDEN_DUE_TO_SECURITY_REASONS' at 'tokenCode'/);
  assert.doesNotMatch(audit.stdout, /7654321/);
});

test('issue 12.6: `rolecall serve` made its data folder 0700 and rolecall.db, -wal, -shm 0600 whatever the umask it inherited', () => {
  const data = join(server.workDir, 'data');
  assert.equal(statSync(data).mode & 0o777, 0o700);
  for (const name of ['rolecall.db', 'rolecall.db-wal', 'rolecall.db-shm']) assert.equal(statSync(join(data, name)).mode & 0o777, 0o600, name);
});

/**
 * Error paths over the wire: raw signed Query requests to the real server, each answer checked for AWS's
 * error code, HTTP status (the model's awsQueryError) and message, and that the failed call changed
 * nothing. Also the operational endpoints, /health and Prometheus /metrics.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_ID, E2eServer, ROOT } from './harness.js';
import { queryRequest, type QueryAnswer } from './query-client.js';

let server: E2eServer;

before(async () => {
  server = await E2eServer.start();
});

after(async () => {
  await server?.stop();
});

const TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';

function iam(operation: string, input: Record<string, unknown>, credentials = ROOT): Promise<QueryAnswer> {
  return queryRequest(server.url, 'iam', operation, input, credentials);
}

/** The status, code and message of an answer, for one deepEqual. */
function error(answer: QueryAnswer) {
  return { status: answer.status, code: answer.code, message: answer.message };
}

async function assertRoleMissing(roleName: string): Promise<void> {
  const answer = await iam('GetRole', { RoleName: roleName });
  assert.equal(answer.code, 'NoSuchEntity', `${roleName} must not exist: ${answer.body}`);
}

test('GetRole of an unknown role: NoSuchEntity, 404, "The role with name X cannot be found." (API_GetRole.html)', async () => {
  const answer = await iam('GetRole', { RoleName: 'ghost' });
  assert.deepEqual(error(answer), { status: 404, code: 'NoSuchEntity', message: 'The role with name ghost cannot be found.' });
  assert.match(answer.body, /^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type>/);
  assert.match(answer.body, /<RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
});

test('CreateRole with a name that differs only in case: EntityAlreadyExists, 409 (names unique ignoring case)', async () => {
  assert.equal((await iam('CreateRole', { RoleName: 'CaseRole', AssumeRolePolicyDocument: TRUST })).status, 200);
  const answer = await iam('CreateRole', { RoleName: 'caserole', AssumeRolePolicyDocument: TRUST, Description: 'second' });
  assert.deepEqual(error(answer), { status: 409, code: 'EntityAlreadyExists', message: 'Role with name caserole already exists.' });
  const kept = await iam('GetRole', { RoleName: 'CaseRole' });
  assert.doesNotMatch(kept.body, /<Description>/, 'the first role is untouched');
});

test('CreateRole with a malformed trust policy: MalformedPolicyDocument, 400, and no role', async () => {
  const invalidJson = await iam('CreateRole', { RoleName: 'bad-json', AssumeRolePolicyDocument: '{"Version": "2012-10-17", "Statement": [' });
  assert.deepEqual(error(invalidJson), { status: 400, code: 'MalformedPolicyDocument', message: 'This policy contains invalid Json' });
  await assertRoleMissing('bad-json');

  // A trust policy names who may assume the role; Resource has no place in it.
  const withResource = await iam('CreateRole', {
    RoleName: 'bad-trust',
    AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}]}',
  });
  assert.deepEqual(error(withResource), { status: 400, code: 'MalformedPolicyDocument', message: 'Has prohibited field Resource' });
  const noPrincipal = await iam('CreateRole', {
    RoleName: 'bad-trust',
    AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}',
  });
  assert.deepEqual(error(noPrincipal), { status: 400, code: 'MalformedPolicyDocument', message: 'Missing required field Principal' });
  await assertRoleMissing('bad-trust');
});

test('MaxSessionDuration outside 3600–43200 s: ValidationError, 400, with the constraint AWS reports', async () => {
  const low = await iam('CreateRole', { RoleName: 'short', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 3599 });
  assert.deepEqual(error(low), {
    status: 400,
    code: 'ValidationError',
    message: "1 validation error detected: Value '3599' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
  });
  const high = await iam('CreateRole', { RoleName: 'long', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 43201 });
  assert.deepEqual(error(high), {
    status: 400,
    code: 'ValidationError',
    message: "1 validation error detected: Value '43201' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200",
  });
  await assertRoleMissing('short');
  await assertRoleMissing('long');

  assert.equal((await iam('CreateRole', { RoleName: 'bounded', AssumeRolePolicyDocument: TRUST })).status, 200);
  const update = await iam('UpdateRole', { RoleName: 'bounded', MaxSessionDuration: 50000 });
  assert.equal(update.code, 'ValidationError');
  assert.match((await iam('GetRole', { RoleName: 'bounded' })).body, /<MaxSessionDuration>3600<\/MaxSessionDuration>/);
});

test('a role name longer than 64 characters: ValidationError, 400 (reference_iam-quotas.html)', async () => {
  const name = 'r'.repeat(65);
  const answer = await iam('CreateRole', { RoleName: name, AssumeRolePolicyDocument: TRUST });
  assert.deepEqual(error(answer), {
    status: 400,
    code: 'ValidationError',
    message: `1 validation error detected: Value '${name}' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64`,
  });
  assert.equal((await iam('CreateRole', { RoleName: 'r'.repeat(64), AssumeRolePolicyDocument: TRUST })).status, 200, '64 characters are allowed');
});

test('input breaking the model over the wire: one ValidationError naming each violation once, and nothing created', async () => {
  const answer = await iam('CreateRole', { RoleName: 'app role', AssumeRolePolicyDocument: TRUST, Description: 'd'.repeat(1001) });
  assert.deepEqual(error(answer), {
    status: 400,
    code: 'ValidationError',
    message:
      "2 validation errors detected: Value 'app role' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+; " +
      `Value '${'d'.repeat(1001)}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000`,
  });
  assert.doesNotMatch((await iam('ListRoles', {})).body, /app role/);
});

test('a request signed with the wrong secret: SignatureDoesNotMatch, 403, and nothing created', async () => {
  const answer = await iam('CreateRole', { RoleName: 'forged', AssumeRolePolicyDocument: TRUST }, { ...ROOT, secretAccessKey: `${ROOT.secretAccessKey.slice(0, -1)}X` });
  assert.deepEqual(error(answer), {
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  });
  await assertRoleMissing('forged');
});

test('a request signed with an unknown access key: InvalidClientTokenId, 403', async () => {
  const answer = await iam('ListRoles', {}, { accessKeyId: 'AKIAI44QH8DHBEXAMPLE', secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY' });
  assert.deepEqual(error(answer), { status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' });
  const sts = await queryRequest(server.url, 'sts', 'GetCallerIdentity', {}, { accessKeyId: 'AKIAI44QH8DHBEXAMPLE', secretAccessKey: 'x' });
  assert.deepEqual(error(sts), { status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' });
});

test('an unsigned request: MissingAuthenticationToken, 403', async () => {
  const answer = await queryRequest(server.url, 'iam', 'CreateRole', { RoleName: 'anonymous', AssumeRolePolicyDocument: TRUST }, undefined);
  assert.deepEqual(error(answer), { status: 403, code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token' });
  await assertRoleMissing('anonymous');
});

test('DeleteRole with an attached managed policy: DeleteConflict, 409, and the role stays (API_DeleteRole.html)', async () => {
  assert.equal((await iam('CreateRole', { RoleName: 'attached', AssumeRolePolicyDocument: TRUST })).status, 200);
  const policyArn = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
  assert.equal((await iam('AttachRolePolicy', { RoleName: 'attached', PolicyArn: policyArn })).status, 200);
  const answer = await iam('DeleteRole', { RoleName: 'attached' });
  assert.deepEqual(error(answer), { status: 409, code: 'DeleteConflict', message: 'Cannot delete entity, must detach all policies first.' });
  assert.equal((await iam('GetRole', { RoleName: 'attached' })).status, 200);

  assert.equal((await iam('DetachRolePolicy', { RoleName: 'attached', PolicyArn: policyArn })).status, 200);
  assert.equal((await iam('CreateInstanceProfile', { InstanceProfileName: 'attached-profile' })).status, 200);
  assert.equal((await iam('AddRoleToInstanceProfile', { InstanceProfileName: 'attached-profile', RoleName: 'attached' })).status, 200);
  const inProfile = await iam('DeleteRole', { RoleName: 'attached' });
  assert.deepEqual(error(inProfile), { status: 409, code: 'DeleteConflict', message: 'Cannot delete entity, must remove roles from instance profile first.' });

  assert.equal((await iam('RemoveRoleFromInstanceProfile', { InstanceProfileName: 'attached-profile', RoleName: 'attached' })).status, 200);
  assert.equal((await iam('DeleteRole', { RoleName: 'attached' })).status, 200);
  await assertRoleMissing('attached');
});

test('/health answers ok and /metrics counts the API calls in Prometheus text format', async () => {
  const health = await fetch(new URL('/health', server.url));
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok' });

  await iam('GetRole', { RoleName: 'metrics-probe' });
  const metrics = await fetch(new URL('/metrics', server.url));
  assert.equal(metrics.status, 200);
  assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/);
  const text = await metrics.text();
  assert.match(text, /^# TYPE rolecall_requests_total counter$/m);
  const line = /^rolecall_requests_total\{service="iam",operation="GetRole",status="404",error_code="NoSuchEntity"\} (\d+)$/m.exec(text);
  assert.ok(line, text);
  assert.ok(Number(line[1]) >= 1);
  assert.match(text, /^rolecall_request_duration_seconds_bucket\{service="iam",operation="GetRole",le="\+Inf"\} \d+$/m);
});

test(`GetCallerIdentity after all the failures still names root of ${ACCOUNT_ID}`, async () => {
  const answer = await queryRequest(server.url, 'sts', 'GetCallerIdentity', {}, ROOT);
  assert.equal(answer.status, 200);
  assert.match(answer.body, new RegExp(`<Arn>arn:aws:iam::${ACCOUNT_ID}:root</Arn>`));
  assert.match(answer.body, /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
});

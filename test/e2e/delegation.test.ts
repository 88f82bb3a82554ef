/**
 * Seed 003's delegation pattern ("Permission Boundaries"): a developer whose only policy allows
 * iam:CreateRole, iam:PutRolePolicy and iam:AttachRolePolicy on role/* on condition that
 * iam:PermissionsBoundary equals the DeveloperBoundary policy can create roles carrying that boundary and
 * nothing else (access_policies_boundaries.html, "Delegating responsibility to others using permissions
 * boundaries"; reference_policies_iam-condition-keys.html#ck_PermissionsBoundary).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, GetRoleCommand, IAMServiceException, PutRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { ACCOUNT_ID, cliError, cliJson, E2eServer } from './harness.js';
import { delegationPolicy } from './seed-fixtures.js';
import { createUserWithKey, type TestUser } from './users.js';

const TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
const INLINE = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"*"}]}';
const BOUNDARY = `arn:aws:iam::${ACCOUNT_ID}:policy/DeveloperBoundary`;
const OTHER_BOUNDARY = `arn:aws:iam::${ACCOUNT_ID}:policy/OtherBoundary`;

let server: E2eServer;
let root: IAMClient;
let developer: TestUser;
let asDeveloper: IAMClient;

before(async () => {
  server = await E2eServer.start();
  root = server.iam();
  const boundaryDocument = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","logs:*","dynamodb:*"],"Resource":"*"}]}';
  await root.send(new CreatePolicyCommand({ PolicyName: 'DeveloperBoundary', PolicyDocument: boundaryDocument }));
  await root.send(new CreatePolicyCommand({ PolicyName: 'OtherBoundary', PolicyDocument: boundaryDocument }));
  developer = await createUserWithKey(server, 'developer', { 'delegated-role-creation': delegationPolicy(ACCOUNT_ID) });
  asDeveloper = server.iam(developer.credentials);
});

after(async () => {
  await server?.stop();
});

/** The AccessDenied a developer call fails with. */
async function denied(call: Promise<unknown>): Promise<IAMServiceException> {
  try {
    await call;
  } catch (error) {
    if (error instanceof IAMServiceException) {
      assert.equal(error.name, 'AccessDenied');
      assert.equal(error.$metadata.httpStatusCode, 403);
      return error;
    }
    throw error;
  }
  throw new assert.AssertionError({ message: 'expected AccessDenied' });
}

function notAllowed(action: string, resource: string): string {
  return `User: ${developer.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
}

async function roleExists(roleName: string): Promise<boolean> {
  try {
    await root.send(new GetRoleCommand({ RoleName: roleName }));
    return true;
  } catch (error) {
    if (error instanceof IAMServiceException && error.name === 'NoSuchEntityException') return false;
    throw error;
  }
}

test('seed 003: the developer creates a role that carries the DeveloperBoundary', async () => {
  const created = await asDeveloper.send(new CreateRoleCommand({ RoleName: 'dev-lambda', AssumeRolePolicyDocument: TRUST, PermissionsBoundary: BOUNDARY }));
  assert.equal(created.Role!.Arn, `arn:aws:iam::${ACCOUNT_ID}:role/dev-lambda`);
  const role = (await root.send(new GetRoleCommand({ RoleName: 'dev-lambda' }))).Role!;
  assert.deepEqual(role.PermissionsBoundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: BOUNDARY });
});

test('seed 003: without a boundary, or with another one, CreateRole is denied and creates nothing', async () => {
  const none = await denied(asDeveloper.send(new CreateRoleCommand({ RoleName: 'dev-unbounded', AssumeRolePolicyDocument: TRUST })));
  assert.equal(none.message, notAllowed('iam:CreateRole', `arn:aws:iam::${ACCOUNT_ID}:role/dev-unbounded`));
  const other = await denied(asDeveloper.send(new CreateRoleCommand({
    RoleName: 'dev-other', Path: '/team/', AssumeRolePolicyDocument: TRUST, PermissionsBoundary: OTHER_BOUNDARY,
  })));
  assert.equal(other.message, notAllowed('iam:CreateRole', `arn:aws:iam::${ACCOUNT_ID}:role/team/dev-other`));
  assert.equal(await roleExists('dev-unbounded'), false);
  assert.equal(await roleExists('dev-other'), false);
});

test('seed 003: PutRolePolicy and AttachRolePolicy work on the bounded role only (the condition reads the role\'s boundary)', async () => {
  await asDeveloper.send(new CreateRoleCommand({ RoleName: 'dev-worker', AssumeRolePolicyDocument: TRUST, PermissionsBoundary: BOUNDARY }));
  await asDeveloper.send(new PutRolePolicyCommand({ RoleName: 'dev-worker', PolicyName: 'logs', PolicyDocument: INLINE }));
  await asDeveloper.send(new AttachRolePolicyCommand({ RoleName: 'dev-worker', PolicyArn: 'arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess' }));

  await root.send(new CreateRoleCommand({ RoleName: 'admin-made', AssumeRolePolicyDocument: TRUST }));
  const put = await denied(asDeveloper.send(new PutRolePolicyCommand({ RoleName: 'admin-made', PolicyName: 'logs', PolicyDocument: INLINE })));
  assert.equal(put.message, notAllowed('iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT_ID}:role/admin-made`));
  const attach = await denied(asDeveloper.send(new AttachRolePolicyCommand({ RoleName: 'admin-made', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })));
  assert.equal(attach.message, notAllowed('iam:AttachRolePolicy', `arn:aws:iam::${ACCOUNT_ID}:role/admin-made`));

  // The policy grants these three actions and nothing more: reading the role back is not among them.
  const read = await denied(asDeveloper.send(new GetRoleCommand({ RoleName: 'dev-worker' })));
  assert.equal(read.message, notAllowed('iam:GetRole', `arn:aws:iam::${ACCOUNT_ID}:role/dev-worker`));
});

test('seed 003: the same rule through the AWS CLI v2 — --permissions-boundary allowed, omitted denied', async () => {
  const options = { credentials: developer.credentials };
  const trustFile = await server.writeFile('delegated-trust.json', TRUST);
  const created = cliJson<{ Role: { Arn: string } }>(await server.awsV2(
    ['iam', 'create-role', '--role-name', 'dev-cli', '--assume-role-policy-document', `file://${trustFile}`, '--permissions-boundary', BOUNDARY],
    options,
  ));
  assert.equal(created.Role.Arn, `arn:aws:iam::${ACCOUNT_ID}:role/dev-cli`);
  const refused = cliError(await server.awsV2(['iam', 'create-role', '--role-name', 'dev-cli-unbounded', '--assume-role-policy-document', `file://${trustFile}`], options));
  assert.deepEqual(refused, {
    code: 'AccessDenied',
    operation: 'CreateRole',
    message: notAllowed('iam:CreateRole', `arn:aws:iam::${ACCOUNT_ID}:role/dev-cli-unbounded`),
  });
});

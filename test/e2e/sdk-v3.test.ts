/**
 * The AWS SDK for JavaScript v3 (@aws-sdk/client-iam, client-sts) against the real server: role CRUD,
 * ListRoles pagination over more than one page (MaxItems/Marker, default page of 100), the URL-encoded
 * policy documents the SDK hands back as they are, the SDK's modelled exceptions with AWS's messages, and
 * STS GetCallerIdentity for root and for an IAM user.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, DeleteConflictException, DeleteRoleCommand, DetachRolePolicyCommand,
  EntityAlreadyExistsException, GetRoleCommand, GetRolePolicyCommand, IAMServiceException, LimitExceededException, ListRolesCommand,
  MalformedPolicyDocumentException, NoSuchEntityException, paginateListRoles, PutRolePolicyCommand, type IAMClient,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ACCOUNT_ID, E2eServer } from './harness.js';
import { createUserWithKey } from './users.js';

let server: E2eServer;
let iam: IAMClient;

before(async () => {
  server = await E2eServer.start();
  iam = server.iam();
});

after(async () => {
  iam?.destroy();
  await server?.stop();
});

const TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';

/** The modelled exception a call fails with (rejects the test if it succeeds). */
async function failure(call: Promise<unknown>): Promise<IAMServiceException> {
  try {
    await call;
  } catch (error) {
    if (error instanceof IAMServiceException) return error;
    throw error;
  }
  throw new assert.AssertionError({ message: 'expected the call to fail' });
}

test('SDK v3: CreateRole and GetRole round-trip every attribute', async () => {
  const created = await iam.send(new CreateRoleCommand({
    RoleName: 'sdk-role', Path: '/sdk/', AssumeRolePolicyDocument: TRUST, Description: 'made by SDK v3', MaxSessionDuration: 7200,
    Tags: [{ Key: 'team', Value: 'platform' }],
  }));
  assert.equal(created.Role!.Arn, `arn:aws:iam::${ACCOUNT_ID}:role/sdk/sdk-role`);
  assert.ok(created.Role!.CreateDate instanceof Date);
  const got = (await iam.send(new GetRoleCommand({ RoleName: 'sdk-role' }))).Role!;
  assert.equal(got.RoleId, created.Role!.RoleId);
  assert.equal(got.Path, '/sdk/');
  assert.equal(got.Description, 'made by SDK v3');
  assert.equal(got.MaxSessionDuration, 7200);
  assert.deepEqual(got.Tags, [{ Key: 'team', Value: 'platform' }]);
  assert.equal(got.CreateDate!.getTime(), created.Role!.CreateDate!.getTime());
  // The SDK does not decode policy documents (botocore does): it gets the RFC 3986 encoding AWS sends.
  assert.notEqual(got.AssumeRolePolicyDocument, TRUST);
  assert.equal(decodeURIComponent(got.AssumeRolePolicyDocument!), TRUST);
});

test('SDK v3: ListRoles pages through 105 roles — 100 by default, then the Marker; the paginator with MaxItems', async () => {
  const names = Array.from({ length: 105 }, (_, index) => `paged-${String(index).padStart(3, '0')}`);
  for (let start = 0; start < names.length; start += 15) {
    await Promise.all(names.slice(start, start + 15).map((RoleName) =>
      iam.send(new CreateRoleCommand({ RoleName, Path: '/paged/', AssumeRolePolicyDocument: TRUST }))));
  }

  // API_ListRoles.html: MaxItems defaults to 100; IsTruncated and Marker lead to the rest.
  const first = await iam.send(new ListRolesCommand({ PathPrefix: '/paged/' }));
  assert.equal(first.Roles!.length, 100);
  assert.equal(first.IsTruncated, true);
  assert.ok(first.Marker);
  const second = await iam.send(new ListRolesCommand({ PathPrefix: '/paged/', Marker: first.Marker }));
  assert.equal(second.Roles!.length, 5);
  assert.equal(second.IsTruncated, false);
  assert.equal(second.Marker, undefined);
  const manual = [...first.Roles!, ...second.Roles!].map((role) => role.RoleName!);
  assert.deepEqual([...manual].sort(), names);

  const pageSizes: number[] = [];
  const paged: string[] = [];
  for await (const page of paginateListRoles({ client: iam, pageSize: 40 }, { PathPrefix: '/paged/' })) {
    pageSizes.push(page.Roles!.length);
    paged.push(...page.Roles!.map((role) => role.RoleName!));
  }
  assert.deepEqual(pageSizes, [40, 40, 25]);
  assert.deepEqual(paged, manual, 'pages of any size list the roles in one stable order');

  // ListRoles omits PermissionsBoundary, RoleLastUsed and Tags (API_ListRoles.html).
  assert.ok(first.Roles!.every((role) => role.Tags === undefined && role.RoleLastUsed === undefined));
});

test('SDK v3: PutRolePolicy then GetRolePolicy returns the exact document, URL-encoded', async () => {
  await iam.send(new CreateRoleCommand({ RoleName: 'sdk-inline', AssumeRolePolicyDocument: TRUST }));
  // Spaces, newlines, a wildcard and non-ASCII text all survive the round trip unchanged.
  const document = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:Get*",\n' +
    '    "Resource": "arn:aws:s3:::bücher/*"}]\n}';
  await iam.send(new PutRolePolicyCommand({ RoleName: 'sdk-inline', PolicyName: 'read', PolicyDocument: document }));
  const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'sdk-inline', PolicyName: 'read' }));
  assert.equal(got.RoleName, 'sdk-inline');
  assert.equal(got.PolicyName, 'read');
  assert.equal(decodeURIComponent(got.PolicyDocument!), document);
  assert.match(got.PolicyDocument!, /^%7B%0A/);
});

test('SDK v3: errors surface as the modelled exceptions with AWS codes, statuses and messages', async () => {
  const missing = await failure(iam.send(new GetRoleCommand({ RoleName: 'no-such-role' })));
  assert.ok(missing instanceof NoSuchEntityException);
  assert.equal(missing.name, 'NoSuchEntityException');
  assert.equal(missing.message, 'The role with name no-such-role cannot be found.');
  assert.equal(missing.$metadata.httpStatusCode, 404);
  assert.ok(missing.$metadata.requestId);

  await iam.send(new CreateRoleCommand({ RoleName: 'sdk-errors', AssumeRolePolicyDocument: TRUST }));
  const duplicate = await failure(iam.send(new CreateRoleCommand({ RoleName: 'SDK-Errors', AssumeRolePolicyDocument: TRUST })));
  assert.ok(duplicate instanceof EntityAlreadyExistsException);
  assert.equal(duplicate.message, 'Role with name SDK-Errors already exists.');
  assert.equal(duplicate.$metadata.httpStatusCode, 409);

  const malformed = await failure(iam.send(new PutRolePolicyCommand({
    RoleName: 'sdk-errors', PolicyName: 'broken', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}',
  })));
  assert.ok(malformed instanceof MalformedPolicyDocumentException);
  assert.equal(malformed.message, 'Policy statement must contain resources.');
  assert.equal(malformed.$metadata.httpStatusCode, 400);

  // Managed policies per role: 10 by default (reference_iam-quotas.html).
  const policyArns: string[] = [];
  for (let index = 1; index <= 11; index++) {
    const created = await iam.send(new CreatePolicyCommand({
      PolicyName: `sdk-quota-${index}`,
      PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}',
    }));
    policyArns.push(created.Policy!.Arn!);
  }
  for (const PolicyArn of policyArns.slice(0, 10)) await iam.send(new AttachRolePolicyCommand({ RoleName: 'sdk-errors', PolicyArn }));
  const limit = await failure(iam.send(new AttachRolePolicyCommand({ RoleName: 'sdk-errors', PolicyArn: policyArns[10] })));
  assert.ok(limit instanceof LimitExceededException);
  assert.equal(limit.message, 'Cannot exceed quota for PoliciesPerRole: 10');
  assert.equal(limit.$metadata.httpStatusCode, 409);

  const conflict = await failure(iam.send(new DeleteRoleCommand({ RoleName: 'sdk-errors' })));
  assert.ok(conflict instanceof DeleteConflictException);
  assert.equal(conflict.message, 'Cannot delete entity, must detach all policies first.');
  assert.equal(conflict.$metadata.httpStatusCode, 409);

  for (const PolicyArn of policyArns.slice(0, 10)) await iam.send(new DetachRolePolicyCommand({ RoleName: 'sdk-errors', PolicyArn }));
  await iam.send(new DeleteRoleCommand({ RoleName: 'sdk-errors' }));
});

test('SDK v3: STS GetCallerIdentity answers for root and for an IAM user with its own key', async () => {
  const sts = server.sts();
  const root = await sts.send(new GetCallerIdentityCommand({}));
  assert.deepEqual({ UserId: root.UserId, Account: root.Account, Arn: root.Arn }, {
    UserId: ACCOUNT_ID, Account: ACCOUNT_ID, Arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
  });

  const user = await createUserWithKey(server, 'sdk-caller');
  assert.match(user.credentials.accessKeyId, /^AKIA[A-Z0-9]{16}$/);
  assert.match(user.userId, /^AIDA[A-Z0-9]{17}$/);
  const asUser = await server.sts(user.credentials).send(new GetCallerIdentityCommand({}));
  assert.deepEqual({ UserId: asUser.UserId, Account: asUser.Account, Arn: asUser.Arn }, {
    UserId: user.userId, Account: ACCOUNT_ID, Arn: `arn:aws:iam::${ACCOUNT_ID}:user/sdk-caller`,
  });
});

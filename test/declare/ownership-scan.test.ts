/**
 * The ownership scan (rename detection and `apply --prune`) against the real server: IAM's ListRoles
 * returns no tags (API_ListRoles.html), GetAccountAuthorizationDetails with Filter Role returns each
 * role's Tags (API_RoleDetail.html), up to 1,000 per call — so one call replaces ListRoles plus one
 * ListRoleTags per role, and an identity without iam:GetAccountAuthorizationDetails falls back to those.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { OwnershipScan } from '../../src/declare/ownership-scan.js';
import { E2eServer } from '../e2e/harness.js';

let server: E2eServer;
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

before(async () => {
  server = await E2eServer.start();
  const iam = server.iam();
  for (let i = 0; i < 6; i++) {
    const tags = i % 2 === 0 ? [{ Key: 'rolecall.dev/owner', Value: `team/object-${i % 4}` }] : [{ Key: 'other', Value: 'x' }];
    await iam.send(new CreateRoleCommand({ RoleName: `scanned-${i}`, AssumeRolePolicyDocument: TRUST, Tags: tags }));
  }
});

after(async () => {
  await server?.stop();
});

const expected = new Map([
  ['team/object-0', ['scanned-0', 'scanned-4']],
  ['team/object-2', ['scanned-2']],
]);

test('API_GetAccountAuthorizationDetails (Filter Role) returns the roles with their tags: one call instead of ListRoles and a ListRoleTags per role', async () => {
  const scan = new OwnershipScan(server.iam(), new Set());
  assert.deepEqual(await scan.owned(), expected);
  assert.deepEqual(scan.calls.map((call) => call.operation), ['GetAccountAuthorizationDetails']);
});

test('an identity without iam:GetAccountAuthorizationDetails (AccessDenied) is scanned with ListRoles and ListRoleTags of each role not declared', async () => {
  const iam = server.iam();
  await iam.send(new CreateUserCommand({ UserName: 'lister' }));
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:ListRoles', 'iam:ListRoleTags'], Resource: '*' }] };
  await iam.send(new PutUserPolicyCommand({ UserName: 'lister', PolicyName: 'list', PolicyDocument: JSON.stringify(policy) }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'lister' }))).AccessKey!;
  const scan = new OwnershipScan(server.iam({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }), new Set(['scanned-5']));
  assert.deepEqual(await scan.owned(), expected);
  assert.deepEqual(
    scan.calls.map((call) => `${call.operation}${call.error ? ` ${call.error}` : ''}`),
    ['GetAccountAuthorizationDetails AccessDenied', 'ListRoles', ...['scanned-0', 'scanned-1', 'scanned-2', 'scanned-3', 'scanned-4'].map(() => 'ListRoleTags')],
  );
});

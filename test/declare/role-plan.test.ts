import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DesiredRole, ObservedRole } from '../../src/declare/index.js';
import { creationActions, deletionActions, updateActions } from '../../src/declare/role-plan.js';

const TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
const READ = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';

const desired: DesiredRole = {
  object: 'IAMRole default/r',
  owner: 'default/r',
  adopt: false,
  roleName: 'r',
  path: '/',
  description: 'd',
  maxSessionDuration: 3600,
  trustPolicy: TRUST,
  managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
  inlinePolicies: new Map([['read', READ]]),
  permissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess',
  tags: { team: 'a', 'rolecall.dev/owner': 'default/r' },
  deletionPolicy: 'Delete',
};

const inSync: ObservedRole = {
  roleName: 'r',
  arn: 'arn:aws:iam::123456789012:role/r',
  roleId: 'AROAEXAMPLE',
  path: '/',
  description: 'd',
  maxSessionDuration: 3600,
  // IAM's form: URL-decoded already, keys reordered, one-item arrays.
  trustPolicy: '{"Statement":[{"Action":["sts:AssumeRole"],"Principal":{"Service":["ec2.amazonaws.com"]},"Effect":"Allow"}],"Version":"2012-10-17"}',
  managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
  inlinePolicies: new Map([['read', READ]]),
  permissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess',
  tags: { team: 'a', 'rolecall.dev/owner': 'default/r' },
};

const operations = (actions: Array<{ operation: string }>) => actions.map((action) => action.operation);

test('declarative-roles.md A: a role equal up to IAM normalisation needs zero writes', () => {
  assert.deepEqual(updateActions(desired, inSync), []);
});

test('CreateRole carries trust, path, description, duration, boundary and tags; then one call per attachment and inline policy', () => {
  const actions = creationActions(desired);
  assert.deepEqual(operations(actions), ['CreateRole', 'AttachRolePolicy', 'PutRolePolicy']);
  assert.deepEqual(actions[0]!.input, {
    RoleName: 'r',
    Path: '/',
    AssumeRolePolicyDocument: TRUST,
    Description: 'd',
    MaxSessionDuration: 3600,
    PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess',
    Tags: [
      { Key: 'team', Value: 'a' },
      { Key: 'rolecall.dev/owner', Value: 'default/r' },
    ],
  });
});

test('fewest calls: description and duration in one UpdateRole, all tag changes in one TagRole and one UntagRole', () => {
  const actual: ObservedRole = { ...inSync, description: 'old', maxSessionDuration: 7200, tags: { team: 'b', extra: '1', other: '2', 'rolecall.dev/owner': 'default/r' } };
  const actions = updateActions({ ...desired, tags: { ...desired.tags, added: 'x' } }, actual);
  assert.deepEqual(operations(actions), ['UpdateRole', 'TagRole', 'UntagRole']);
  assert.deepEqual(actions[1]!.input, { RoleName: 'r', Tags: [{ Key: 'team', Value: 'a' }, { Key: 'added', Value: 'x' }] });
  assert.deepEqual(actions[2]!.input, { RoleName: 'r', TagKeys: ['extra', 'other'] });
});

test('declarative-roles.md B/C: out-of-band attachments and inline policies are removed, renamed inline policies deleted', () => {
  const actual: ObservedRole = {
    ...inSync,
    managedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
    inlinePolicies: new Map([['old-name', READ]]),
  };
  const actions = updateActions(desired, actual);
  assert.deepEqual(
    actions.map((action) => action.summary),
    ['detach arn:aws:iam::aws:policy/AdministratorAccess', 'put inline policy read', 'delete inline policy old-name'],
  );
});

test('trust changed, boundary removed, inline document changed: UpdateAssumeRolePolicy, PutRolePolicy, DeleteRolePermissionsBoundary', () => {
  const changed = { ...desired, trustPolicy: TRUST.replace('ec2', 'lambda'), inlinePolicies: new Map([['read', READ.replace('GetObject', 'PutObject')]]) };
  delete changed.permissionsBoundary;
  assert.deepEqual(operations(updateActions(changed, inSync)), ['UpdateAssumeRolePolicy', 'PutRolePolicy', 'DeleteRolePermissionsBoundary']);
});

test('declarative-roles.md C (acki#180): delete leaves instance profiles, detaches, deletes inline policies, then DeleteRole', () => {
  assert.deepEqual(operations(deletionActions(inSync, ['profile'])), ['RemoveRoleFromInstanceProfile', 'DetachRolePolicy', 'DeleteRolePolicy', 'DeleteRole']);
});

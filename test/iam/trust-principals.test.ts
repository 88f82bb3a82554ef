// IAM refuses a trust policy naming an IAM user or role that does not exist
// (reference_policies_elements_principal.html: a role or user ARN in a trust policy "transforms to the
// ... unique principal ID when you save the policy"); AWS's answer is
// `MalformedPolicyDocument: Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:role/nope"`.
// Accounts Rolecall does not hold are not checked (docs/iam-api.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { ACCOUNT, call, newContext, rejects } from './fixtures.js';

function trusting(...principals: string[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principals.length === 1 ? principals[0] : principals }, Action: 'sts:AssumeRole' }] });
}

test('reference_policies_elements_principal.html: CreateRole trusting a role that does not exist is MalformedPolicyDocument "Invalid principal in policy", and creates nothing', async () => {
  const context = newContext();
  const nope = `arn:aws:iam::${ACCOUNT}:role/nope`;
  await rejects(call(context, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: trusting(nope) }), 'MalformedPolicyDocument', `Invalid principal in policy: "AWS":"${nope}"`);
  await rejects(call(context, 'GetRole', { RoleName: 'app' }), 'NoSuchEntity', 'The role with name app cannot be found.');
  // A role cannot trust itself by ARN before it exists.
  const self = `arn:aws:iam::${ACCOUNT}:role/self`;
  await rejects(call(context, 'CreateRole', { RoleName: 'self', AssumeRolePolicyDocument: trusting(self) }), 'MalformedPolicyDocument', `Invalid principal in policy: "AWS":"${self}"`);
});

test('reference_policies_elements_principal.html: existing users and roles (with their path) are accepted; a wrong path or a missing user among several is refused', async () => {
  const context = newContext();
  const alice = (await call(context, 'CreateUser', { UserName: 'alice', Path: '/team/' })).User;
  const builder = (await call(context, 'CreateRole', { RoleName: 'builder', AssumeRolePolicyDocument: trusting(ACCOUNT) })).Role;
  const role = (await call(context, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: trusting(alice.Arn, builder.Arn) })).Role;
  assert.deepEqual(JSON.parse(role.AssumeRolePolicyDocument).Statement[0].Principal.AWS, [alice.Arn, builder.Arn]);
  const wrongPath = `arn:aws:iam::${ACCOUNT}:user/alice`;
  await rejects(call(context, 'CreateRole', { RoleName: 'other', AssumeRolePolicyDocument: trusting(wrongPath) }), 'MalformedPolicyDocument', `Invalid principal in policy: "AWS":"${wrongPath}"`);
  const bob = `arn:aws:iam::${ACCOUNT}:user/bob`;
  await rejects(
    call(context, 'UpdateAssumeRolePolicy', { RoleName: 'app', PolicyDocument: trusting(alice.Arn, bob) }),
    'MalformedPolicyDocument',
    `Invalid principal in policy: "AWS":"${bob}"`,
  );
  // The refused update changed nothing.
  assert.deepEqual(JSON.parse((await call(context, 'GetRole', { RoleName: 'app' })).Role.AssumeRolePolicyDocument).Statement[0].Principal.AWS, [alice.Arn, builder.Arn]);
});

test('docs/iam-api.md: account principals, and users and roles of accounts Rolecall does not hold, are accepted unchecked', async () => {
  const context = newContext();
  const elsewhere = ['210987654321', 'arn:aws:iam::210987654321:root', 'arn:aws:iam::210987654321:role/anything', 'arn:aws:iam::210987654321:user/someone', `arn:aws:iam::${ACCOUNT}:root`];
  const role = (await call(context, 'CreateRole', { RoleName: 'cross', AssumeRolePolicyDocument: trusting(...elsewhere) })).Role;
  assert.deepEqual(JSON.parse(role.AssumeRolePolicyDocument).Statement[0].Principal.AWS, elsewhere);
});

test('docs/iam-api.md: users and roles of another account Rolecall holds are checked there', async () => {
  const store = new SqliteStore(':memory:');
  const context = newContext(ACCOUNT, store);
  const other = '210987654321';
  await context.store.write((writer) => writer.insert('account', '', other, { AccountId: other, Name: 'other', CreateDate: context.now.toISOString() }));
  const missing = `arn:aws:iam::${other}:role/deployer`;
  await rejects(call(context, 'CreateRole', { RoleName: 'cross', AssumeRolePolicyDocument: trusting(missing) }), 'MalformedPolicyDocument', `Invalid principal in policy: "AWS":"${missing}"`);
  await call(newContext(other, store), 'CreateRole', { RoleName: 'deployer', AssumeRolePolicyDocument: trusting(other) });
  assert.equal((await call(context, 'CreateRole', { RoleName: 'cross', AssumeRolePolicyDocument: trusting(missing) })).Role.RoleName, 'cross');
});

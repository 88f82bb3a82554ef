// A trust policy naming a user or role that is then deleted (reference_policies_elements_principal.html):
// the ARN "transforms to the role's unique principal ID when you save the policy"; once the user or role
// is deleted the policy shows that ID ("AWS": "AROADBQP57FF2AEXAMPLE"), and re-creating a user or role
// with the same name does not restore the trust, because the new one has a new unique ID.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/policy/index.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { ACCOUNT, call, newContext, rejects } from './fixtures.js';

function trusting(...principals: string[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principals.length === 1 ? principals[0] : principals }, Action: 'sts:AssumeRole' }] });
}

function trustedPrincipals(role: { AssumeRolePolicyDocument: string }): unknown {
  return JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument)).Statement[0].Principal.AWS;
}

/** The engine's trust decision for `principal` (with its aws:userid) assuming the role, from the stored document. */
function trustDecision(role: { Arn: string; AssumeRolePolicyDocument: string }, principal: string, userId: string): string {
  return evaluate({
    request: { principal, action: 'sts:AssumeRole', resource: role.Arn, resourceAccount: ACCOUNT, context: { 'aws:userid': userId } },
    identityPolicies: [{ document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] } }],
    resourcePolicy: { document: decodeURIComponent(role.AssumeRolePolicyDocument) },
    resourcePolicyKind: 'trust',
  }).decision;
}

test('reference_policies_elements_principal.html: DeleteUser turns the trust policies naming the user into its unique ID, and a re-created namesake is not trusted', async () => {
  const context = newContext();
  const alice = (await call(context, 'CreateUser', { UserName: 'alice' })).User;
  const builder = (await call(context, 'CreateRole', { RoleName: 'builder', AssumeRolePolicyDocument: trusting(ACCOUNT) })).Role;
  await call(context, 'CreateRole', { RoleName: 'R', AssumeRolePolicyDocument: trusting(alice.Arn, builder.Arn) });
  const before = (await call(context, 'GetRole', { RoleName: 'R' })).Role;
  assert.deepEqual(trustedPrincipals(before), [alice.Arn, builder.Arn]);
  assert.equal(trustDecision(before, alice.Arn, alice.UserId), 'Allow');

  await call(context, 'DeleteUser', { UserName: 'alice' });
  const after = (await call(context, 'GetRole', { RoleName: 'R' })).Role;
  assert.match(alice.UserId, /^AIDA[A-Z0-9]{17}$/);
  assert.deepEqual(trustedPrincipals(after), [alice.UserId, builder.Arn]);

  const newAlice = (await call(context, 'CreateUser', { UserName: 'alice' })).User;
  assert.equal(newAlice.Arn, alice.Arn);
  assert.notEqual(newAlice.UserId, alice.UserId);
  // The stored policy still validates and compiles (no MalformedPolicyDocument), and names nobody alive.
  assert.equal(trustDecision(after, newAlice.Arn, newAlice.UserId), 'ImplicitDeny');
  assert.deepEqual(trustedPrincipals((await call(context, 'GetRole', { RoleName: 'R' })).Role), [alice.UserId, builder.Arn]);
});

test('reference_policies_elements_principal.html: DeleteRole turns trust policies naming the role into its AROA ID, in every account Rolecall holds, and leaves Conditions alone', async () => {
  const store = new SqliteStore(':memory:');
  const context = newContext(ACCOUNT, store);
  const other = '210987654321';
  await store.write((writer) => writer.insert('account', '', other, { AccountId: other, Name: 'other', CreateDate: context.now.toISOString() }));
  const deployer = (await call(context, 'CreateRole', { RoleName: 'deployer', Path: '/ci/', AssumeRolePolicyDocument: trusting(ACCOUNT) })).Role;
  const withCondition = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: deployer.Arn }, Action: 'sts:AssumeRole', Condition: { ArnEquals: { 'aws:PrincipalArn': deployer.Arn } } }],
  });
  await call(newContext(other, store), 'CreateRole', { RoleName: 'target', AssumeRolePolicyDocument: withCondition });
  await call(context, 'CreateRole', { RoleName: 'unrelated', AssumeRolePolicyDocument: trusting(ACCOUNT) });

  await call(context, 'DeleteRole', { RoleName: 'deployer' });
  const target = JSON.parse(decodeURIComponent((await call(newContext(other, store), 'GetRole', { RoleName: 'target' })).Role.AssumeRolePolicyDocument));
  assert.equal(target.Statement[0].Principal.AWS, deployer.RoleId);
  assert.deepEqual(target.Statement[0].Condition, { ArnEquals: { 'aws:PrincipalArn': deployer.Arn } });
  assert.equal(trustedPrincipals((await call(context, 'GetRole', { RoleName: 'unrelated' })).Role), ACCOUNT);
});

test("reference_policies_elements_principal.html: a live user's or role's unique ID is accepted as a principal and shown as its ARN; a deleted one's is \"Invalid principal in policy\" and changes nothing", async () => {
  const context = newContext();
  const bob = (await call(context, 'CreateUser', { UserName: 'bob' })).User;
  const role = (await call(context, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: trusting(bob.UserId) })).Role;
  assert.equal(trustedPrincipals(role), bob.Arn);
  assert.equal(trustDecision(role, bob.Arn, bob.UserId), 'Allow');
  const reader = (await call(context, 'CreateRole', { RoleName: 'reader', AssumeRolePolicyDocument: trusting(ACCOUNT) })).Role;
  await call(context, 'UpdateAssumeRolePolicy', { RoleName: 'app', PolicyDocument: trusting(reader.RoleId) });

  await call(context, 'DeleteRole', { RoleName: 'reader' });
  assert.equal(trustedPrincipals((await call(context, 'GetRole', { RoleName: 'app' })).Role), reader.RoleId);
  await rejects(
    call(context, 'UpdateAssumeRolePolicy', { RoleName: 'app', PolicyDocument: trusting(reader.RoleId, bob.Arn) }),
    'MalformedPolicyDocument',
    `Invalid principal in policy: "AWS":"${reader.RoleId}"`,
  );
  const never = 'AIDAAAAAAAAAAAAAAAAAA';
  await rejects(call(context, 'CreateRole', { RoleName: 'x', AssumeRolePolicyDocument: trusting(never) }), 'MalformedPolicyDocument', `Invalid principal in policy: "AWS":"${never}"`);
  await rejects(call(context, 'GetRole', { RoleName: 'x' }), 'NoSuchEntity', 'The role with name x cannot be found.');
  assert.equal(trustedPrincipals((await call(context, 'GetRole', { RoleName: 'app' })).Role), reader.RoleId);
});

test('IAM "uses a reverse transformation back to the role ARN when the trust policy is displayed": a live AROA/AIDA written in a trust policy reads back as the ARN (hackingthe.cloud enumerate_principal_arn_from_unique_id)', async () => {
  const store = new SqliteStore(':memory:');
  const context = newContext(ACCOUNT, store);
  const other = '222233334444';
  await store.write((writer) => writer.insert('account', '', other, { AccountId: other, Name: 'other', CreateDate: context.now.toISOString() }));
  const carol = (await call(context, 'CreateUser', { UserName: 'carol', Path: '/team/' })).User;
  const builder = (await call(newContext(other, store), 'CreateRole', { RoleName: 'builder', Path: '/ci/', AssumeRolePolicyDocument: trusting(other) })).Role;
  // An ID of another account Rolecall holds shows that account's ARN; a Condition on aws:userid keeps the ID as written.
  const document = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: [carol.UserId, builder.RoleId, ACCOUNT] }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:userid': carol.UserId } } },
      { Effect: 'Allow', Principal: { AWS: builder.RoleId }, Action: 'sts:TagSession' },
    ],
  });
  const created = (await call(context, 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: document })).Role;
  for (const shown of [created, (await call(context, 'GetRole', { RoleName: 'app' })).Role]) {
    const parsed = JSON.parse(decodeURIComponent(shown.AssumeRolePolicyDocument));
    assert.deepEqual(parsed.Statement[0].Principal.AWS, [carol.Arn, builder.Arn, ACCOUNT]);
    assert.deepEqual(parsed.Statement[0].Condition, { StringEquals: { 'aws:userid': carol.UserId } });
    assert.equal(parsed.Statement[1].Principal.AWS, builder.Arn);
  }
  assert.equal(trustDecision(created, carol.Arn, carol.UserId), 'Allow');

  // The ID named the entity, not its name: deleted and re-created, the policy shows the old ID and trusts nobody new.
  await call(context, 'DeleteUser', { UserName: 'carol' });
  const again = (await call(context, 'CreateUser', { UserName: 'carol', Path: '/team/' })).User;
  const afterDelete = (await call(context, 'GetRole', { RoleName: 'app' })).Role;
  assert.deepEqual(trustedPrincipals(afterDelete), [carol.UserId, builder.Arn, ACCOUNT]);
  assert.equal(trustDecision({ ...afterDelete, Arn: created.Arn }, again.Arn, again.UserId), 'ImplicitDeny');
});

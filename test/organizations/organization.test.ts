// The organization and its root (API_CreateOrganization.html, API_DescribeOrganization.html,
// API_DeleteOrganization.html, API_ListRoots.html, API_EnablePolicyType.html, API_DisablePolicyType.html):
// id and ARN formats, FullAWSAccess attached at creation, who may call what, and AWS's errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  attachedIds, call, contextOf, createAccount, createPolicy, createUnit, MANAGEMENT, MEMBER_DENIED, newOrganization, newStore, NOT_IN_USE, rejects,
} from './fixtures.js';

const ALLOW_S3 = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };

test('CreateOrganization: the caller becomes the management account; ids and ARNs have AWS formats', async () => {
  const store = await newStore();
  const { Organization } = await call(contextOf(store), 'CreateOrganization', {});
  assert.match(Organization.Id, /^o-[a-z0-9]{10}$/);
  assert.equal(Organization.Arn, `arn:aws:organizations::${MANAGEMENT}:organization/${Organization.Id}`);
  assert.equal(Organization.FeatureSet, 'ALL');
  assert.equal(Organization.MasterAccountId, MANAGEMENT);
  assert.equal(Organization.MasterAccountArn, `arn:aws:organizations::${MANAGEMENT}:account/${Organization.Id}/${MANAGEMENT}`);
  assert.deepEqual(Organization.AvailablePolicyTypes, [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);
  const { Roots } = await call(contextOf(store), 'ListRoots');
  assert.equal(Roots.length, 1);
  assert.match(Roots[0].Id, /^r-[0-9a-z]{4}$/);
  assert.equal(Roots[0].Arn, `arn:aws:organizations::${MANAGEMENT}:root/${Organization.Id}/${Roots[0].Id}`);
  assert.equal(Roots[0].Name, 'Root');
  assert.deepEqual(Roots[0].PolicyTypes, [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);
});

test('CreateOrganization with ALL features enables SCPs and attaches FullAWSAccess to the root and the management account', async () => {
  const org = await newOrganization();
  assert.deepEqual(await attachedIds(org, org.rootId), ['p-FullAWSAccess']);
  assert.deepEqual(await attachedIds(org, MANAGEMENT), ['p-FullAWSAccess']);
  const { Account } = await call(org.management, 'DescribeAccount', { AccountId: MANAGEMENT });
  assert.equal(Account.JoinedMethod, 'INVITED');
  assert.equal(Account.Name, 'default');
});

test('CreateOrganization: an account already in an organization gets AlreadyInOrganizationException', async () => {
  const org = await newOrganization();
  await rejects(call(org.management, 'CreateOrganization', {}), 'AlreadyInOrganizationException', 'The AWS account is already a member of an organization.');
  const member = await createAccount(org, 'dev');
  await rejects(call(contextOf(org.store, member), 'CreateOrganization', {}), 'AlreadyInOrganizationException', 'The AWS account is already a member of an organization.');
});

test('CONSOLIDATED_BILLING: no policy types, and none can be enabled', async () => {
  const org = await newOrganization({ FeatureSet: 'CONSOLIDATED_BILLING' });
  const { Organization } = await call(org.management, 'DescribeOrganization');
  assert.equal(Organization.FeatureSet, 'CONSOLIDATED_BILLING');
  assert.deepEqual(Organization.AvailablePolicyTypes, []);
  assert.deepEqual(await attachedIds(org, org.rootId), []);
  await rejects(
    call(org.management, 'EnablePolicyType', { RootId: org.rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }),
    'PolicyTypeNotAvailableForOrganizationException',
    "You can't use the specified policy type with the feature set currently enabled for this organization.",
  );
});

test('An account in no organization gets AWSOrganizationsNotInUseException from every operation but CreateOrganization', async () => {
  const context = contextOf(await newStore());
  for (const [name, input] of [
    ['DescribeOrganization', {}], ['DeleteOrganization', {}], ['ListRoots', {}], ['ListAccounts', {}], ['DescribeAccount', { AccountId: MANAGEMENT }],
    ['CreateAccount', { Email: 'a@example.com', AccountName: 'a' }], ['ListPolicies', { Filter: 'SERVICE_CONTROL_POLICY' }],
    ['CreatePolicy', { Name: 'x', Description: '', Type: 'SERVICE_CONTROL_POLICY', Content: JSON.stringify(ALLOW_S3) }],
    ['CreateOrganizationalUnit', { ParentId: 'r-abcd', Name: 'x' }], ['AttachPolicy', { PolicyId: 'p-FullAWSAccess', TargetId: MANAGEMENT }],
  ] as const) {
    await rejects(call(context, name, input), ...NOT_IN_USE);
  }
});

test('Members may DescribeOrganization; everything else is for the management account (AccessDeniedException)', async () => {
  const org = await newOrganization();
  const member = contextOf(org.store, await createAccount(org, 'dev'));
  const { Organization } = await call(member, 'DescribeOrganization');
  assert.equal(Organization.MasterAccountId, MANAGEMENT);
  for (const [name, input] of [
    ['ListRoots', {}], ['ListAccounts', {}], ['DescribeAccount', { AccountId: MANAGEMENT }], ['DeleteOrganization', {}],
    ['CreateAccount', { Email: 'b@example.com', AccountName: 'b' }], ['ListPolicies', { Filter: 'SERVICE_CONTROL_POLICY' }],
    ['CreateOrganizationalUnit', { ParentId: org.rootId, Name: 'x' }], ['DetachPolicy', { PolicyId: 'p-FullAWSAccess', TargetId: member.accountId }],
    ['EnablePolicyType', { RootId: org.rootId, PolicyType: 'RESOURCE_CONTROL_POLICY' }],
  ] as const) {
    await rejects(call(member, name, input), ...MEMBER_DENIED);
  }
});

test('DeleteOrganization: refused while member accounts remain; afterwards the account is in no organization', async () => {
  const withMember = await newOrganization();
  await createAccount(withMember, 'dev');
  await rejects(
    call(withMember.management, 'DeleteOrganization'),
    'OrganizationNotEmptyException',
    "The organization isn't empty. To delete an organization, you must first remove all member accounts.",
  );

  const org = await newOrganization();
  await createUnit(org, 'Workloads');
  await createPolicy(org, 'AllowS3', ALLOW_S3);
  assert.deepEqual(await call(org.management, 'DeleteOrganization'), {});
  await rejects(call(org.management, 'DescribeOrganization'), ...NOT_IN_USE);
  assert.equal(await org.store.read((reader) => reader.count('organizationalUnit', org.organizationId)), 0);
  assert.equal(await org.store.read((reader) => reader.count('organizationPolicy', org.organizationId)), 0);
  const again = await call(org.management, 'CreateOrganization', {});
  assert.notEqual(again.Organization.Id, org.organizationId);
});

test('EnablePolicyType RESOURCE_CONTROL_POLICY attaches RCPFullAWSAccess to the root, every OU and every account', async () => {
  const org = await newOrganization();
  const member = await createAccount(org, 'dev');
  const unit = await createUnit(org, 'Workloads');
  const { Root } = await call(org.management, 'EnablePolicyType', { RootId: org.rootId, PolicyType: 'RESOURCE_CONTROL_POLICY' });
  assert.deepEqual(Root.PolicyTypes, [
    { Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' },
    { Type: 'RESOURCE_CONTROL_POLICY', Status: 'ENABLED' },
  ]);
  for (const target of [org.rootId, unit, member, MANAGEMENT]) assert.deepEqual(await attachedIds(org, target, 'RESOURCE_CONTROL_POLICY'), ['p-RCPFullAWSAccess']);
  const created = await createUnit(org, 'Later');
  assert.deepEqual(await attachedIds(org, created, 'RESOURCE_CONTROL_POLICY'), ['p-RCPFullAWSAccess']);
  await rejects(
    call(org.management, 'EnablePolicyType', { RootId: org.rootId, PolicyType: 'RESOURCE_CONTROL_POLICY' }),
    'PolicyTypeAlreadyEnabledException',
    'The specified policy type is already enabled in the specified root.',
  );
});

test('EnablePolicyType: unknown root and unsupported policy types', async () => {
  const org = await newOrganization();
  await rejects(
    call(org.management, 'EnablePolicyType', { RootId: 'r-zzzz', PolicyType: 'RESOURCE_CONTROL_POLICY' }),
    'RootNotFoundException',
    "We can't find a root with the RootId that you specified.",
  );
  await rejects(
    call(org.management, 'EnablePolicyType', { RootId: org.rootId, PolicyType: 'TAG_POLICY' }),
    'PolicyTypeNotAvailableForOrganizationException',
    "You can't use the specified policy type with the feature set currently enabled for this organization.",
  );
});

test('DisablePolicyType detaches every policy of the type; enabling again attaches only FullAWSAccess', async () => {
  const org = await newOrganization();
  const member = await createAccount(org, 'dev');
  const policy = await createPolicy(org, 'AllowS3', ALLOW_S3);
  await call(org.management, 'AttachPolicy', { PolicyId: policy, TargetId: member });
  const { Root } = await call(org.management, 'DisablePolicyType', { RootId: org.rootId, PolicyType: 'SERVICE_CONTROL_POLICY' });
  assert.deepEqual(Root.PolicyTypes, []);
  assert.deepEqual(await attachedIds(org, member), []);
  assert.deepEqual(await attachedIds(org, org.rootId), []);
  await rejects(
    call(org.management, 'AttachPolicy', { PolicyId: policy, TargetId: member }),
    'PolicyTypeNotEnabledException',
    "The specified policy type isn't currently enabled in this root. You can't attach policies of the specified type to entities in a root until you enable that type in the root.",
  );
  await rejects(
    call(org.management, 'DisablePolicyType', { RootId: org.rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }),
    'PolicyTypeNotEnabledException',
    "The specified policy type isn't currently enabled in this root. You can't attach policies of the specified type to entities in a root until you enable that type in the root.",
  );
  await call(org.management, 'EnablePolicyType', { RootId: org.rootId, PolicyType: 'SERVICE_CONTROL_POLICY' });
  assert.deepEqual(await attachedIds(org, member), ['p-FullAWSAccess']);
  assert.deepEqual(await attachedIds(org, org.rootId), ['p-FullAWSAccess']);
});

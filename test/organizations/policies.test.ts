// SCPs and RCPs as Organizations manages them (API_CreatePolicy.html, API_DescribePolicy.html,
// API_UpdatePolicy.html, API_DeletePolicy.html, API_ListPolicies.html, API_AttachPolicy.html,
// API_DetachPolicy.html, API_ListPoliciesForTarget.html, API_ListTargetsForPolicy.html;
// orgs_manage_policies_scps_syntax.html, orgs_manage_policies_rcps_syntax.html, orgs_reference_limits.html).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attachedIds, call, contextOf, createAccount, createPolicy, createUnit, MANAGEMENT, newOrganization, newStore, rejects } from './fixtures.js';
import { callerOrganization, policyResource } from '../../src/organizations/authorization.js';

const ALLOW_S3 = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
const DENY_LEAVING = '{"Version":"2012-10-17","Statement":[{"Sid":"DenyLeavingOrganization","Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}';
const RCP_DENY_INSECURE = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } } }],
};
const MALFORMED = ['MalformedPolicyDocumentException', 'The provided policy document does not meet the requirements of the specified policy type.'] as const;
const IMMUTABLE = ['InvalidInputException', "You specified a policy that is managed by AWS and can't be modified.", 'IMMUTABLE_POLICY'] as const;
const NOT_FOUND = ['PolicyNotFoundException', "We can't find a policy with the PolicyId that you specified."] as const;

async function withRcps() {
  const org = await newOrganization();
  await call(org.management, 'EnablePolicyType', { RootId: org.rootId, PolicyType: 'RESOURCE_CONTROL_POLICY' });
  return org;
}

test('CreatePolicy: p-<8> id, ARN with the policy type, the document kept exactly as sent', async () => {
  const org = await newOrganization();
  const { Policy } = await call(org.management, 'CreatePolicy', { Name: 'DenyLeaving', Description: 'guardrail', Type: 'SERVICE_CONTROL_POLICY', Content: DENY_LEAVING });
  assert.match(Policy.PolicySummary.Id, /^p-[a-z0-9]{8}$/);
  assert.deepEqual(Policy, {
    PolicySummary: {
      Id: Policy.PolicySummary.Id,
      Arn: `arn:aws:organizations::${MANAGEMENT}:policy/${org.organizationId}/service_control_policy/${Policy.PolicySummary.Id}`,
      Name: 'DenyLeaving',
      Description: 'guardrail',
      Type: 'SERVICE_CONTROL_POLICY',
      AwsManaged: false,
    },
    Content: DENY_LEAVING,
  });
  assert.deepEqual(await call(org.management, 'DescribePolicy', { PolicyId: Policy.PolicySummary.Id }), { Policy });
  const rcp = await createPolicy(org, 'DenyInsecure', RCP_DENY_INSECURE, 'RESOURCE_CONTROL_POLICY');
  const described = await call(org.management, 'DescribePolicy', { PolicyId: rcp });
  assert.match(described.Policy.PolicySummary.Arn, /:policy\/o-[a-z0-9]+\/resource_control_policy\/p-[a-z0-9]{8}$/);
});

test('The AWS managed FullAWSAccess and RCPFullAWSAccess are listed with their documents', async () => {
  const org = await newOrganization();
  const scps = await call(org.management, 'ListPolicies', { Filter: 'SERVICE_CONTROL_POLICY' });
  assert.deepEqual(scps.Policies, [{
    Id: 'p-FullAWSAccess',
    Arn: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess',
    Name: 'FullAWSAccess',
    Description: 'Allows access to every operation',
    Type: 'SERVICE_CONTROL_POLICY',
    AwsManaged: true,
  }]);
  const full = await call(org.management, 'DescribePolicy', { PolicyId: 'p-FullAWSAccess' });
  assert.deepEqual(JSON.parse(full.Policy.Content), { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  const rcps = await call(org.management, 'ListPolicies', { Filter: 'RESOURCE_CONTROL_POLICY' });
  assert.deepEqual(rcps.Policies.map((p: { Id: string; Arn: string }) => [p.Id, p.Arn]), [
    ['p-RCPFullAWSAccess', 'arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess'],
  ]);
  const mine = await createPolicy(org, 'AllowS3', ALLOW_S3);
  const listed = await call(org.management, 'ListPolicies', { Filter: 'SERVICE_CONTROL_POLICY' });
  assert.deepEqual(listed.Policies.map((p: { Id: string }) => p.Id).sort(), ['p-FullAWSAccess', mine].sort());
  assert.deepEqual((await call(org.management, 'ListPolicies', { Filter: 'TAG_POLICY' })).Policies, []);
});

test('AWS managed policy ARNs name the organization\'s partition (awspolicy: arn:${Partition}:organizations::aws:policy/${PolicyType}/p-${PolicyId})', async () => {
  for (const partition of ['aws-cn', 'aws-us-gov']) {
    const store = await newStore();
    const root = contextOf(store);
    const management = { ...root, caller: { ...root.caller, arn: `arn:${partition}:iam::${MANAGEMENT}:root` } };
    await call(management, 'CreateOrganization', {});
    const { Roots } = await call(management, 'ListRoots');
    await call(management, 'EnablePolicyType', { RootId: Roots[0].Id, PolicyType: 'RESOURCE_CONTROL_POLICY' });
    const full = `arn:${partition}:organizations::aws:policy/service_control_policy/p-FullAWSAccess`;
    assert.deepEqual((await call(management, 'ListPolicies', { Filter: 'SERVICE_CONTROL_POLICY' })).Policies.map((p: { Arn: string }) => p.Arn), [full]);
    assert.equal((await call(management, 'DescribePolicy', { PolicyId: 'p-FullAWSAccess' })).Policy.PolicySummary.Arn, full);
    const forRoot = await call(management, 'ListPoliciesForTarget', { TargetId: Roots[0].Id, Filter: 'RESOURCE_CONTROL_POLICY' });
    assert.deepEqual(forRoot.Policies.map((p: { Arn: string }) => p.Arn), [`arn:${partition}:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess`]);
    // Authorization names the same ARN an IAM policy would.
    const organization = await callerOrganization(management);
    assert.match(organization!.Arn, new RegExp(`^arn:${partition}:organizations::`));
    assert.equal((await policyResource(management, organization, 'p-FullAWSAccess')).arn, full);
  }
});

test('CreatePolicy validates SCPs and RCPs as their kind: MalformedPolicyDocumentException', async () => {
  const org = await newOrganization();
  const create = (content: unknown, type = 'SERVICE_CONTROL_POLICY') =>
    call(org.management, 'CreatePolicy', { Name: 'p', Description: '', Type: type, Content: typeof content === 'string' ? content : JSON.stringify(content) });
  await rejects(create('{not json'), ...MALFORMED);
  // SCPs name no principal.
  await rejects(create({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }] }), ...MALFORMED);
  // RCPs deny only, need Principal "*", and cover only the services RCPs support.
  await rejects(create(ALLOW_S3, 'RESOURCE_CONTROL_POLICY'), ...MALFORMED);
  await rejects(create({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] }, 'RESOURCE_CONTROL_POLICY'), ...MALFORMED);
  await rejects(create({ ...RCP_DENY_INSECURE, Statement: [{ ...RCP_DENY_INSECURE.Statement[0], Action: 'ec2:*' }] }, 'RESOURCE_CONTROL_POLICY'), ...MALFORMED);
  assert.deepEqual((await call(org.management, 'ListPolicies', { Filter: 'SERVICE_CONTROL_POLICY' })).Policies.length, 1);
});

test('CreatePolicy: the size limit is ConstraintViolationException POLICY_CONTENT_LIMIT_EXCEEDED', async () => {
  const org = await newOrganization();
  const actions = Array.from({ length: 800 }, (_, i) => `s3:GetObjectNumber${i}`);
  const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: actions, Resource: '*' }] });
  assert.ok(big.length > 10240);
  await rejects(
    call(org.management, 'CreatePolicy', { Name: 'big', Description: '', Type: 'SERVICE_CONTROL_POLICY', Content: big }),
    'ConstraintViolationException',
    'You have exceeded the maximum policy size.',
    'POLICY_CONTENT_LIMIT_EXCEEDED',
  );
});

test('CreatePolicy: names are unique within a type, AWS managed names included; unsupported types are refused', async () => {
  const org = await newOrganization();
  await createPolicy(org, 'AllowS3', ALLOW_S3);
  await rejects(createPolicy(org, 'AllowS3', ALLOW_S3), 'DuplicatePolicyException', 'A policy with the same name already exists.');
  await rejects(createPolicy(org, 'FullAWSAccess', ALLOW_S3), 'DuplicatePolicyException', 'A policy with the same name already exists.');
  await createPolicy(org, 'AllowS3', RCP_DENY_INSECURE, 'RESOURCE_CONTROL_POLICY');
  await rejects(
    createPolicy(org, 'Tags', { tags: {} }, 'TAG_POLICY'),
    'PolicyTypeNotAvailableForOrganizationException',
    "You can't use the specified policy type with the feature set currently enabled for this organization.",
  );
});

test('UpdatePolicy changes name, description and content; AWS managed policies are immutable', async () => {
  const org = await newOrganization();
  const id = await createPolicy(org, 'AllowS3', ALLOW_S3);
  await createPolicy(org, 'Other', ALLOW_S3);
  const { Policy } = await call(org.management, 'UpdatePolicy', { PolicyId: id, Name: 'DenyLeaving', Description: 'now a guardrail', Content: DENY_LEAVING });
  assert.equal(Policy.PolicySummary.Name, 'DenyLeaving');
  assert.equal(Policy.PolicySummary.Description, 'now a guardrail');
  assert.equal(Policy.Content, DENY_LEAVING);
  await rejects(call(org.management, 'UpdatePolicy', { PolicyId: id, Name: 'Other' }), 'DuplicatePolicyException', 'A policy with the same name already exists.');
  await rejects(call(org.management, 'UpdatePolicy', { PolicyId: id, Content: '{"Statement":[]}' }), ...MALFORMED);
  await rejects(call(org.management, 'UpdatePolicy', { PolicyId: 'p-FullAWSAccess', Description: 'x' }), ...IMMUTABLE);
  await rejects(call(org.management, 'UpdatePolicy', { PolicyId: 'p-00000000', Description: 'x' }), ...NOT_FOUND);
});

test('DeletePolicy: refused while attached anywhere, and for AWS managed policies', async () => {
  const org = await newOrganization();
  const unit = await createUnit(org, 'Workloads');
  const id = await createPolicy(org, 'AllowS3', ALLOW_S3);
  await call(org.management, 'AttachPolicy', { PolicyId: id, TargetId: unit });
  await rejects(
    call(org.management, 'DeletePolicy', { PolicyId: id }),
    'PolicyInUseException',
    'The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.',
  );
  await call(org.management, 'DetachPolicy', { PolicyId: id, TargetId: unit });
  assert.deepEqual(await call(org.management, 'DeletePolicy', { PolicyId: id }), {});
  await rejects(call(org.management, 'DescribePolicy', { PolicyId: id }), ...NOT_FOUND);
  await rejects(call(org.management, 'DeletePolicy', { PolicyId: 'p-FullAWSAccess' }), ...IMMUTABLE);
});

test('AttachPolicy: to roots, OUs and accounts; duplicates, unknown policies and targets, disabled types', async () => {
  const org = await newOrganization();
  const unit = await createUnit(org, 'Workloads');
  const account = await createAccount(org, 'dev');
  const id = await createPolicy(org, 'AllowS3', ALLOW_S3);
  for (const target of [org.rootId, unit, account]) {
    assert.deepEqual(await call(org.management, 'AttachPolicy', { PolicyId: id, TargetId: target }), {});
    assert.deepEqual(await attachedIds(org, target), ['p-FullAWSAccess', id].sort());
  }
  await rejects(
    call(org.management, 'AttachPolicy', { PolicyId: id, TargetId: unit }),
    'DuplicatePolicyAttachmentException',
    'The selected policy is already attached to the specified target.',
  );
  await rejects(call(org.management, 'AttachPolicy', { PolicyId: 'p-00000000', TargetId: unit }), ...NOT_FOUND);
  await rejects(
    call(org.management, 'AttachPolicy', { PolicyId: id, TargetId: 'ou-zzzz-zzzzzzzz' }),
    'TargetNotFoundException',
    "We can't find a root, OU, account, or policy with the TargetId that you specified.",
  );
  const rcp = await createPolicy(org, 'DenyInsecure', RCP_DENY_INSECURE, 'RESOURCE_CONTROL_POLICY');
  await rejects(
    call(org.management, 'AttachPolicy', { PolicyId: rcp, TargetId: unit }),
    'PolicyTypeNotEnabledException',
    "The specified policy type isn't currently enabled in this root. You can't attach policies of the specified type to entities in a root until you enable that type in the root.",
  );
});

test('AttachPolicy: at most five policies of a type on one target (MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED)', async () => {
  const org = await newOrganization();
  const unit = await createUnit(org, 'Workloads');
  for (let i = 1; i <= 4; i++) await call(org.management, 'AttachPolicy', { PolicyId: await createPolicy(org, `p${i}`, ALLOW_S3), TargetId: unit });
  assert.equal((await attachedIds(org, unit)).length, 5);
  await rejects(
    call(org.management, 'AttachPolicy', { PolicyId: await createPolicy(org, 'p6', ALLOW_S3), TargetId: unit }),
    'ConstraintViolationException',
    'You attempted to exceed the number of policies of a certain type that can be attached to an entity at one time.',
    'MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED',
  );
});

test('DetachPolicy: never the last SCP of a target, never RCPFullAWSAccess; PolicyNotAttachedException', async () => {
  const org = await withRcps();
  const unit = await createUnit(org, 'Workloads');
  await rejects(
    call(org.management, 'DetachPolicy', { PolicyId: 'p-FullAWSAccess', TargetId: unit }),
    'ConstraintViolationException',
    'You attempted to detach a policy from an entity that would cause the entity to have fewer than the minimum number of policies of a certain type required.',
    'MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED',
  );
  const id = await createPolicy(org, 'AllowS3', ALLOW_S3);
  await call(org.management, 'AttachPolicy', { PolicyId: id, TargetId: unit });
  assert.deepEqual(await call(org.management, 'DetachPolicy', { PolicyId: 'p-FullAWSAccess', TargetId: unit }), {});
  assert.deepEqual(await attachedIds(org, unit), [id]);
  await rejects(
    call(org.management, 'DetachPolicy', { PolicyId: 'p-FullAWSAccess', TargetId: unit }),
    'PolicyNotAttachedException',
    "The policy isn't attached to the specified target in the specified root.",
  );
  await rejects(
    call(org.management, 'DetachPolicy', { PolicyId: 'p-RCPFullAWSAccess', TargetId: unit }),
    'InvalidInputException',
    "You can't detach this AWS Managed Policy.",
    'NON_DETACHABLE_POLICY',
  );
  const rcp = await createPolicy(org, 'DenyInsecure', RCP_DENY_INSECURE, 'RESOURCE_CONTROL_POLICY');
  await call(org.management, 'AttachPolicy', { PolicyId: rcp, TargetId: unit });
  assert.deepEqual(await attachedIds(org, unit, 'RESOURCE_CONTROL_POLICY'), ['p-RCPFullAWSAccess', rcp].sort());
  await call(org.management, 'DetachPolicy', { PolicyId: rcp, TargetId: unit });
  assert.deepEqual(await attachedIds(org, unit, 'RESOURCE_CONTROL_POLICY'), ['p-RCPFullAWSAccess']);
});

test('ListTargetsForPolicy names each root, OU and account holding the policy', async () => {
  const org = await newOrganization();
  const unit = await createUnit(org, 'Workloads');
  const account = await createAccount(org, 'dev');
  const targets = (await call(org.management, 'ListTargetsForPolicy', { PolicyId: 'p-FullAWSAccess' })).Targets;
  const byId = new Map(targets.map((target: { TargetId: string }) => [target.TargetId, target]));
  assert.deepEqual([...byId.keys()].sort(), [org.rootId, unit, account, MANAGEMENT].sort());
  assert.deepEqual(byId.get(org.rootId), { TargetId: org.rootId, Arn: `arn:aws:organizations::${MANAGEMENT}:root/${org.organizationId}/${org.rootId}`, Name: 'Root', Type: 'ROOT' });
  assert.deepEqual(byId.get(unit), { TargetId: unit, Arn: `arn:aws:organizations::${MANAGEMENT}:ou/${org.organizationId}/${unit}`, Name: 'Workloads', Type: 'ORGANIZATIONAL_UNIT' });
  assert.deepEqual(byId.get(account), { TargetId: account, Arn: `arn:aws:organizations::${MANAGEMENT}:account/${org.organizationId}/${account}`, Name: 'dev', Type: 'ACCOUNT' });
  const id = await createPolicy(org, 'AllowS3', ALLOW_S3);
  assert.deepEqual((await call(org.management, 'ListTargetsForPolicy', { PolicyId: id })).Targets, []);
  await rejects(call(org.management, 'ListTargetsForPolicy', { PolicyId: 'p-00000000' }), ...NOT_FOUND);
  await rejects(
    call(org.management, 'ListPoliciesForTarget', { TargetId: '111111111111', Filter: 'SERVICE_CONTROL_POLICY' }),
    'TargetNotFoundException',
    "We can't find a root, OU, account, or policy with the TargetId that you specified.",
  );
});

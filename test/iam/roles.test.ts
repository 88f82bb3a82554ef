// Role operations as IAM documents them (API_CreateRole.html, API_GetRole.html, API_UpdateRole.html,
// API_DeleteRole.html, API_ListRoles.html, API_TagRole.html, API_PutRolePermissionsBoundary.html,
// API_CreateServiceLinkedRole.html, reference_iam-quotas.html), driven through the operations over a real
// in-memory SQLite store, with the seed 001 "Create Role with AWS CLI" sequence as operation calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLE_AND_POLICY_OPERATIONS } from '../../src/iam/role-operations.js';
import { SEED_001_IAM_POLICY } from '../e2e/seed-fixtures.js';
import { ACCOUNT, NOW, call, newContext, operation, rejects } from './fixtures.js';
import type { OperationContext } from '../../src/iam/operation.js';
import { MAX_ROLES_PER_ACCOUNT } from '../../src/iam/roles.js';






const EC2_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

const BOUNDARY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });

async function createRole(context: OperationContext, name: string, more: Record<string, unknown> = {}) {
  return call(context, 'CreateRole', { RoleName: name, AssumeRolePolicyDocument: EC2_TRUST, ...more });
}

// ---------------------------------------------------------------------------------------------------
// Seed 001: "Create Role with AWS CLI"

const OIDC = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const SEED_TRUST = `{
"Version": "2012-10-17",
"Statement": [
{
"Effect": "Allow",
"Principal": {
"Federated": "arn:aws:iam::${ACCOUNT}:oidc-provider/${OIDC}"
},
"Action": "sts:AssumeRoleWithWebIdentity",
"Condition": {
"StringEquals": {
"${OIDC}:sub": "system:serviceaccount:infra-operator-system:infra-operator-controller-manager",
"${OIDC}:aud": "sts.amazonaws.com"
}
}
}
]
}`;

test('seed 001: create-role, put-role-policy and get-role --query Role.Arn run as the seed prints them', async () => {
  const context = newContext();
  const created = await call(context, 'CreateRole', {
    RoleName: 'infra-operator-iam-role',
    AssumeRolePolicyDocument: SEED_TRUST,
    Description: 'Role for Infra Operator IAM management',
  });
  assert.equal(created.Role.Arn, `arn:aws:iam::${ACCOUNT}:role/infra-operator-iam-role`);
  assert.equal(created.Role.Description, 'Role for Infra Operator IAM management');
  // The trust policy comes back exactly as sent (the wire URL-encodes it; botocore decodes it).
  assert.equal(created.Role.AssumeRolePolicyDocument, SEED_TRUST);

  assert.deepEqual(await call(context, 'PutRolePolicy', { RoleName: 'infra-operator-iam-role', PolicyName: 'IAMManagement', PolicyDocument: SEED_001_IAM_POLICY }), {});
  const role = await call(context, 'GetRole', { RoleName: 'infra-operator-iam-role' });
  assert.equal(role.Role.Arn, `arn:aws:iam::${ACCOUNT}:role/infra-operator-iam-role`);
  assert.deepEqual((await call(context, 'ListRolePolicies', { RoleName: 'infra-operator-iam-role' })).PolicyNames, ['IAMManagement']);
  const inline = await call(context, 'GetRolePolicy', { RoleName: 'infra-operator-iam-role', PolicyName: 'IAMManagement' });
  assert.deepEqual(inline, { RoleName: 'infra-operator-iam-role', PolicyName: 'IAMManagement', PolicyDocument: SEED_001_IAM_POLICY });
});

test('seed 001 quick start: the e2e EC2 role under /e2e/ with two AWS managed policies and tags', async () => {
  const context = newContext();
  await createRole(context, 'e2e-ec2-service-role', {
    Path: '/e2e/',
    Description: 'IAM role for EC2 instances - E2E testing',
    MaxSessionDuration: 3600,
    Tags: [
      { Key: 'environment', Value: 'test' },
      { Key: 'managed-by', Value: 'infra-operator' },
      { Key: 'purpose', Value: 'e2e-testing' },
    ],
  });
  for (const arn of ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy']) {
    await call(context, 'AttachRolePolicy', { RoleName: 'e2e-ec2-service-role', PolicyArn: arn });
  }
  const role = (await call(context, 'GetRole', { RoleName: 'e2e-ec2-service-role' })).Role;
  assert.equal(role.Arn, `arn:aws:iam::${ACCOUNT}:role/e2e/e2e-ec2-service-role`);
  assert.equal(role.Path, '/e2e/');
  assert.equal(role.Tags.length, 3);
  const attached = await call(context, 'ListAttachedRolePolicies', { RoleName: 'e2e-ec2-service-role' });
  assert.deepEqual(
    attached.AttachedPolicies.map((policy: { PolicyName: string }) => policy.PolicyName),
    ['AmazonS3ReadOnlyAccess', 'CloudWatchAgentServerPolicy'],
  );
});

// ---------------------------------------------------------------------------------------------------
// CreateRole and GetRole

test('CreateRole: defaults (path /, MaxSessionDuration 3600), an AROA id and the request time', async () => {
  const context = newContext();
  const created = (await createRole(context, 'app')).Role;
  assert.match(created.RoleId, /^AROA[A-Z2-7]{17}$/);
  assert.equal(created.Path, '/');
  assert.equal(created.CreateDate, NOW.toISOString());
  // API_CreateRole.html's response example carries neither MaxSessionDuration nor RoleLastUsed.
  assert.equal(created.MaxSessionDuration, undefined);
  assert.equal(created.RoleLastUsed, undefined);
  const role = (await call(context, 'GetRole', { RoleName: 'app' })).Role;
  assert.equal(role.MaxSessionDuration, 3600);
  assert.deepEqual(role.RoleLastUsed, {}, 'GetRole always answers RoleLastUsed, empty until the role is used');
  assert.equal(role.Tags, undefined, 'no Tags member without tags');
  assert.equal(role.PermissionsBoundary, undefined);
});

test('CreateRole: the ARN carries the path (reference_identifiers.html#identifiers-arns)', async () => {
  const context = newContext();
  const created = (await createRole(context, 'e2e-lambda-execution-role', { Path: '/lambda/', MaxSessionDuration: 7200 })).Role;
  assert.equal(created.Arn, `arn:aws:iam::${ACCOUNT}:role/lambda/e2e-lambda-execution-role`);
  assert.equal((await call(context, 'GetRole', { RoleName: 'e2e-lambda-execution-role' })).Role.MaxSessionDuration, 7200);
});

test('CreateRole: names are unique ignoring case, and lookups ignore case too (id_roles.html)', async () => {
  const context = newContext();
  await createRole(context, 'MyRole');
  await rejects(createRole(context, 'myrole'), 'EntityAlreadyExists', 'Role with name myrole already exists.');
  const role = (await call(context, 'GetRole', { RoleName: 'MYROLE' })).Role;
  assert.equal(role.RoleName, 'MyRole', 'the stored name keeps its case');
});

test('CreateRole: the model constraints fail with ValidationError listing every violation', async () => {
  const context = newContext();
  await rejects(
    createRole(context, 'bad name'),
    'ValidationError',
    "1 validation error detected: Value 'bad name' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
  );
  await rejects(
    createRole(context, 'a'.repeat(65)),
    'ValidationError',
    `1 validation error detected: Value '${'a'.repeat(65)}' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64`,
  );
  await rejects(
    createRole(context, 'ok', { MaxSessionDuration: 3599 }),
    'ValidationError',
    "1 validation error detected: Value '3599' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
  );
  await rejects(
    createRole(context, 'ok', { MaxSessionDuration: 43201 }),
    'ValidationError',
    "1 validation error detected: Value '43201' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200",
  );
  await rejects(
    createRole(context, 'ok', { Path: 'no-slashes' }),
    'ValidationError',
    'The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.',
  );
  await rejects(
    call(context, 'CreateRole', { AssumeRolePolicyDocument: EC2_TRUST, MaxSessionDuration: 1 }),
    'ValidationError',
    "2 validation errors detected: Value '1' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600; " +
      "Value null at 'roleName' failed to satisfy constraint: Member must not be null",
  );
  assert.equal((await call(context, 'ListRoles', {})).Roles.length, 0, 'nothing was created');
});

test('CreateRole: the trust policy is validated as one (MalformedPolicyDocument) and limited to 2,048 characters', async () => {
  const context = newContext();
  await rejects(createRole(context, 'r', { AssumeRolePolicyDocument: '{not json' }), 'MalformedPolicyDocument', 'This policy contains invalid Json');
  const withResource = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' }],
  });
  await rejects(createRole(context, 'r', { AssumeRolePolicyDocument: withResource }), 'MalformedPolicyDocument', 'Has prohibited field Resource');
  const services = Array.from({ length: 120 }, (_, i) => `service-number-${i}.amazonaws.com`);
  const large = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: services }, Action: 'sts:AssumeRole' }] });
  await rejects(createRole(context, 'r', { AssumeRolePolicyDocument: large }), 'LimitExceeded', 'Cannot exceed quota for ACLSizePerRole: 2048');
  await rejects(call(context, 'GetRole', { RoleName: 'r' }), 'NoSuchEntity', 'The role with name r cannot be found.');
});

test(`CreateRole: at most ${MAX_ROLES_PER_ACCOUNT} roles per account (reference_iam-quotas.html)`, async () => {
  const context = newContext();
  for (let i = 0; i < MAX_ROLES_PER_ACCOUNT; i++) await createRole(context, `role-${i}`);
  await rejects(createRole(context, 'one-too-many'), 'LimitExceeded', `Cannot exceed quota for RolesPerAccount: ${MAX_ROLES_PER_ACCOUNT}`);
});

test('GetRole: a missing role is NoSuchEntity with IAM message', async () => {
  await rejects(call(newContext(), 'GetRole', { RoleName: 'nope' }), 'NoSuchEntity', 'The role with name nope cannot be found.');
});

// ---------------------------------------------------------------------------------------------------
// Updates

test('UpdateRole changes description and MaxSessionDuration; UpdateRoleDescription returns the role', async () => {
  const context = newContext();
  await createRole(context, 'app');
  assert.deepEqual(await call(context, 'UpdateRole', { RoleName: 'app', Description: 'new', MaxSessionDuration: 43200 }), {});
  let role = (await call(context, 'GetRole', { RoleName: 'app' })).Role;
  assert.equal(role.Description, 'new');
  assert.equal(role.MaxSessionDuration, 43200);
  await call(context, 'UpdateRole', { RoleName: 'app', MaxSessionDuration: 7200 });
  role = (await call(context, 'GetRole', { RoleName: 'app' })).Role;
  assert.equal(role.Description, 'new', 'an omitted member is left as it was');
  assert.equal(role.MaxSessionDuration, 7200);
  const described = await call(context, 'UpdateRoleDescription', { RoleName: 'APP', Description: 'described' });
  assert.equal(described.Role.Description, 'described');
  await rejects(
    call(context, 'UpdateRole', { RoleName: 'app', MaxSessionDuration: 100000 }),
    'ValidationError',
    "1 validation error detected: Value '100000' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200",
  );
  await rejects(call(context, 'UpdateRole', { RoleName: 'ghost' }), 'NoSuchEntity', 'The role with name ghost cannot be found.');
});

test('UpdateAssumeRolePolicy replaces the trust policy after validating it as a trust policy', async () => {
  const context = newContext();
  await createRole(context, 'app');
  const lambdaTrust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
  await call(context, 'UpdateAssumeRolePolicy', { RoleName: 'app', PolicyDocument: lambdaTrust });
  assert.equal((await call(context, 'GetRole', { RoleName: 'app' })).Role.AssumeRolePolicyDocument, lambdaTrust);
  const identityPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
  await rejects(call(context, 'UpdateAssumeRolePolicy', { RoleName: 'app', PolicyDocument: identityPolicy }), 'MalformedPolicyDocument', 'Has prohibited field Resource');
  assert.equal((await call(context, 'GetRole', { RoleName: 'app' })).Role.AssumeRolePolicyDocument, lambdaTrust, 'a refused update changes nothing');
});

// ---------------------------------------------------------------------------------------------------
// DeleteRole

test('DeleteRole: DeleteConflict while inline policies, attached policies or instance profiles remain (API_DeleteRole.html)', async () => {
  const context = newContext();
  await createRole(context, 'app');
  await call(context, 'PutRolePolicy', { RoleName: 'app', PolicyName: 'inline', PolicyDocument: BOUNDARY });
  await call(context, 'AttachRolePolicy', { RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  await call(context, 'CreateInstanceProfile', { InstanceProfileName: 'app-profile' });
  await call(context, 'AddRoleToInstanceProfile', { InstanceProfileName: 'app-profile', RoleName: 'app' });

  await rejects(call(context, 'DeleteRole', { RoleName: 'app' }), 'DeleteConflict', 'Cannot delete entity, must delete policies first.');
  await call(context, 'DeleteRolePolicy', { RoleName: 'app', PolicyName: 'inline' });
  await rejects(call(context, 'DeleteRole', { RoleName: 'app' }), 'DeleteConflict', 'Cannot delete entity, must detach all policies first.');
  await call(context, 'DetachRolePolicy', { RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  await rejects(call(context, 'DeleteRole', { RoleName: 'app' }), 'DeleteConflict', 'Cannot delete entity, must remove roles from instance profile first.');
  await call(context, 'RemoveRoleFromInstanceProfile', { InstanceProfileName: 'app-profile', RoleName: 'app' });
  assert.deepEqual(await call(context, 'DeleteRole', { RoleName: 'APP' }), {});
  await rejects(call(context, 'GetRole', { RoleName: 'app' }), 'NoSuchEntity', 'The role with name app cannot be found.');
  await rejects(call(context, 'DeleteRole', { RoleName: 'app' }), 'NoSuchEntity', 'The role with name app cannot be found.');
});

test('DeleteRole: a permissions boundary does not block deletion, and its usage count drops', async () => {
  const context = newContext();
  const policy = (await call(context, 'CreatePolicy', { PolicyName: 'Boundary', PolicyDocument: BOUNDARY })).Policy;
  await createRole(context, 'bounded', { PermissionsBoundary: policy.Arn });
  assert.equal((await call(context, 'GetPolicy', { PolicyArn: policy.Arn })).Policy.PermissionsBoundaryUsageCount, 1);
  await call(context, 'DeleteRole', { RoleName: 'bounded' });
  assert.equal((await call(context, 'GetPolicy', { PolicyArn: policy.Arn })).Policy.PermissionsBoundaryUsageCount, 0);
  await call(context, 'DeletePolicy', { PolicyArn: policy.Arn });
});

// ---------------------------------------------------------------------------------------------------
// ListRoles

test('ListRoles: ordered by name, PathPrefix filter, Marker/MaxItems pagination, summary members only', async () => {
  const context = newContext();
  await createRole(context, 'charlie', { Path: '/team/', Tags: [{ Key: 'k', Value: 'v' }] });
  await createRole(context, 'alpha');
  await createRole(context, 'Bravo', { Path: '/team/sub/' });
  await createRole(context, 'delta', { Path: '/other/' });
  const all = await call(context, 'ListRoles', {});
  assert.deepEqual(
    all.Roles.map((role: { RoleName: string }) => role.RoleName),
    ['alpha', 'Bravo', 'charlie', 'delta'],
  );
  assert.equal(all.IsTruncated, false);
  assert.equal(all.Marker, undefined);
  for (const role of all.Roles) {
    // API_ListRoles.html: PermissionsBoundary, RoleLastUsed and Tags are not returned.
    assert.equal(role.Tags, undefined);
    assert.equal(role.RoleLastUsed, undefined);
    assert.equal(role.PermissionsBoundary, undefined);
    assert.equal(role.MaxSessionDuration, 3600);
  }
  const team = await call(context, 'ListRoles', { PathPrefix: '/team/' });
  assert.deepEqual(
    team.Roles.map((role: { RoleName: string }) => role.RoleName),
    ['Bravo', 'charlie'],
  );

  const seen: string[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const page = await call(context, 'ListRoles', { MaxItems: 3, ...(marker ? { Marker: marker } : {}) });
    seen.push(...page.Roles.map((role: { RoleName: string }) => role.RoleName));
    assert.equal(page.IsTruncated, page.Marker !== undefined);
    marker = page.Marker;
    pages++;
  } while (marker);
  assert.equal(pages, 2);
  assert.deepEqual(seen, ['alpha', 'Bravo', 'charlie', 'delta']);
  await rejects(
    call(context, 'ListRoles', { MaxItems: 0 }),
    'ValidationError',
    "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
  await rejects(call(context, 'ListRoles', { Marker: '!!not-a-marker' }), 'ValidationError', 'Invalid Marker.');
});

// ---------------------------------------------------------------------------------------------------
// Tags

test('TagRole/UntagRole/ListRoleTags: keys unique ignoring case, overwrite on tag, 50-tag limit (id_tags.html)', async () => {
  const context = newContext();
  await createRole(context, 'tagged', { Tags: [{ Key: 'Env', Value: 'dev' }] });
  await call(context, 'TagRole', { RoleName: 'tagged', Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'platform' }] });
  let tags = (await call(context, 'ListRoleTags', { RoleName: 'tagged' })).Tags;
  assert.deepEqual(tags, [
    { Key: 'env', Value: 'prod' },
    { Key: 'team', Value: 'platform' },
  ]);
  await call(context, 'UntagRole', { RoleName: 'tagged', TagKeys: ['TEAM', 'absent'] });
  tags = (await call(context, 'ListRoleTags', { RoleName: 'tagged' })).Tags;
  assert.deepEqual(tags, [{ Key: 'env', Value: 'prod' }]);

  await rejects(
    call(context, 'TagRole', { RoleName: 'tagged', Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] }),
    'InvalidInput',
    'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
  );
  await rejects(
    createRole(context, 'dupes', { Tags: [{ Key: 'x', Value: '1' }, { Key: 'X', Value: '2' }] }),
    'InvalidInput',
    'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
  );
  await rejects(
    call(context, 'TagRole', { RoleName: 'tagged', Tags: [{ Key: 'aws:reserved', Value: '1' }] }),
    'InvalidInput',
    "User-defined tag keys can't start with 'aws:'. This prefix is reserved for AWS use.",
  );
  const fortyNine = Array.from({ length: 49 }, (_, i) => ({ Key: `k${i}`, Value: `${i}` }));
  await call(context, 'TagRole', { RoleName: 'tagged', Tags: fortyNine });
  await rejects(
    call(context, 'TagRole', { RoleName: 'tagged', Tags: [{ Key: 'one-more', Value: '' }] }),
    'LimitExceeded',
    'The number of tags has reached the maximum limit.',
  );
  // Overwriting an existing key does not add a tag, so it still fits.
  await call(context, 'TagRole', { RoleName: 'tagged', Tags: [{ Key: 'K0', Value: 'again' }] });
  const page = await call(context, 'ListRoleTags', { RoleName: 'tagged', MaxItems: 20 });
  assert.equal(page.Tags.length, 20);
  assert.equal(page.IsTruncated, true);
  const rest = await call(context, 'ListRoleTags', { RoleName: 'tagged', Marker: page.Marker, MaxItems: 100 });
  assert.equal(rest.Tags.length, 30);
  assert.equal(rest.IsTruncated, false);
  const tooMany = Array.from({ length: 51 }, (_, i) => ({ Key: `t${i}`, Value: '' }));
  await assert.rejects(call(context, 'TagRole', { RoleName: 'tagged', Tags: tooMany }), (error: { code: string; message: string }) => {
    assert.equal(error.code, 'ValidationError');
    assert.match(error.message, /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/);
    return true;
  });
  await rejects(
    call(context, 'TagRole', { RoleName: 'tagged', Tags: [{ Key: 'bad#key', Value: 'v' }] }),
    'ValidationError',
    "1 validation error detected: Value 'bad#key' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+",
  );
  await rejects(
    call(context, 'UntagRole', { RoleName: 'tagged', TagKeys: ['env', 'bad#key'] }),
    'ValidationError',
    "1 validation error detected: Value '[env, bad#key]' at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: " +
      '[Member must have length less than or equal to 128, Member must have length greater than or equal to 1, ' +
      'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+]',
  );
  await rejects(call(context, 'ListRoleTags', { RoleName: 'ghost' }), 'NoSuchEntity', 'The role with name ghost cannot be found.');
});

// ---------------------------------------------------------------------------------------------------
// Permissions boundaries

test('Permissions boundary: must name an existing managed policy; usage counts move between policies', async () => {
  const context = newContext();
  const missing = `arn:aws:iam::${ACCOUNT}:policy/DeveloperBoundaryPolicy`;
  await rejects(
    createRole(context, 'Developer-Boundary-Role', { PermissionsBoundary: missing }),
    'NoSuchEntity',
    `Scope ARN: ${missing} does not exist or is not attachable.`,
  );
  await rejects(call(context, 'GetRole', { RoleName: 'Developer-Boundary-Role' }), 'NoSuchEntity', 'The role with name Developer-Boundary-Role cannot be found.');

  const boundary = (await call(context, 'CreatePolicy', { PolicyName: 'DeveloperBoundaryPolicy', PolicyDocument: BOUNDARY })).Policy;
  await createRole(context, 'Developer-Boundary-Role', { PermissionsBoundary: boundary.Arn });
  assert.deepEqual((await call(context, 'GetRole', { RoleName: 'Developer-Boundary-Role' })).Role.PermissionsBoundary, {
    PermissionsBoundaryType: 'Policy',
    PermissionsBoundaryArn: boundary.Arn,
  });
  assert.equal((await call(context, 'GetPolicy', { PolicyArn: boundary.Arn })).Policy.PermissionsBoundaryUsageCount, 1);
  assert.equal((await call(context, 'GetPolicy', { PolicyArn: boundary.Arn })).Policy.AttachmentCount, 0, 'a boundary is not an attachment');
  await rejects(call(context, 'DeletePolicy', { PolicyArn: boundary.Arn }), 'DeleteConflict', 'Cannot delete a policy attached to entities.');

  const powerUser = 'arn:aws:iam::aws:policy/PowerUserAccess';
  await call(context, 'PutRolePermissionsBoundary', { RoleName: 'Developer-Boundary-Role', PermissionsBoundary: powerUser });
  assert.equal((await call(context, 'GetPolicy', { PolicyArn: boundary.Arn })).Policy.PermissionsBoundaryUsageCount, 0);
  assert.equal((await call(context, 'GetPolicy', { PolicyArn: powerUser })).Policy.PermissionsBoundaryUsageCount, 1);
  await call(context, 'PutRolePermissionsBoundary', { RoleName: 'Developer-Boundary-Role', PermissionsBoundary: powerUser });
  assert.equal((await call(context, 'GetPolicy', { PolicyArn: powerUser })).Policy.PermissionsBoundaryUsageCount, 1, 'setting the same boundary again counts once');
  await rejects(
    call(context, 'PutRolePermissionsBoundary', { RoleName: 'Developer-Boundary-Role', PermissionsBoundary: missing.replace('Developer', 'Nope') }),
    'NoSuchEntity',
    `Scope ARN: ${missing.replace('Developer', 'Nope')} does not exist or is not attachable.`,
  );

  await call(context, 'DeleteRolePermissionsBoundary', { RoleName: 'Developer-Boundary-Role' });
  assert.equal((await call(context, 'GetRole', { RoleName: 'Developer-Boundary-Role' })).Role.PermissionsBoundary, undefined);
  assert.equal((await call(context, 'GetPolicy', { PolicyArn: powerUser })).Policy.PermissionsBoundaryUsageCount, 0);
  await call(context, 'DeleteRolePermissionsBoundary', { RoleName: 'Developer-Boundary-Role' });
  await call(context, 'DeletePolicy', { PolicyArn: boundary.Arn });
});

// ---------------------------------------------------------------------------------------------------
// Service-linked roles

test('CreateServiceLinkedRole: EKS gets AWSServiceRoleForAmazonEKS under /aws-service-role/eks.amazonaws.com/', async () => {
  const context = newContext();
  const role = (await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'eks.amazonaws.com' })).Role;
  assert.equal(role.RoleName, 'AWSServiceRoleForAmazonEKS');
  assert.equal(role.Path, '/aws-service-role/eks.amazonaws.com/');
  assert.equal(role.Arn, `arn:aws:iam::${ACCOUNT}:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS`);
  const trust = JSON.parse(role.AssumeRolePolicyDocument);
  assert.deepEqual(trust, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const attached = await call(context, 'ListAttachedRolePolicies', { RoleName: 'AWSServiceRoleForAmazonEKS' });
  assert.deepEqual(attached.AttachedPolicies, [
    { PolicyName: 'AmazonEKSServiceRolePolicy', PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AmazonEKSServiceRolePolicy' },
  ]);
  assert.equal((await call(context, 'GetPolicy', { PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AmazonEKSServiceRolePolicy' })).Policy.AttachmentCount, 1);
  await rejects(
    call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'eks.amazonaws.com' }),
    'InvalidInput',
    'Service role name AWSServiceRoleForAmazonEKS has been taken in this account, please try a different suffix.',
  );
});

test('CreateServiceLinkedRole: Auto Scaling takes a custom suffix, EKS does not; unknown services are refused', async () => {
  const context = newContext();
  const role = (await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'fleet', Description: 'fleet' })).Role;
  assert.equal(role.RoleName, 'AWSServiceRoleForAutoScaling_fleet');
  assert.equal(role.Description, 'fleet');
  assert.equal((await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'autoscaling.amazonaws.com' })).Role.RoleName, 'AWSServiceRoleForAutoScaling');
  await rejects(
    call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'eks.amazonaws.com', CustomSuffix: 'x' }),
    'InvalidInput',
    'Custom suffix is not allowed for eks.amazonaws.com',
  );
  await rejects(
    call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'nothing.amazonaws.com' }),
    'InvalidInput',
    'Service nothing.amazonaws.com does not support service-linked roles.',
  );
});

test('Service-linked roles are protected: only the description and tags may change (UnmodifiableEntity)', async () => {
  const context = newContext();
  await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'elasticloadbalancing.amazonaws.com' });
  const name = 'AWSServiceRoleForElasticLoadBalancing';
  const protectedMessage = `Cannot perform the operation on the protected role '${name}' - this role is only modifiable by AWS`;
  await rejects(call(context, 'DeleteRole', { RoleName: name }), 'UnmodifiableEntity', protectedMessage);
  await rejects(call(context, 'PutRolePolicy', { RoleName: name, PolicyName: 'p', PolicyDocument: BOUNDARY }), 'UnmodifiableEntity', protectedMessage);
  await rejects(call(context, 'AttachRolePolicy', { RoleName: name, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }), 'UnmodifiableEntity', protectedMessage);
  await rejects(call(context, 'UpdateAssumeRolePolicy', { RoleName: name, PolicyDocument: EC2_TRUST }), 'UnmodifiableEntity', protectedMessage);
  await rejects(call(context, 'UpdateRole', { RoleName: name, MaxSessionDuration: 7200 }), 'UnmodifiableEntity', protectedMessage);
  await rejects(
    call(context, 'PutRolePermissionsBoundary', { RoleName: name, PermissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
    'UnmodifiableEntity',
    protectedMessage,
  );
  await call(context, 'UpdateRoleDescription', { RoleName: name, Description: 'load balancers' });
  await call(context, 'TagRole', { RoleName: name, Tags: [{ Key: 'owner', Value: 'aws' }] });
  const role = (await call(context, 'GetRole', { RoleName: name })).Role;
  assert.equal(role.Description, 'load balancers');
  assert.deepEqual(role.Tags, [{ Key: 'owner', Value: 'aws' }]);
});

// AWS's recorded answers for IAM Identity Center's roles (aws-nuke #441 and #1028: DeleteRole and
// DetachRolePolicy; cloud-access-bot #11: PutRolePolicy; bulk-policy-migrator #9: an inline policy update)
// carry the service-linked text. Rolecall's way to such a role is CreateRole with the reserved path: AWS's
// answer to a user doing that was not found.
test('Roles under /aws-reserved/ (AWSReservedSSO_*) are protected like service-linked ones (UnmodifiableEntity)', async () => {
  const context = newContext();
  const name = 'AWSReservedSSO_AdministratorAccess_073ae2cbd6a6a546';
  await createRole(context, name, { Path: '/aws-reserved/sso.amazonaws.com/' });
  const protectedMessage = `Cannot perform the operation on the protected role '${name}' - this role is only modifiable by AWS`;
  const readOnly = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
  await rejects(call(context, 'DeleteRole', { RoleName: name }), 'UnmodifiableEntity', protectedMessage);
  await rejects(call(context, 'PutRolePolicy', { RoleName: name, PolicyName: 'p', PolicyDocument: BOUNDARY }), 'UnmodifiableEntity', protectedMessage);
  await rejects(call(context, 'DeleteRolePolicy', { RoleName: name, PolicyName: 'AwsSSOInlinePolicy' }), 'UnmodifiableEntity', protectedMessage);
  await rejects(call(context, 'AttachRolePolicy', { RoleName: name, PolicyArn: readOnly }), 'UnmodifiableEntity', protectedMessage);
  await rejects(call(context, 'DetachRolePolicy', { RoleName: name, PolicyArn: readOnly }), 'UnmodifiableEntity', protectedMessage);
  await rejects(call(context, 'UpdateAssumeRolePolicy', { RoleName: name, PolicyDocument: EC2_TRUST }), 'UnmodifiableEntity', protectedMessage);
  await rejects(call(context, 'UpdateRole', { RoleName: name, MaxSessionDuration: 7200 }), 'UnmodifiableEntity', protectedMessage);
  await rejects(call(context, 'PutRolePermissionsBoundary', { RoleName: name, PermissionsBoundary: readOnly }), 'UnmodifiableEntity', protectedMessage);
  await rejects(call(context, 'DeleteRolePermissionsBoundary', { RoleName: name }), 'UnmodifiableEntity', protectedMessage);
  const role = (await call(context, 'GetRole', { RoleName: name })).Role;
  assert.equal(role.Arn, `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/${name}`);
  assert.deepEqual((await call(context, 'ListRolePolicies', { RoleName: name })).PolicyNames, []);
  assert.deepEqual((await call(context, 'ListAttachedRolePolicies', { RoleName: name })).AttachedPolicies, []);
});

test('A path that only starts like /aws-reserved/ is an ordinary role (the reserved path is a whole segment)', async () => {
  const context = newContext();
  await createRole(context, 'mine', { Path: '/aws-reserved-not/' });
  await call(context, 'DeleteRole', { RoleName: 'mine' });
});

// ---------------------------------------------------------------------------------------------------
// Authorization targets (list_awsidentityandaccessmanagementiam.html)

test('authorize: CreateRole asks iam:CreateRole on the new role ARN with the boundary and request tags', async () => {
  const context = newContext();
  const targets = await operation('CreateRole').authorize(context, {
    RoleName: 'delegated',
    Path: '/app/',
    AssumeRolePolicyDocument: EC2_TRUST,
    PermissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/Boundary`,
    Tags: [{ Key: 'team', Value: 'blue' }],
  });
  assert.deepEqual(targets, [
    {
      action: 'iam:CreateRole',
      resource: `arn:aws:iam::${ACCOUNT}:role/app/delegated`,
      context: { 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/Boundary`, 'aws:RequestTag/team': 'blue', 'aws:TagKeys': ['team'] },
    },
  ]);
  const plain = await operation('CreateRole').authorize(context, { RoleName: 'plain', AssumeRolePolicyDocument: EC2_TRUST });
  assert.deepEqual(plain, [{ action: 'iam:CreateRole', resource: `arn:aws:iam::${ACCOUNT}:role/plain`, context: {} }]);
});

test('authorize: actions on an existing role use its ARN with path, its tags, and its boundary where IAM takes it', async () => {
  const context = newContext();
  const boundary = (await call(context, 'CreatePolicy', { PolicyName: 'Boundary', PolicyDocument: BOUNDARY })).Policy.Arn;
  await createRole(context, 'app', { Path: '/svc/', PermissionsBoundary: boundary, Tags: [{ Key: 'team', Value: 'blue' }] });
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/svc/app`;
  const tags = { 'aws:ResourceTag/team': 'blue', 'iam:ResourceTag/team': 'blue' };
  assert.deepEqual(await operation('GetRole').authorize(context, { RoleName: 'app' }), [{ action: 'iam:GetRole', resource: roleArn, context: tags }]);
  assert.deepEqual(await operation('PutRolePolicy').authorize(context, { RoleName: 'app', PolicyName: 'p', PolicyDocument: BOUNDARY }), [
    { action: 'iam:PutRolePolicy', resource: roleArn, context: { ...tags, 'iam:PermissionsBoundary': boundary } },
  ]);
  assert.deepEqual(await operation('AttachRolePolicy').authorize(context, { RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }), [
    {
      action: 'iam:AttachRolePolicy',
      resource: roleArn,
      context: { ...tags, 'iam:PermissionsBoundary': boundary, 'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    },
  ]);
  assert.deepEqual(await operation('PutRolePermissionsBoundary').authorize(context, { RoleName: 'app', PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' }), [
    { action: 'iam:PutRolePermissionsBoundary', resource: roleArn, context: { ...tags, 'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/PowerUserAccess' } },
  ]);
  assert.deepEqual(await operation('UntagRole').authorize(context, { RoleName: 'app', TagKeys: ['team'] }), [
    { action: 'iam:UntagRole', resource: roleArn, context: { ...tags, 'aws:TagKeys': ['team'] } },
  ]);
  assert.deepEqual(await operation('ListRoles').authorize(context, {}), [{ action: 'iam:ListRoles', resource: `arn:aws:iam::${ACCOUNT}:role/` }]);
  assert.deepEqual(await operation('ListRoles').authorize(context, { PathPrefix: '/aws-service-role/' }), [
    { action: 'iam:ListRoles', resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/` },
  ]);
  assert.deepEqual(await operation('DeleteRole').authorize(context, { RoleName: 'missing' }), [
    { action: 'iam:DeleteRole', resource: `arn:aws:iam::${ACCOUNT}:role/missing`, context: {} },
  ]);
  assert.deepEqual(await operation('CreateServiceLinkedRole').authorize(context, { AWSServiceName: 'eks.amazonaws.com' }), [
    {
      action: 'iam:CreateServiceLinkedRole',
      resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS`,
      context: { 'iam:AWSServiceName': 'eks.amazonaws.com' },
    },
  ]);
});

test('every operation of the registry is named once', () => {
  const names = ROLE_AND_POLICY_OPERATIONS.map((operation) => operation.name);
  assert.equal(new Set(names).size, names.length);
  for (const expected of ['CreateRole', 'PutGroupPolicy', 'ListAttachedUserPolicies', 'ListEntitiesForPolicy', 'ListInstanceProfileTags']) {
    assert.ok(names.includes(expected), expected);
  }
});

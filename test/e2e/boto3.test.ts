/**
 * boto3 against the real server, the core role flow in one python process (python/core_flow.py):
 * botocore signs, serializes and parses as it does against AWS, and its IAM after-call handler decodes
 * the URL-encoded policy documents (AssumeRolePolicyDocument, inline PolicyDocument, PolicyVersion
 * Document) back into dicts (API_GetRolePolicy.html: "The policy document returned ... is URL-encoded");
 * and the context-key and service-linked role deletion calls through boto3.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_ID, E2eServer, ROOT } from './harness.js';
import { createUserWithKey } from './users.js';
import { CONTEXT_KEYS_EXAMPLE } from '../iam/fixtures.js';

let server: E2eServer;

before(async () => {
  server = await E2eServer.start();
});

after(async () => {
  await server?.stop();
});

const TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const PERMISSIONS = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::my-bucket', 'arn:aws:s3:::my-bucket/*'] }],
};
const PERMISSIONS_V2 = {
  Version: '2012-10-17',
  Statement: [...PERMISSIONS.Statement, { Sid: 'NoDelete', Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }],
};

interface CoreFlow {
  identity: Record<string, string>;
  created: Record<string, unknown>;
  got: Record<string, unknown>;
  duplicate: { code: string; message: string; status: number };
  inline: unknown;
  inlineNames: string[];
  attached: unknown;
  tags: Array<{ Key: string; Value: string }>;
  updated: Record<string, unknown>;
  trustAfterUpdate: { Statement: Array<{ Principal: unknown }> };
  pagedNames: string[];
  policyVersion: Record<string, unknown>;
  policyVersions: string[];
  policyDefault: string;
  deleteConflict: { code: string; message: string; status: number };
  afterDelete: { code: string; message: string; status: number };
}

test('boto3: the core role flow, with botocore decoding every policy document back to a dict', async () => {
  const roleName = 'boto3-app-role';
  const flow = (await server.boto3File('core_flow.py', { roleName, trust: TRUST, permissions: PERMISSIONS, permissionsV2: PERMISSIONS_V2 })) as CoreFlow;

  assert.deepEqual(flow.identity, { UserId: ACCOUNT_ID, Account: ACCOUNT_ID, Arn: `arn:aws:iam::${ACCOUNT_ID}:root` });

  const arn = `arn:aws:iam::${ACCOUNT_ID}:role/apps/${roleName}`;
  assert.equal(flow.created.Arn, arn);
  assert.equal(flow.created.Path, '/apps/');
  assert.match(String(flow.created.RoleId), /^AROA[A-Z0-9]{17}$/);
  assert.deepEqual(flow.created.AssumeRolePolicyDocument, TRUST);
  assert.deepEqual(flow.created.Tags, [{ Key: 'team', Value: 'platform' }]);
  assert.deepEqual(flow.got.AssumeRolePolicyDocument, TRUST);
  assert.equal(flow.got.RoleId, flow.created.RoleId);
  assert.equal(flow.got.Description, 'boto3 core flow');
  assert.equal(flow.got.MaxSessionDuration, 7200);

  // Role names are unique ignoring case (reference_iam-quotas.html; API_CreateRole.html).
  assert.deepEqual(flow.duplicate, { code: 'EntityAlreadyExists', message: `Role with name ${roleName.toUpperCase()} already exists.`, status: 409 });

  assert.deepEqual(flow.inline, PERMISSIONS);
  assert.deepEqual(flow.inlineNames, ['inline']);
  assert.deepEqual(flow.attached, [{ PolicyName: 'AmazonS3ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }]);
  const byKey = (a: { Key: string }, b: { Key: string }) => a.Key.localeCompare(b.Key);
  assert.deepEqual([...flow.tags].sort(byKey), [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'platform' }]);
  assert.equal(flow.updated.Description, 'updated by boto3');
  assert.equal(flow.updated.MaxSessionDuration, 3600);
  assert.deepEqual(flow.trustAfterUpdate.Statement[0]!.Principal, { Service: 'lambda.amazonaws.com' });

  // The paginator follows Marker/IsTruncated one role per page.
  assert.deepEqual(flow.pagedNames, [roleName]);

  assert.deepEqual(flow.policyVersion.Document, PERMISSIONS_V2);
  assert.equal(flow.policyVersion.VersionId, 'v2');
  assert.equal(flow.policyVersion.IsDefaultVersion, true);
  assert.deepEqual([...flow.policyVersions].sort(), ['v1', 'v2']);
  assert.equal(flow.policyDefault, 'v2');

  // DeleteRole refuses while policies remain (API_DeleteRole.html), then the role is gone.
  assert.equal(flow.deleteConflict.code, 'DeleteConflict');
  assert.equal(flow.deleteConflict.status, 409);
  assert.ok(
    ['Cannot delete entity, must detach all policies first.', 'Cannot delete entity, must delete policies first.'].includes(flow.deleteConflict.message),
    flow.deleteConflict.message,
  );
  assert.deepEqual(flow.afterDelete, { code: 'NoSuchEntity', message: `The role with name ${roleName} cannot be found.`, status: 404 });
});

test('boto3: STS GetCallerIdentity as an IAM user signed with the key root created for it', async () => {
  const user = await createUserWithKey(server, 'boto3-user');
  const identity = (await server.boto3(
    "out = {k: v for k, v in sts.get_caller_identity().items() if k != 'ResponseMetadata'}",
    null,
    user.credentials,
  )) as Record<string, string>;
  assert.deepEqual(identity, { UserId: user.userId, Account: ACCOUNT_ID, Arn: `arn:aws:iam::${ACCOUNT_ID}:user/boto3-user` });
  assert.notEqual(user.credentials.accessKeyId, ROOT.accessKeyId);
});

test('boto3: GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy (API_GetContextKeysFor*Policy.html)', async () => {
  const answer = (await server.boto3(
    `
policy = json.dumps(inp['policy'])
iam.create_user(UserName='context-keys-user')
iam.put_user_policy(UserName='context-keys-user', PolicyName='example', PolicyDocument=policy)
arn = 'arn:aws:iam::%s:user/context-keys-user' % sts.get_caller_identity()['Account']
out = {
    'custom': iam.get_context_keys_for_custom_policy(PolicyInputList=[policy])['ContextKeyNames'],
    'principal': iam.get_context_keys_for_principal_policy(PolicySourceArn=arn)['ContextKeyNames'],
    'invalid': client_error(iam.get_context_keys_for_custom_policy, PolicyInputList=['{"Version":"2012-10-17"}']),
}
`,
    { policy: CONTEXT_KEYS_EXAMPLE },
  )) as { custom: string[]; principal: string[]; invalid: { code: string; message: string; status: number } };
  assert.deepEqual(answer.custom, ['aws:username', 'aws:CurrentTime']);
  assert.deepEqual(answer.principal, ['aws:username', 'aws:CurrentTime']);
  assert.deepEqual(answer.invalid, { code: 'InvalidInput', message: 'Syntax errors in policy.', status: 400 });
});

test('boto3: CreateServiceLinkedRole, DeleteServiceLinkedRole, then GetServiceLinkedRoleDeletionStatus SUCCEEDED (API_DeleteServiceLinkedRole.html)', async () => {
  const answer = (await server.boto3(`
role = iam.create_service_linked_role(AWSServiceName='eks.amazonaws.com')['Role']
task = iam.delete_service_linked_role(RoleName=role['RoleName'])['DeletionTaskId']
status = iam.get_service_linked_role_deletion_status(DeletionTaskId=task)
out = {
    'task': task,
    'status': {k: v for k, v in status.items() if k != 'ResponseMetadata'},
    'gone': client_error(iam.get_role, RoleName=role['RoleName']),
    'unknown': client_error(iam.get_service_linked_role_deletion_status, DeletionTaskId=task[:-1] + ('0' if task[-1] != '0' else '1')),
}
`)) as { task: string; status: Record<string, unknown>; gone: { code: string }; unknown: { code: string; status: number } };
  assert.match(answer.task, /^task\/aws-service-role\/eks\.amazonaws\.com\/AWSServiceRoleForAmazonEKS\/[0-9a-f-]{36}$/);
  assert.deepEqual(answer.status, { Status: 'SUCCEEDED' });
  assert.equal(answer.gone.code, 'NoSuchEntity');
  assert.equal(answer.unknown.code, 'NoSuchEntity');
  assert.equal(answer.unknown.status, 404);
});

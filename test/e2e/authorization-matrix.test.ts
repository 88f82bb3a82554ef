/**
 * The authorization matrix: every IAM operation the server registers (src/server/operations.ts), called by
 * an IAM user through a signed request with syntactically valid minimal input, must be refused with
 * AccessDenied 403 and AWS's message (troubleshoot_access-denied.html):
 *   "User: ARN is not authorized to perform: iam:ACTION on resource: RESOURCE because no identity-based
 *    policy allows the iam:ACTION action"           — a user with no policies (implicit deny),
 *   "... on resource: RESOURCE with an explicit deny in an identity-based policy" — a user whose policy
 *    allows everything but denies iam:* (reference_policies_evaluation-logic.html: an explicit deny wins).
 * sts:GetCallerIdentity is the one call that needs no permission and works even under an explicit deny
 * (API_GetCallerIdentity.html). Denied calls change nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand, CreateAccessKeyCommand, CreateGroupCommand, CreateInstanceProfileCommand, CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, CreateVirtualMFADeviceCommand, GetGroupCommand, GetInstanceProfileCommand, GetOpenIDConnectProviderCommand,
  GetPolicyCommand, GetRoleCommand, GetUserCommand, ListAccountAliasesCommand, ListRolePoliciesCommand, ListUserPoliciesCommand, ListVirtualMFADevicesCommand,
} from '@aws-sdk/client-iam';
import { OPERATIONS } from '../../src/server/operations.js';
import { EKS_AUTH_OPERATIONS, EKS_OPERATIONS } from '../../src/eks/operations.js';
import { restJsonCall } from '../eks/rest-json-client.js';
import { loadServiceModel, type ServiceModel, type Shape } from '../../src/protocol/index.js';
import { ACCOUNT_ID, E2eServer } from './harness.js';
import { queryRequest, type QueryService } from './query-client.js';
import { createUserWithKey, type TestUser } from './users.js';

const ARN = `arn:aws:iam::${ACCOUNT_ID}`;
const TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
const PERMISSIONS = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';

// The entities the calls aim at exist (created by root, on a non-default path), so a server that skipped
// authorization would act on them rather than answer NoSuchEntity.
const PATH = '/matrix/';
const TARGET = {
  role: `${ARN}:role${PATH}matrix-role`,
  user: `${ARN}:user${PATH}matrix-target`,
  group: `${ARN}:group${PATH}matrix-group`,
  policy: `${ARN}:policy${PATH}matrix-policy`,
  instanceProfile: `${ARN}:instance-profile${PATH}matrix-profile`,
  oidcProvider: `${ARN}:oidc-provider/oidc.example.com/matrix`,
  mfaDevice: `${ARN}:mfa${PATH}matrix-mfa`,
};

/** Values for the model's required members, by member name. */
const MEMBER_VALUES: Record<string, unknown> = {
  RoleName: 'matrix-role',
  AssumeRolePolicyDocument: TRUST,
  PolicyDocument: PERMISSIONS,
  Description: 'matrix',
  Tags: [{ Key: 'team', Value: 'matrix' }],
  TagKeys: ['team'],
  PermissionsBoundary: TARGET.policy,
  PolicyArn: TARGET.policy,
  AWSServiceName: 'eks.amazonaws.com',
  PolicyName: 'matrix-inline',
  UserName: 'matrix-target',
  GroupName: 'matrix-group',
  VersionId: 'v1',
  InstanceProfileName: 'matrix-profile',
  Status: 'Inactive',
  Url: 'https://oidc.example.com/matrix',
  OpenIDConnectProviderArn: TARGET.oidcProvider,
  ClientID: 'sts.amazonaws.com',
  ThumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'],
  AccountAlias: 'matrix-alias',
  PolicySourceArn: `${ARN}:user${PATH}matrix-target`,
  PolicyInputList: [PERMISSIONS],
  ActionNames: ['s3:GetObject'],
  VirtualMFADeviceName: 'matrix-mfa',
  SerialNumber: TARGET.mfaDevice,
  AuthenticationCode1: '123456',
  AuthenticationCode2: '654321',
  DeletionTaskId: 'task/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS/0b5f6e2c-3d4a-4e8f-9a1b-2c3d4e5f6a7b',
};

/**
 * The resource AWS names in the denial, for the operations whose resource is not simply the entity they
 * address. List operations name the path they list, as AWS's answers do ("iam:ListRoles on resource:
 * arn:aws:iam::ACCOUNT:role/", "iam:ListUsers on resource: arn:aws:iam::ACCOUNT:user/", ".../group/",
 * ".../instance-profile/", "iam:ListPolicies on resource: policy path /"); account-wide operations name
 * "*" ("iam:GetAccountSummary on resource: *", "iam:ListAccountAliases on resource: *").
 */
function specialResource(operation: string, caller: TestUser): string | undefined {
  switch (operation) {
    case 'ListRoles': return `${ARN}:role/`;
    case 'ListUsers': return `${ARN}:user/`;
    case 'ListGroups': return `${ARN}:group/`;
    case 'ListInstanceProfiles': return `${ARN}:instance-profile/`;
    case 'ListVirtualMFADevices': return `${ARN}:mfa/`;
    case 'ListPolicies': return 'policy path /';
    case 'ListOpenIDConnectProviders':
    case 'SimulateCustomPolicy':
    case 'GetContextKeysForCustomPolicy':
    case 'GetAccountSummary':
    case 'GetAccountAuthorizationDetails':
    case 'CreateAccountAlias':
    case 'DeleteAccountAlias':
    case 'ListAccountAliases':
    case 'UpdateAccountPasswordPolicy':
    case 'GetAccountPasswordPolicy':
    case 'DeleteAccountPasswordPolicy':
    case 'GenerateCredentialReport':
    case 'GetCredentialReport':
      return '*';
    // Without UserName these act on the calling user itself (API_GetUser.html, API_CreateAccessKey.html).
    case 'GetUser':
    case 'CreateAccessKey':
    case 'ListAccessKeys':
    case 'UpdateAccessKey':
    case 'DeleteAccessKey':
    case 'ListMFADevices':
    case 'DeactivateMFADevice':
    case 'GetMFADevice':
    case 'ListSSHPublicKeys':
    case 'UploadSigningCertificate':
    case 'ListSigningCertificates':
    case 'UpdateSigningCertificate':
    case 'DeleteSigningCertificate':
    case 'ListServiceSpecificCredentials':
    case 'ResetServiceSpecificCredential':
    case 'UpdateServiceSpecificCredential':
    case 'DeleteServiceSpecificCredential':
    case 'CreateLoginProfile':
    case 'GetLoginProfile':
    case 'DeleteLoginProfile':
    case 'ChangePassword': // always the caller's own password (API_ChangePassword.html)
      return caller.arn;
    // The key named belongs to the target user.
    case 'GetAccessKeyLastUsed': return TARGET.user;
    // New entities: the ARN the request would create (default path, as no Path is sent).
    case 'CreateRole': return `${ARN}:role/matrix-role`;
    case 'CreateUser': return `${ARN}:user/matrix-target`;
    case 'CreateGroup': return `${ARN}:group/matrix-group`;
    case 'CreatePolicy': return `${ARN}:policy/matrix-inline`;
    case 'CreateInstanceProfile': return `${ARN}:instance-profile/matrix-profile`;
    case 'CreateOpenIDConnectProvider': return TARGET.oidcProvider;
    case 'CreateVirtualMFADevice': return `${ARN}:mfa/matrix-mfa`;
    // A deletion task is authorized on the service-linked role its id names.
    case 'CreateServiceLinkedRole':
    case 'GetServiceLinkedRoleDeletionStatus':
      return `${ARN}:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS`;
    default: return undefined;
  }
}

/** The resource of an operation on one entity: the entity its input names, most specific first. */
function expectedResource(operation: string, input: Record<string, unknown>, caller: TestUser): string | undefined {
  const special = specialResource(operation, caller);
  if (special !== undefined) return special;
  // SimulatePrincipalPolicy is authorized on the principal it simulates.
  if ('PolicySourceArn' in input) return String(input.PolicySourceArn);
  if ('InstanceProfileName' in input) return TARGET.instanceProfile;
  if ('OpenIDConnectProviderArn' in input) return TARGET.oidcProvider;
  if ('GroupName' in input) return TARGET.group;
  if ('RoleName' in input) return TARGET.role;
  if ('UserName' in input) return TARGET.user;
  if ('PolicyArn' in input) return TARGET.policy;
  if ('SerialNumber' in input) return TARGET.mfaDevice;
  return undefined;
}

/** A value satisfying a shape's model constraints, for required members MEMBER_VALUES doesn't name. */
function placeholder(model: ServiceModel, shape: Shape): unknown {
  switch (shape.type) {
    case 'string': return shape.enum?.[0] ?? 'a'.repeat(Math.max(shape.min ?? 1, 1));
    case 'integer':
    case 'long': return shape.min ?? 1;
    case 'boolean': return false;
    case 'list': return [placeholder(model, model.shape(shape.member!.shape))];
    case 'structure': return minimalInput(model, shape);
    default: throw new Error(`no placeholder for a ${shape.type} member`);
  }
}

/** Every required member of an input shape, and nothing else. */
function minimalInput(model: ServiceModel, shape: Shape): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const member of shape.required ?? []) {
    input[member] = member in MEMBER_VALUES ? MEMBER_VALUES[member] : placeholder(model, model.shape(shape.members![member]!.shape));
  }
  return input;
}

function operationInput(service: QueryService, operation: string): Record<string, unknown> {
  const model = loadServiceModel(service);
  const inputRef = model.operation(operation)?.input;
  assert.ok(model.operation(operation), `${operation} is registered but not in the ${service} model`);
  const input = inputRef ? minimalInput(model, model.shape(inputRef.shape)) : {};
  // The access key operations take the id of an existing key: the target user's.
  if ('AccessKeyId' in input) input.AccessKeyId = targetKeyId;
  return input;
}

let server: E2eServer;
let noPolicies: TestUser;
let explicitDeny: TestUser;
let targetKeyId: string;

before(async () => {
  server = await E2eServer.start();
  const iam = server.iam();
  await iam.send(new CreateRoleCommand({ RoleName: 'matrix-role', Path: PATH, AssumeRolePolicyDocument: TRUST }));
  await iam.send(new CreateUserCommand({ UserName: 'matrix-target', Path: PATH }));
  targetKeyId = (await iam.send(new CreateAccessKeyCommand({ UserName: 'matrix-target' }))).AccessKey!.AccessKeyId!;
  await iam.send(new CreateGroupCommand({ GroupName: 'matrix-group', Path: PATH }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'matrix-group', UserName: 'matrix-target' }));
  await iam.send(new CreatePolicyCommand({ PolicyName: 'matrix-policy', Path: PATH, PolicyDocument: PERMISSIONS }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'matrix-profile', Path: PATH }));
  await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'matrix-mfa', Path: PATH }));
  await iam.send(new CreateOpenIDConnectProviderCommand({
    Url: 'https://oidc.example.com/matrix', ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'],
  }));
  noPolicies = await createUserWithKey(server, 'no-policies');
  explicitDeny = await createUserWithKey(server, 'explicit-deny', {
    'allow-all-but-iam': {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: 'iam:*', Resource: '*' },
      ],
    },
  });
});

after(async () => {
  await server?.stop();
});

// Every IAM operation, and STS's GetCallerIdentity. The other STS calls are decided by the role's trust
// policy or an identity provider's token, not by the caller's identity policies alone: not this matrix.
const REGISTERED: Array<[QueryService, string]> = [
  ...[...OPERATIONS.iam.keys()].map((name): [QueryService, string] => ['iam', name]),
  ['sts', 'GetCallerIdentity'],
];

/** Calls every registered operation as the user and checks each denial's status, code and message. */
async function assertDeniedEverywhere(t: { test: (name: string, fn: () => Promise<void>) => Promise<void> }, caller: TestUser, reason: (action: string) => string) {
  assert.ok(OPERATIONS.iam.size > 50, `the registry lists ${OPERATIONS.iam.size} IAM operations`);
  assert.ok(OPERATIONS.sts.has('GetCallerIdentity'));
  for (const [service, operation] of REGISTERED) {
    await t.test(`${service}:${operation}`, async () => {
      const input = operationInput(service, operation);
      const answer = await queryRequest(server.url, service, operation, input, caller.credentials);
      if (service === 'sts' && operation === 'GetCallerIdentity') {
        assert.equal(answer.status, 200, answer.body);
        assert.match(answer.body, new RegExp(`<Arn>${caller.arn}</Arn>`));
        return;
      }
      const action = `${service}:${operation}`;
      assert.equal(answer.code, 'AccessDenied', `${operation} answered ${answer.status}: ${answer.body}\n${server.serverLog()}`);
      assert.equal(answer.status, 403);
      const resource = expectedResource(operation, input, caller);
      if (resource === undefined) {
        // An operation added after this table: the message must still have AWS's shape.
        assert.match(answer.message!, new RegExp(`^User: ${caller.arn} is not authorized to perform: ${action} on resource: \\S+ ${escape(reason(action))}$`));
      } else {
        assert.equal(answer.message, `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} ${reason(action)}`);
      }
    });
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('a user with no policies is denied every registered operation: AccessDenied, 403, "because no identity-based policy allows"', async (t) => {
  await assertDeniedEverywhere(t, noPolicies, (action) => `because no identity-based policy allows the ${action} action`);
});

test('a user whose policy denies iam:* is denied every registered operation "with an explicit deny in an identity-based policy"', async (t) => {
  await assertDeniedEverywhere(t, explicitDeny, () => 'with an explicit deny in an identity-based policy');
});

test('the denied calls changed nothing: every target entity is still there, unchanged', async () => {
  const iam = server.iam();
  const role = (await iam.send(new GetRoleCommand({ RoleName: 'matrix-role' }))).Role!;
  assert.equal(role.Description, undefined);
  assert.equal(role.PermissionsBoundary, undefined);
  assert.deepEqual(role.Tags ?? [], []);
  assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'matrix-role' }))).PolicyNames, []);
  const user = (await iam.send(new GetUserCommand({ UserName: 'matrix-target' }))).User!;
  assert.equal(user.Arn, TARGET.user);
  assert.deepEqual((await iam.send(new ListUserPoliciesCommand({ UserName: 'matrix-target' }))).PolicyNames, []);
  const group = await iam.send(new GetGroupCommand({ GroupName: 'matrix-group' }));
  assert.deepEqual(group.Users!.map((member) => member.UserName), ['matrix-target']);
  const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: TARGET.policy }))).Policy!;
  assert.equal(policy.DefaultVersionId, 'v1');
  assert.equal(policy.AttachmentCount, 0);
  const profile = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'matrix-profile' }))).InstanceProfile!;
  assert.deepEqual(profile.Roles, []);
  const provider = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: TARGET.oidcProvider }));
  assert.deepEqual(provider.ClientIDList, ['sts.amazonaws.com']);
  assert.deepEqual((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, []);
  const devices = (await iam.send(new ListVirtualMFADevicesCommand({}))).VirtualMFADevices!;
  assert.deepEqual(devices.map((device) => [device.SerialNumber, device.User]), [[TARGET.mfaDevice, undefined]]);
});

// EKS and EKS Auth (REST-JSON): every registered operation, called by the same users, is refused with
// AccessDeniedException and AWS's message naming the action and the cluster or association ARN
// (list_amazonelastickubernetesservice.html, list_amazoneksauth.html) — 403 for EKS, 400 for EKS Auth,
// as their models declare — and changes nothing. Rolecall's own eks:CreateServiceAccountToken (docs/eks.md)
// is authorized like AWS's actions.
const EKS_ARN = `arn:aws:eks:us-east-1:${ACCOUNT_ID}`;
const MATRIX_CLUSTER = `${EKS_ARN}:cluster/matrix-cluster`;

interface EksCase {
  input: () => Record<string, unknown>;
  action: string;
  resource: () => string;
}

let matrixAssociationId: string;
let matrixToken: string;

/** Each registered EKS and EKS Auth operation: a valid input, the action it needs and the resource AWS names. */
const EKS_CASES: Record<string, EksCase> = {
  CreateCluster: {
    input: () => ({ name: 'matrix-new', roleArn: TARGET.role, resourcesVpcConfig: { subnetIds: ['subnet-1'] } }),
    action: 'eks:CreateCluster',
    resource: () => `${EKS_ARN}:cluster/matrix-new`,
  },
  CreateClusterIssuer: { input: () => ({ name: 'matrix-new' }), action: 'eks:CreateCluster', resource: () => `${EKS_ARN}:cluster/matrix-new` },
  DescribeCluster: { input: () => ({ name: 'matrix-cluster' }), action: 'eks:DescribeCluster', resource: () => MATRIX_CLUSTER },
  ListClusters: { input: () => ({}), action: 'eks:ListClusters', resource: () => '*' },
  DeleteCluster: { input: () => ({ name: 'matrix-cluster' }), action: 'eks:DeleteCluster', resource: () => MATRIX_CLUSTER },
  TagResource: { input: () => ({ resourceArn: MATRIX_CLUSTER, tags: { added: 'x' } }), action: 'eks:TagResource', resource: () => MATRIX_CLUSTER },
  UntagResource: { input: () => ({ resourceArn: MATRIX_CLUSTER, tagKeys: ['team'] }), action: 'eks:UntagResource', resource: () => MATRIX_CLUSTER },
  ListTagsForResource: { input: () => ({ resourceArn: MATRIX_CLUSTER }), action: 'eks:ListTagsForResource', resource: () => MATRIX_CLUSTER },
  CreateServiceAccountToken: {
    input: () => ({ clusterName: 'matrix-cluster', namespace: 'matrix', serviceAccount: 'sa' }),
    action: 'eks:CreateServiceAccountToken',
    resource: () => MATRIX_CLUSTER,
  },
  CreatePodIdentityAssociation: {
    input: () => ({ clusterName: 'matrix-cluster', namespace: 'matrix', serviceAccount: 'other', roleArn: `${ARN}:role/matrix-pod-role` }),
    action: 'eks:CreatePodIdentityAssociation',
    resource: () => MATRIX_CLUSTER,
  },
  DescribePodIdentityAssociation: {
    input: () => ({ clusterName: 'matrix-cluster', associationId: matrixAssociationId }),
    action: 'eks:DescribePodIdentityAssociation',
    resource: () => `${EKS_ARN}:podidentityassociation/matrix-cluster/${matrixAssociationId}`,
  },
  UpdatePodIdentityAssociation: {
    input: () => ({ clusterName: 'matrix-cluster', associationId: matrixAssociationId, disableSessionTags: true }),
    action: 'eks:UpdatePodIdentityAssociation',
    resource: () => `${EKS_ARN}:podidentityassociation/matrix-cluster/${matrixAssociationId}`,
  },
  DeletePodIdentityAssociation: {
    input: () => ({ clusterName: 'matrix-cluster', associationId: matrixAssociationId }),
    action: 'eks:DeletePodIdentityAssociation',
    resource: () => `${EKS_ARN}:podidentityassociation/matrix-cluster/${matrixAssociationId}`,
  },
  ListPodIdentityAssociations: { input: () => ({ clusterName: 'matrix-cluster' }), action: 'eks:ListPodIdentityAssociations', resource: () => MATRIX_CLUSTER },
  AssumeRoleForPodIdentity: {
    input: () => ({ clusterName: 'matrix-cluster', token: matrixToken }),
    action: 'eks-auth:AssumeRoleForPodIdentity',
    resource: () => MATRIX_CLUSTER,
  },
};

const EKS_REGISTERED: Array<['eks' | 'eks-auth', string]> = [
  ...EKS_OPERATIONS.map((operation): ['eks', string] => ['eks', operation.name]),
  ...EKS_AUTH_OPERATIONS.map((operation): ['eks-auth', string] => ['eks-auth', operation.name]),
];

async function eksMatrixSetUp(): Promise<void> {
  const root = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
  const podTrust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}';
  await server.iam().send(new CreateRoleCommand({ RoleName: 'matrix-pod-role', AssumeRolePolicyDocument: podTrust }));
  const created = await restJsonCall(server.url, 'eks', 'CreateClusterIssuer', { name: 'matrix-cluster', tags: { team: 'matrix' } }, root);
  assert.equal(created.status, 200, JSON.stringify(created));
  const association = await restJsonCall(server.url, 'eks', 'CreatePodIdentityAssociation', {
    clusterName: 'matrix-cluster', namespace: 'matrix', serviceAccount: 'sa', roleArn: `${ARN}:role/matrix-pod-role`,
  }, root);
  matrixAssociationId = (association.body as { association: { associationId: string } }).association.associationId;
  const minted = await restJsonCall(server.url, 'eks', 'CreateServiceAccountToken', {
    clusterName: 'matrix-cluster', namespace: 'matrix', serviceAccount: 'sa', audiences: ['pods.eks.amazonaws.com'], podName: 'matrix-pod',
  }, root);
  matrixToken = (minted.body as { token: string }).token;
}

async function assertEksDeniedEverywhere(t: { test: (name: string, fn: () => Promise<void>) => Promise<void> }, caller: TestUser, reason: (action: string) => string) {
  if (matrixToken === undefined) await eksMatrixSetUp();
  for (const [service, operation] of EKS_REGISTERED) {
    await t.test(`${service}:${operation}`, async () => {
      const expected = EKS_CASES[operation];
      assert.ok(expected, `${operation} is registered but has no case in the authorization matrix`);
      const answer = await restJsonCall(server.url, service, operation, expected.input(), caller.credentials);
      assert.equal(answer.code, 'AccessDeniedException', `${operation} answered ${answer.status}: ${JSON.stringify(answer)}`);
      assert.equal(answer.status, service === 'eks-auth' ? 400 : 403);
      assert.equal(answer.message, `User: ${caller.arn} is not authorized to perform: ${expected.action} on resource: ${expected.resource()} ${reason(expected.action)}`);
    });
  }
}

test('EKS and EKS Auth: a user with no policies is denied every registered operation', async (t) => {
  await assertEksDeniedEverywhere(t, noPolicies, (action) => `because no identity-based policy allows the ${action} action`);
});

test('EKS and EKS Auth: a user denied eks:* and eks-auth:* is denied every registered operation "with an explicit deny"', async (t) => {
  const eksDeny = await createUserWithKey(server, 'eks-deny', {
    'allow-all-but-eks': {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: ['eks:*', 'eks-auth:*'], Resource: '*' },
      ],
    },
  });
  await assertEksDeniedEverywhere(t, eksDeny, () => 'with an explicit deny in an identity-based policy');
});

test('EKS: the denied calls changed nothing: the cluster, its tags and its association are as they were', async () => {
  const root = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
  if (matrixToken === undefined) await eksMatrixSetUp();
  const tags = await restJsonCall(server.url, 'eks', 'ListTagsForResource', { resourceArn: MATRIX_CLUSTER }, root);
  assert.deepEqual(tags.body, { tags: { team: 'matrix' } });
  const clusters = await restJsonCall(server.url, 'eks', 'ListClusters', {}, root);
  assert.deepEqual(clusters.body, { clusters: ['matrix-cluster'] });
  const association = await restJsonCall(server.url, 'eks', 'DescribePodIdentityAssociation', { clusterName: 'matrix-cluster', associationId: matrixAssociationId }, root);
  assert.equal((association.body as { association: { disableSessionTags: boolean } }).association.disableSessionTags, false);
  const listed = await restJsonCall(server.url, 'eks', 'ListPodIdentityAssociations', { clusterName: 'matrix-cluster' }, root);
  assert.equal((listed.body as { associations: unknown[] }).associations.length, 1);
});

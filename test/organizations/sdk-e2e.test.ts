// Organizations end to end: the real server (startRolecallServer on a loopback port, SQLite in a scratch
// folder) and @aws-sdk/client-organizations, plus raw JSON requests signed with @smithy/signature-v4. An
// organization is built the way a platform team does it (AWS Organizations User Guide, orgs_tutorials_basic.html):
// CreateOrganization, OUs, CreateAccount, SCPs attached and listed; a member account reached through its
// OrganizationAccountAccessRole (orgs_manage_accounts_access.html) sees AWS's member errors; IAM policies
// decide `organizations:*` calls on the resources' ARNs (list_awsorganizations.html).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import {
  AccessDeniedException, AttachPolicyCommand, AWSOrganizationsNotInUseException, CreateAccountCommand, CreateOrganizationalUnitCommand,
  CreateOrganizationCommand, CreatePolicyCommand, DescribeAccountCommand, DescribeOrganizationCommand, DetachPolicyCommand,
  DuplicatePolicyAttachmentException, ListChildrenCommand, ListPoliciesForTargetCommand, ListRootsCommand, ListTargetsForPolicyCommand,
  MalformedPolicyDocumentException, MoveAccountCommand, OrganizationsClient, paginateListAccounts, ConstraintViolationException,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Role } from '../../src/model/entities.js';
import { startRolecallServer, type RunningServer } from '../../src/server/rolecall-server.js';

const MANAGEMENT = '123456789012';
const ROOT = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const DENY_LEAVING = '{"Version":"2012-10-17","Statement":[{"Sid":"DenyLeavingOrganization","Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}';

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

let server: RunningServer;
let workDir: string;
const clients: Array<{ destroy(): void }> = [];

function organizations(credentials: Credentials): OrganizationsClient {
  const client = new OrganizationsClient({ region: 'us-east-1', endpoint: server.url, credentials, maxAttempts: 1 });
  clients.push(client);
  return client;
}

/** An IAM user of the management account with an access key and, if given, one inline policy. */
async function userWithKey(name: string, policy?: object): Promise<Credentials> {
  const iam = new IAMClient({ region: 'us-east-1', endpoint: server.url, credentials: ROOT, maxAttempts: 1 });
  clients.push(iam);
  await iam.send(new CreateUserCommand({ UserName: name }));
  if (policy) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'inline', PolicyDocument: JSON.stringify(policy) }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

/** The modelled exception a call fails with. */
async function failure<T>(call: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await call;
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new assert.AssertionError({ message: `expected ${type.name}` });
}

let admin: OrganizationsClient;
let adminCredentials: Credentials;
let organizationId: string;
let rootId: string;
let devAccount: string;

before(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'rolecall-organizations-'));
  server = await startRolecallServer({
    port: 0,
    dataDir: join(workDir, 'data'),
    env: { ROLECALL_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, ROLECALL_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey },
    accessLog: false,
  });
  adminCredentials = await userWithKey('org-admin', {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['organizations:*', 'sts:AssumeRole'], Resource: '*' }],
  });
  admin = organizations(adminCredentials);
});

after(async () => {
  for (const client of clients) client.destroy();
  await server?.close();
  await rm(workDir, { recursive: true, force: true });
});

test('An account in no organization: AWSOrganizationsNotInUseException; then CreateOrganization makes it the management account', async () => {
  const error = await failure(admin.send(new DescribeOrganizationCommand({})), AWSOrganizationsNotInUseException);
  assert.equal(error.message, 'Your account is not a member of an organization.');
  assert.equal(error.$metadata.httpStatusCode, 400);
  const { Organization } = await admin.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  assert.equal(Organization!.MasterAccountId, MANAGEMENT);
  assert.match(Organization!.Id!, /^o-[a-z0-9]{10}$/);
  organizationId = Organization!.Id!;
  rootId = (await admin.send(new ListRootsCommand({}))).Roots![0]!.Id!;
  assert.match(rootId, /^r-[a-z0-9]{4}$/);
});

test('OUs and accounts: CreateAccount gives a new account with OrganizationAccountAccessRole; MoveAccount files it', async () => {
  const { OrganizationalUnit } = await admin.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Workloads' }));
  const { CreateAccountStatus } = await admin.send(new CreateAccountCommand({ Email: 'dev@example.com', AccountName: 'dev' }));
  assert.equal(CreateAccountStatus!.State, 'SUCCEEDED');
  assert.ok(CreateAccountStatus!.RequestedTimestamp instanceof Date);
  devAccount = CreateAccountStatus!.AccountId!;
  await admin.send(new MoveAccountCommand({ AccountId: devAccount, SourceParentId: rootId, DestinationParentId: OrganizationalUnit!.Id! }));
  const children = await admin.send(new ListChildrenCommand({ ParentId: OrganizationalUnit!.Id!, ChildType: 'ACCOUNT' }));
  assert.deepEqual(children.Children, [{ Id: devAccount, Type: 'ACCOUNT' }]);
  const accounts = [];
  for await (const page of paginateListAccounts({ client: admin, pageSize: 1 }, {})) accounts.push(...page.Accounts!);
  assert.deepEqual(accounts.map((account) => account.Id).sort(), [MANAGEMENT, devAccount].sort());
  const role = await server.store.read((reader) => reader.get<Role>('role', devAccount, 'OrganizationAccountAccessRole'));
  assert.equal(role?.Arn, `arn:aws:iam::${devAccount}:role/OrganizationAccountAccessRole`);
});

test('SCPs: CreatePolicy, AttachPolicy, ListPoliciesForTarget, ListTargetsForPolicy; AWS errors as modelled exceptions', async () => {
  const { Policy } = await admin.send(new CreatePolicyCommand({
    Name: 'DenyLeaving', Description: 'seed 003 guardrail', Type: 'SERVICE_CONTROL_POLICY', Content: DENY_LEAVING,
  }));
  const policyId = Policy!.PolicySummary!.Id!;
  assert.equal(Policy!.Content, DENY_LEAVING);
  await admin.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: devAccount }));
  const duplicate = await failure(admin.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: devAccount })), DuplicatePolicyAttachmentException);
  assert.equal(duplicate.message, 'The selected policy is already attached to the specified target.');
  const attached = await admin.send(new ListPoliciesForTargetCommand({ TargetId: devAccount, Filter: 'SERVICE_CONTROL_POLICY' }));
  assert.deepEqual(attached.Policies!.map((policy) => policy.Name).sort(), ['DenyLeaving', 'FullAWSAccess']);
  const targets = await admin.send(new ListTargetsForPolicyCommand({ PolicyId: policyId }));
  assert.deepEqual(targets.Targets, [
    { TargetId: devAccount, Arn: `arn:aws:organizations::${MANAGEMENT}:account/${organizationId}/${devAccount}`, Name: 'dev', Type: 'ACCOUNT' },
  ]);
  const last = await failure(admin.send(new DetachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: rootId })), ConstraintViolationException);
  assert.equal(last.Reason, 'MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');
  const malformed = await failure(admin.send(new CreatePolicyCommand({
    Name: 'Bad', Description: '', Type: 'SERVICE_CONTROL_POLICY', Content: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}',
  })), MalformedPolicyDocumentException);
  assert.equal(malformed.message, 'The provided policy document does not meet the requirements of the specified policy type.');
});

test('A member account (through OrganizationAccountAccessRole) may DescribeOrganization but nothing the management account does', async () => {
  const sts = new STSClient({ region: 'us-east-1', endpoint: server.url, credentials: adminCredentials, maxAttempts: 1 });
  clients.push(sts);
  const { Credentials: session } = await sts.send(new AssumeRoleCommand({
    RoleArn: `arn:aws:iam::${devAccount}:role/OrganizationAccountAccessRole`, RoleSessionName: 'platform',
  }));
  const member = organizations({ accessKeyId: session!.AccessKeyId!, secretAccessKey: session!.SecretAccessKey!, sessionToken: session!.SessionToken! });
  const { Organization } = await member.send(new DescribeOrganizationCommand({}));
  assert.equal(Organization!.MasterAccountId, MANAGEMENT);
  const denied = await failure(member.send(new DescribeAccountCommand({ AccountId: devAccount })), AccessDeniedException);
  assert.equal(denied.message, "You don't have permissions to access this resource.");
});

test('IAM decides organizations:* on the resources\' ARNs; denials are AccessDeniedException with IAM\'s sentence', async () => {
  const nobody = organizations(await userWithKey('nobody'));
  const denied = await failure(nobody.send(new DescribeOrganizationCommand({})), AccessDeniedException);
  assert.equal(
    denied.message,
    `User: arn:aws:iam::${MANAGEMENT}:user/nobody is not authorized to perform: organizations:DescribeOrganization on resource: * because no identity-based policy allows the organizations:DescribeOrganization action`,
  );
  const reader = organizations(await userWithKey('dev-reader', {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'organizations:DescribeAccount', Resource: `arn:aws:organizations::${MANAGEMENT}:account/o-*/${devAccount}` }],
  }));
  assert.equal((await reader.send(new DescribeAccountCommand({ AccountId: devAccount }))).Account!.Name, 'dev');
  const other = await failure(reader.send(new DescribeAccountCommand({ AccountId: MANAGEMENT })), AccessDeniedException);
  assert.match(other.message, new RegExp(`organizations:DescribeAccount on resource: arn:aws:organizations::${MANAGEMENT}:account/o-[a-z0-9]+/${MANAGEMENT} `));
});

/** A raw JSON-protocol request, signed for `organizations` unless `credentials` is undefined. */
async function rawRequest(target: string, body: string, credentials: Credentials = ROOT): Promise<{ status: number; contentType: string | null; json: Record<string, unknown> }> {
  const endpoint = new URL(server.url);
  const headers = { host: endpoint.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target };
  const signer = new SignatureV4({ service: 'organizations', region: 'us-east-1', credentials, sha256: Sha256 });
  const signed = await signer.sign({ method: 'POST', protocol: endpoint.protocol, hostname: endpoint.hostname, port: Number(endpoint.port), path: '/', headers, body });
  const { host: _host, ...sent } = signed.headers;
  const response = await fetch(server.url, { method: 'POST', headers: sent, body });
  return { status: response.status, contentType: response.headers.get('content-type'), json: (await response.json()) as Record<string, unknown> };
}

test('Raw JSON requests: AWS JSON errors for bad bodies, unknown operations, bad input and unknown keys', async () => {
  const ok = await rawRequest('AWSOrganizationsV20161128.DescribeOrganization', '{}');
  assert.equal(ok.status, 200);
  assert.equal(ok.contentType, 'application/x-amz-json-1.1');
  assert.equal((ok.json.Organization as { MasterAccountId: string }).MasterAccountId, MANAGEMENT);

  const garbled = await rawRequest('AWSOrganizationsV20161128.ListAccounts', '{"MaxResults":');
  assert.equal(garbled.status, 400);
  assert.equal(garbled.json.__type, 'SerializationException');
  const unknown = await rawRequest('AWSOrganizationsV20161128.LaunchRockets', '{}');
  assert.equal(unknown.status, 400);
  assert.equal(unknown.json.__type, 'UnknownOperationException');
  const badId = await rawRequest('AWSOrganizationsV20161128.DescribeAccount', '{"AccountId":"12345"}');
  assert.deepEqual(badId.json, { __type: 'InvalidInputException', Message: 'You provided a value that does not match the required pattern.', Reason: 'INVALID_PATTERN' });
  const stranger = await rawRequest('AWSOrganizationsV20161128.DescribeOrganization', '{}', { accessKeyId: 'AKIAEXAMPLEUNKNOWN00', secretAccessKey: ROOT.secretAccessKey });
  assert.equal(stranger.status, 400);
  assert.equal(stranger.json.__type, 'UnrecognizedClientException');
  assert.equal(stranger.json.message, 'The security token included in the request is invalid.');
});

test('Each call is audited as a CloudTrail event of organizations.amazonaws.com', async () => {
  // The audit trail is written in batches shortly after each call: wait for the batch, not for a time.
  let records = await server.store.queryAudit({ eventName: 'CreateOrganization' });
  for (let attempt = 0; records.length === 0 && attempt < 200; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    records = await server.store.queryAudit({ eventName: 'CreateOrganization' });
  }
  assert.equal(records.length, 1);
  const event = records[0]!.event as { eventSource: string; awsRegion: string; userIdentity: { arn: string }; responseElements: { organization: { masterAccountId: string } } };
  assert.equal(event.eventSource, 'organizations.amazonaws.com');
  assert.equal(event.awsRegion, 'us-east-1');
  assert.equal(event.userIdentity.arn, `arn:aws:iam::${MANAGEMENT}:user/org-admin`);
  assert.equal(event.responseElements.organization.masterAccountId, MANAGEMENT);
  const denied = await server.store.queryAudit({ eventName: 'DescribeOrganization', errorsOnly: true });
  assert.ok(denied.some((record) => record.errorCode === 'AccessDeniedException'));
});

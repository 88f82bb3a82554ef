// SCPs capping real requests (orgs_manage_policies_scps_evaluation.html): a member account's principals,
// reached through OrganizationAccountAccessRole, are refused what an SCP denies or fails to allow at any
// level, with IAM's AccessDenied sentence naming the service control policy; the management account is
// exempt. Needs auth/authorize.ts to hand the engine organizationPoliciesFor() (docs/organizations.md).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, IAMServiceException, ListRolesCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import {
  AttachPolicyCommand, CreateAccountCommand, CreateOrganizationalUnitCommand, CreateOrganizationCommand, CreatePolicyCommand, DetachPolicyCommand,
  ListRootsCommand, MoveAccountCommand, OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { startRolecallServer, type RunningServer } from '../../src/server/rolecall-server.js';

const MANAGEMENT = '123456789012';
const ROOT = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const DENY_CREATE_USER = { Version: '2012-10-17', Statement: [{ Sid: 'NoIamUsers', Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' }] };
const ALLOW_ORGANIZATIONS_ONLY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['organizations:*', 'sts:*'], Resource: '*' }] };

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

let server: RunningServer;
let workDir: string;
let admin: Credentials;
let platform: string;
let sandbox: string;
const clients: Array<{ destroy(): void }> = [];

function client<T extends { destroy(): void }>(make: new (config: object) => T, credentials: Credentials): T {
  const made = new make({ region: 'us-east-1', endpoint: server.url, credentials, maxAttempts: 1 });
  clients.push(made);
  return made;
}

/** Credentials of OrganizationAccountAccessRole in a member account, assumed by the management account's admin. */
async function memberSession(account: string): Promise<Credentials> {
  const { Credentials: session } = await client(STSClient, admin).send(new AssumeRoleCommand({
    RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'platform',
  }));
  return { accessKeyId: session!.AccessKeyId!, secretAccessKey: session!.SecretAccessKey!, sessionToken: session!.SessionToken! };
}

async function iamError(call: Promise<unknown>): Promise<IAMServiceException> {
  try {
    await call;
  } catch (error) {
    if (error instanceof IAMServiceException) return error;
    throw error;
  }
  throw new assert.AssertionError({ message: 'expected the call to be denied' });
}

before(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'rolecall-scp-'));
  server = await startRolecallServer({
    port: 0,
    dataDir: join(workDir, 'data'),
    env: { ROLECALL_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, ROLECALL_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey },
    accessLog: false,
  });
  const iam = client(IAMClient, ROOT);
  await iam.send(new CreateUserCommand({ UserName: 'org-admin' }));
  await iam.send(new PutUserPolicyCommand({
    UserName: 'org-admin',
    PolicyName: 'admin',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
  }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'org-admin' }));
  admin = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };

  const organizations = client(OrganizationsClient, admin);
  await organizations.send(new CreateOrganizationCommand({}));
  const rootId = (await organizations.send(new ListRootsCommand({}))).Roots![0]!.Id!;
  const account = async (name: string) =>
    (await organizations.send(new CreateAccountCommand({ Email: `${name}@example.com`, AccountName: name }))).CreateAccountStatus!.AccountId!;
  platform = await account('platform');
  sandbox = await account('sandbox');
  const { Policy } = await organizations.send(new CreatePolicyCommand({
    Name: 'NoIamUsers', Description: 'no long-term users', Type: 'SERVICE_CONTROL_POLICY', Content: JSON.stringify(DENY_CREATE_USER),
  }));
  await organizations.send(new AttachPolicyCommand({ PolicyId: Policy!.PolicySummary!.Id!, TargetId: rootId }));
  // The sandbox OU keeps only organizations:* and sts:* — FullAWSAccess detached.
  const { OrganizationalUnit } = await organizations.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Sandbox' }));
  const { Policy: narrow } = await organizations.send(new CreatePolicyCommand({
    Name: 'OrganizationsOnly', Description: 'sandbox', Type: 'SERVICE_CONTROL_POLICY', Content: JSON.stringify(ALLOW_ORGANIZATIONS_ONLY),
  }));
  await organizations.send(new AttachPolicyCommand({ PolicyId: narrow!.PolicySummary!.Id!, TargetId: OrganizationalUnit!.Id! }));
  await organizations.send(new DetachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: OrganizationalUnit!.Id! }));
  await organizations.send(new MoveAccountCommand({ AccountId: sandbox, SourceParentId: rootId, DestinationParentId: OrganizationalUnit!.Id! }));
});

after(async () => {
  for (const made of clients) made.destroy();
  await server?.close();
  await rm(workDir, { recursive: true, force: true });
});

test('An SCP deny at the root binds a member account\'s administrator role', async () => {
  const iam = client(IAMClient, await memberSession(platform));
  await iam.send(new ListRolesCommand({}));
  const denied = await iamError(iam.send(new CreateUserCommand({ UserName: 'shadow' })));
  assert.equal(denied.name, 'AccessDenied');
  assert.equal(
    denied.message,
    `User: arn:aws:sts::${platform}:assumed-role/OrganizationAccountAccessRole/platform is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${platform}:user/shadow with an explicit deny in a service control policy`,
  );
});

test('The management account is exempt from the same SCP', async () => {
  const iam = client(IAMClient, admin);
  const created = await iam.send(new CreateUserCommand({ UserName: 'allowed-here' }));
  assert.equal(created.User!.Arn, `arn:aws:iam::${MANAGEMENT}:user/allowed-here`);
});

test('FullAWSAccess detached from an OU: its accounts may do only what the OU\'s SCP allows', async () => {
  const iam = client(IAMClient, await memberSession(sandbox));
  const denied = await iamError(iam.send(new ListRolesCommand({})));
  assert.equal(
    denied.message,
    `User: arn:aws:sts::${sandbox}:assumed-role/OrganizationAccountAccessRole/platform is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::${sandbox}:role/ because no service control policy allows the iam:ListRoles action`,
  );
});

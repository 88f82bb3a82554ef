/**
 * STS end to end: the real `rolecall serve` and real clients — the pip AWS CLI v1, the official AWS CLI v2,
 * boto3, @aws-sdk/client-sts with @aws-sdk/credential-providers' fromTemporaryCredentials. Covers seed
 * 003's and 004's cross-account role with ExternalId (API_AssumeRole.html,
 * id_roles_create_for-user_externalid.html), the one-hour role-chaining cap, session-policy narrowing,
 * session tags as aws:PrincipalTag (id_session-tags.html), GetSessionToken, a tampered token
 * (InvalidClientTokenId), and an audit trail with no secrets in it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, ListRolesCommand, PutRolePolicyCommand, PutUserPolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { ACCOUNT_ID, cliError, cliJson, E2eServer, ROOT, type CommandResult, type Credentials } from '../e2e/harness.js';

/** Seed 003's source account ("account A"); the target ("account B") is the server's default account. */
const SOURCE = '111111111111';
const TARGET = ACCOUNT_ID;
const SEED_003_EXTERNAL_ID = 'unique-external-id-for-this-relationship';
const SEED_004_EXTERNAL_ID = 'unique-external-id-12345';

interface SessionCredentials extends Credentials {
  sessionToken: string;
}

let server: E2eServer;
let sourceRoot: Credentials;
/** An IAM user of each account allowed to assume roles: AWS refuses the root user ("Roles may not be assumed by root accounts."). */
let sourceDeployer: Credentials;
let targetOperator: Credentials;
/** Every secret the clients were handed: none may appear in the audit trail. */
const secretsHandedOut: string[] = [ROOT.secretAccessKey];

/** Seed 003's trust policy for the cross-account role, as printed there. */
const seed003Trust = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::${SOURCE}:role/DeploymentRole"
      },
      "Action": "sts:AssumeRole",
      "Condition": {
        "StringEquals": {
          "sts:ExternalId": "${SEED_003_EXTERNAL_ID}"
        }
      }
    }
  ]
}`;

/** Seed 004's trust policy on "Account B's role", with ACCOUNT-A-ID filled in. */
const seed004Trust = `{
"Statement": [{
"Effect": "Allow",
"Principal": {
"AWS": "arn:aws:iam::${SOURCE}:role/deployment-role"
},
"Action": "sts:AssumeRole",
"Condition": {
"StringEquals": {
"sts:ExternalId": "${SEED_004_EXTERNAL_ID}"
}
}
}]
}`;

const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

before(async () => {
  server = await E2eServer.start();
  const created = await server.rolecall(['account', 'create', '--id', SOURCE, '--name', 'source']);
  assert.equal(created.status, 0, created.stderr);
  sourceRoot = {
    accessKeyId: /AWS_ACCESS_KEY_ID=(\S+)/.exec(created.stdout)![1]!,
    secretAccessKey: /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(created.stdout)![1]!,
  };
  secretsHandedOut.push(sourceRoot.secretAccessKey);

  // Account A: the deployment roles (seed 003 and seed 004 names), trusted by A, allowed to assume into B.
  const source = server.iam(sourceRoot);
  for (const name of ['DeploymentRole', 'deployment-role']) {
    await source.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${SOURCE}:root` }, Action: 'sts:AssumeRole' }) }));
    await source.send(
      new PutRolePolicyCommand({ RoleName: name, PolicyName: 'assume-into-target', PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${TARGET}:role/*` }) }),
    );
  }
  sourceDeployer = await userWithKey(source, 'deployer');

  // Account B: the cross-account roles, exactly as the seeds print their trust policies.
  const target = server.iam();
  targetOperator = await userWithKey(target, 'operator');
  await target.send(new CreateRoleCommand({ RoleName: 'CrossAccountRole', AssumeRolePolicyDocument: seed003Trust, MaxSessionDuration: 43200 }));
  await target.send(new CreateRoleCommand({ RoleName: 'cross-account-role', AssumeRolePolicyDocument: seed004Trust }));
  for (const name of ['CrossAccountRole', 'cross-account-role']) {
    await target.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'read', PolicyDocument: doc({ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }) }));
  }
});

/** Creates a user allowed sts:AssumeRole and sts:TagSession on every role, with an access key. */
async function userWithKey(iam: IAMClient, userName: string): Promise<Credentials> {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'assume', PolicyDocument: doc({ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: '*' }) }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  secretsHandedOut.push(AccessKey!.SecretAccessKey!);
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

after(async () => {
  await server?.stop();
});

/** The CLI's session credentials from an assume-role / get-session-token answer. */
function sessionOf(result: CommandResult): SessionCredentials {
  const { Credentials } = cliJson<{ Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } }>(result);
  secretsHandedOut.push(Credentials.SecretAccessKey, Credentials.SessionToken);
  return { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretAccessKey, sessionToken: Credentials.SessionToken };
}

/** Runs an AWS CLI command signed with session credentials (AWS_SESSION_TOKEN). */
function withSession(cli: 'v1' | 'v2', credentials: SessionCredentials, command: string): Promise<CommandResult> {
  return server.bash(`export AWS_SESSION_TOKEN='${credentials.sessionToken}'\naws ${command} --output json`, cli, { credentials });
}

const aws = (cli: 'v1' | 'v2', args: string[], credentials?: Credentials) => (cli === 'v1' ? server.awsV1(args, credentials ? { credentials } : {}) : server.awsV2(args, credentials ? { credentials } : {}));

for (const { cli, deployment, crossAccount, externalId } of [
  { cli: 'v1' as const, deployment: 'DeploymentRole', crossAccount: 'CrossAccountRole', externalId: SEED_003_EXTERNAL_ID },
  { cli: 'v2' as const, deployment: 'deployment-role', crossAccount: 'cross-account-role', externalId: SEED_004_EXTERNAL_ID },
]) {
  test(`AWS CLI ${cli}: cross-account assume-role succeeds only with the right ExternalId (seed ${cli === 'v1' ? '003' : '004'})`, async () => {
    const first = sessionOf(await aws(cli, ['sts', 'assume-role', '--role-arn', `arn:aws:iam::${SOURCE}:role/${deployment}`, '--role-session-name', 'deploy'], sourceDeployer));
    assert.match(first.accessKeyId, /^ASIA/);
    const targetArn = `arn:aws:iam::${TARGET}:role/${crossAccount}`;
    const sessionArn = `arn:aws:sts::${SOURCE}:assumed-role/${deployment}/deploy`;
    const deniedMessage = `User: ${sessionArn} is not authorized to perform: sts:AssumeRole on resource: ${targetArn}`;

    const missing = cliError(await withSession(cli, first, `sts assume-role --role-arn ${targetArn} --role-session-name cross`));
    assert.deepEqual(missing, { code: 'AccessDenied', operation: 'AssumeRole', message: deniedMessage });
    const wrong = cliError(await withSession(cli, first, `sts assume-role --role-arn ${targetArn} --role-session-name cross --external-id not-the-right-one`));
    assert.deepEqual(wrong, { code: 'AccessDenied', operation: 'AssumeRole', message: deniedMessage });

    const crossed = await withSession(cli, first, `sts assume-role --role-arn ${targetArn} --role-session-name cross --external-id ${externalId}`);
    const answer = cliJson<{ AssumedRoleUser: { Arn: string; AssumedRoleId: string } }>(crossed);
    assert.equal(answer.AssumedRoleUser.Arn, `arn:aws:sts::${TARGET}:assumed-role/${crossAccount}/cross`);
    assert.match(answer.AssumedRoleUser.AssumedRoleId, /^AROA[A-Z2-7]{17}:cross$/);
    const second = sessionOf(crossed);
    const identity = cliJson<{ Arn: string; Account: string; UserId: string }>(await withSession(cli, second, 'sts get-caller-identity'));
    assert.deepEqual(identity, { UserId: answer.AssumedRoleUser.AssumedRoleId, Account: TARGET, Arn: answer.AssumedRoleUser.Arn });
    const roles = cliJson<{ Roles: unknown[] }>(await withSession(cli, second, 'iam list-roles'));
    assert.ok(roles.Roles.length >= 2);
  });
}

test('AWS CLI v1: a chained session is capped at one hour, whatever the role allows', async () => {
  const first = sessionOf(await server.awsV1(['sts', 'assume-role', '--role-arn', `arn:aws:iam::${SOURCE}:role/DeploymentRole`, '--role-session-name', 'deploy'], { credentials: sourceDeployer }));
  const targetArn = `arn:aws:iam::${TARGET}:role/CrossAccountRole`;
  const tooLong = cliError(
    await withSession('v1', first, `sts assume-role --role-arn ${targetArn} --role-session-name cross --external-id ${SEED_003_EXTERNAL_ID} --duration-seconds 7200`),
  );
  assert.deepEqual(tooLong, {
    code: 'ValidationError',
    operation: 'AssumeRole',
    message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
  });
  const hour = cliJson<{ Credentials: { Expiration: string } }>(
    await withSession('v1', first, `sts assume-role --role-arn ${targetArn} --role-session-name cross --external-id ${SEED_003_EXTERNAL_ID} --duration-seconds 3600`),
  );
  const remaining = Date.parse(hour.Credentials.Expiration) - Date.now();
  assert.ok(remaining > 3000 * 1000 && remaining <= 3600 * 1000, `expires in ${remaining} ms`);
});

test('AWS CLI v2: a session policy narrows the session; session tags are aws:PrincipalTag in later authorizations', async () => {
  const root = server.iam();
  await root.send(
    new CreateRoleCommand({
      RoleName: 'abac-role',
      AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TARGET}:root` }, Action: ['sts:AssumeRole', 'sts:TagSession'] }),
    }),
  );
  await root.send(
    new PutRolePolicyCommand({
      RoleName: 'abac-role',
      PolicyName: 'abac',
      PolicyDocument: doc(
        { Effect: 'Allow', Action: ['iam:ListRoles', 'iam:GetRole'], Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'payments' } } },
        { Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' },
      ),
    }),
  );
  const roleArn = `arn:aws:iam::${TARGET}:role/abac-role`;
  const tagged = sessionOf(await server.awsV2(['sts', 'assume-role', '--role-arn', roleArn, '--role-session-name', 'tagged', '--tags', 'Key=team,Value=payments'], { credentials: targetOperator }));
  assert.ok(cliJson<{ Roles: unknown[] }>(await withSession('v2', tagged, 'iam list-roles')).Roles.length > 0);
  const other = sessionOf(await server.awsV2(['sts', 'assume-role', '--role-arn', roleArn, '--role-session-name', 'other', '--tags', 'Key=team,Value=search'], { credentials: targetOperator }));
  const denied = cliError(await withSession('v2', other, 'iam list-roles'));
  assert.equal(denied.code, 'AccessDenied');
  assert.match(
    denied.message,
    new RegExp(`^User: arn:aws:sts::${TARGET}:assumed-role/abac-role/other is not authorized to perform: iam:ListRoles on resource: \\S+ because no identity-based policy allows the iam:ListRoles action$`),
  );
  assert.ok(cliJson<{ Users: unknown[] }>(await withSession('v2', other, 'iam list-users')).Users);

  const narrowed = sessionOf(
    await server.awsV2([
      'sts',
      'assume-role',
      '--role-arn',
      roleArn,
      '--role-session-name',
      'narrowed',
      '--tags',
      'Key=team,Value=payments',
      '--policy',
      doc({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }),
    ], { credentials: targetOperator }),
  );
  assert.ok(cliJson<{ Users: unknown[] }>(await withSession('v2', narrowed, 'iam list-users')).Users);
  const cut = cliError(await withSession('v2', narrowed, 'iam list-roles'));
  assert.equal(cut.code, 'AccessDenied');
  assert.match(cut.message, /because no session policy allows the iam:ListRoles action$/);
});

test('AWS CLI v1: a tampered session token is InvalidClientTokenId; a session key without its token too', async () => {
  const session = sessionOf(await server.awsV1(['sts', 'get-session-token']));
  const middle = Math.floor(session.sessionToken.length / 2);
  const tampered = { ...session, sessionToken: `${session.sessionToken.slice(0, middle)}${session.sessionToken[middle] === 'A' ? 'B' : 'A'}${session.sessionToken.slice(middle + 1)}` };
  const rejected = cliError(await withSession('v1', tampered, 'sts get-caller-identity'));
  assert.deepEqual(rejected, { code: 'InvalidClientTokenId', operation: 'GetCallerIdentity', message: 'The security token included in the request is invalid' });
  const bare = cliError(await server.awsV1(['sts', 'get-caller-identity'], { credentials: { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey } }));
  assert.deepEqual(bare, { code: 'InvalidClientTokenId', operation: 'GetCallerIdentity', message: 'The security token included in the request is invalid.' });
  const root = cliJson<{ Arn: string }>(await withSession('v1', session, 'sts get-caller-identity'));
  assert.equal(root.Arn, `arn:aws:iam::${TARGET}:root`);
});

test('@aws-sdk/client-sts with fromTemporaryCredentials: a provider of role credentials, and a chained one capped at an hour', async () => {
  const clientConfig = { endpoint: server.url, region: 'us-east-1', maxAttempts: 1 };
  const deployment = fromTemporaryCredentials({
    masterCredentials: sourceDeployer,
    params: { RoleArn: `arn:aws:iam::${SOURCE}:role/DeploymentRole`, RoleSessionName: 'sdk', DurationSeconds: 900 },
    clientConfig,
  });
  const asDeployment = new STSClient({ ...clientConfig, credentials: deployment });
  const identity = await asDeployment.send(new GetCallerIdentityCommand({}));
  const deploymentCredentials = await deployment();
  secretsHandedOut.push(deploymentCredentials.secretAccessKey, deploymentCredentials.sessionToken ?? '');
  assert.equal(identity.Arn, `arn:aws:sts::${SOURCE}:assumed-role/DeploymentRole/sdk`);

  const crossParams = { RoleArn: `arn:aws:iam::${TARGET}:role/CrossAccountRole`, RoleSessionName: 'sdk-cross', ExternalId: SEED_003_EXTERNAL_ID };
  const cross = fromTemporaryCredentials({ masterCredentials: deployment, params: crossParams, clientConfig });
  const roles = await new IAMClient({ ...clientConfig, credentials: cross }).send(new ListRolesCommand({}));
  assert.ok((roles.Roles ?? []).some((role) => role.RoleName === 'CrossAccountRole'));
  const creds = await cross();
  secretsHandedOut.push(creds.secretAccessKey, creds.sessionToken ?? '');

  const tooLong = fromTemporaryCredentials({ masterCredentials: deployment, params: { ...crossParams, DurationSeconds: 7200 }, clientConfig });
  await assert.rejects(tooLong(), (error: Error) => {
    assert.equal(error.name, 'ValidationError');
    assert.equal(error.message, 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    return true;
  });

  const sts = server.sts();
  const sessionToken = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
  secretsHandedOut.push(sessionToken.Credentials!.SecretAccessKey!, sessionToken.Credentials!.SessionToken!);
  const fromSession = new STSClient({
    ...clientConfig,
    credentials: { accessKeyId: sessionToken.Credentials!.AccessKeyId!, secretAccessKey: sessionToken.Credentials!.SecretAccessKey!, sessionToken: sessionToken.Credentials!.SessionToken! },
  });
  await assert.rejects(fromSession.send(new GetSessionTokenCommand({})), (error: STSServiceException) => {
    assert.equal(error.name, 'AccessDenied');
    assert.equal(error.message, 'Cannot call GetSessionToken with session credentials');
    assert.equal(error.$metadata.httpStatusCode, 403);
    return true;
  });
  await assert.rejects(sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${TARGET}:role/CrossAccountRole`, RoleSessionName: 'root' })), (error: STSServiceException) => {
    assert.equal(error.name, 'AccessDenied');
    assert.equal(error.message, 'Roles may not be assumed by root accounts.');
    return true;
  });
});

test('boto3 assume_role: seed 004 "In Account A: assume the role in Account B", then the credentials work', async () => {
  const script = `
src_iam, src_sts = session_for(inp['source']['accessKeyId'], inp['source']['secretAccessKey'])
first = src_sts.assume_role(RoleArn=inp['deployment'], RoleSessionName='deployment')['Credentials']
chained = boto3.session.Session(aws_access_key_id=first['AccessKeyId'], aws_secret_access_key=first['SecretAccessKey'],
                                aws_session_token=first['SessionToken'], region_name='us-east-1')
sts_a = chained.client('sts', endpoint_url=os.environ['ROLECALL_URL'], config=_config)
wrong = client_error(sts_a.assume_role, RoleArn=inp['target'], RoleSessionName='deployment-session', ExternalId='guess-guess')
response = sts_a.assume_role(
    RoleArn=inp['target'],
    RoleSessionName="deployment-session",
    ExternalId="${SEED_004_EXTERNAL_ID}",
)
credentials = response["Credentials"]
b = boto3.session.Session(aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"],
                          aws_session_token=credentials["SessionToken"], region_name='us-east-1')
who = b.client('sts', endpoint_url=os.environ['ROLECALL_URL'], config=_config).get_caller_identity()
roles = b.client('iam', endpoint_url=os.environ['ROLECALL_URL'], config=_config).list_roles()['Roles']
out = {'wrong': wrong, 'arn': who['Arn'], 'account': who['Account'], 'roles': len(roles),
       'expires_in': (credentials['Expiration'] - datetime.datetime.now(datetime.timezone.utc)).total_seconds(),
       'secrets': [first['SecretAccessKey'], first['SessionToken'], credentials['SecretAccessKey'], credentials['SessionToken']]}
`;
  const out = (await server.boto3(script, {
    source: sourceDeployer,
    deployment: `arn:aws:iam::${SOURCE}:role/deployment-role`,
    target: `arn:aws:iam::${TARGET}:role/cross-account-role`,
  })) as { wrong: { code: string; message: string; status: number }; arn: string; account: string; roles: number; expires_in: number; secrets: string[] };
  secretsHandedOut.push(...out.secrets);
  assert.deepEqual(out.wrong, {
    code: 'AccessDenied',
    message: `User: arn:aws:sts::${SOURCE}:assumed-role/deployment-role/deployment is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${TARGET}:role/cross-account-role`,
    status: 403,
  });
  assert.equal(out.arn, `arn:aws:sts::${TARGET}:assumed-role/cross-account-role/deployment-session`);
  assert.equal(out.account, TARGET);
  assert.ok(out.roles >= 2);
  assert.ok(out.expires_in > 3000 && out.expires_in <= 3600, `expires in ${out.expires_in} s`);
});

test('the audit trail records the STS calls and no secret handed out (rolecall audit)', async () => {
  // The server writes its audit trail in small batches: read until the calls above are all there.
  let events: Array<Record<string, unknown>> = [];
  for (let attempt = 0; attempt < 50; attempt++) {
    const result = await server.rolecall(['audit']);
    assert.equal(result.status, 0, result.stderr);
    events = result.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    // boto3's session, the last one the tests above used, listed roles.
    const last = `arn:aws:sts::${TARGET}:assumed-role/cross-account-role/deployment-session`;
    if (events.some((event) => event.eventName === 'ListRoles' && (event.userIdentity as { arn?: string }).arn === last)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const text = JSON.stringify(events);
  const assumed = events.filter((event) => event.eventName === 'AssumeRole' && !event.errorCode);
  assert.ok(assumed.length >= 6, `${assumed.length} successful AssumeRole events`);
  const withCredentials = assumed.find((event) => (event.responseElements as { credentials?: unknown } | null)?.credentials);
  assert.deepEqual((withCredentials?.responseElements as { credentials: Record<string, unknown> }).credentials.secretAccessKey, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  assert.ok(events.some((event) => event.errorCode === 'InvalidClientTokenId'), 'the tampered token attempt is recorded');
  const sessionCall = events.find((event) => (event.userIdentity as { type?: string }).type === 'AssumedRole');
  assert.ok(sessionCall, 'calls made with session credentials name the assumed role');
  for (const secret of secretsHandedOut.filter(Boolean)) {
    assert.ok(!text.includes(secret), `the audit trail holds no secret (${secret.slice(0, 6)}...)`);
  }
});

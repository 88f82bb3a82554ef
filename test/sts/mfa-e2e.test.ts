/**
 * MFA end to end: the real `rolecall serve` and real clients. Seed 003's advice — "Users are appropriate for
 * human access with MFA enforcement and short-lived session tokens via aws sts get-session-token" — as
 * AWS documents it (id_credentials_mfa_enable_cliapi.html, id_credentials_mfa_configure-api-require.html):
 * the user creates a virtual MFA device with the AWS CLI (`--outfile` and `--bootstrap-method`), enables
 * it with two consecutive codes, is denied with long-term keys by a policy requiring MFA, gets an MFA
 * session with `aws sts get-session-token --serial-number --token-code`, and with it may do what the keys
 * may not. Seed 001's "MFA for Sensitive Roles": boto3 assumes a role whose trust policy requires MFA,
 * with SerialNumber and TokenCode. Codes come from the seed the CLI wrote, as an authenticator app
 * computes them; none of them, nor the seed, reaches the audit trail.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { ACCOUNT_ID, cliError, cliJson, E2eServer, type CommandResult, type Credentials } from '../e2e/harness.js';
import { createUserWithKey, type TestUser } from '../e2e/users.js';
import { codeAt, consecutiveCodes } from '../iam/totp-codes.js';

/** Everything but the calls needed to set MFA up is denied without MFA (BoolIfExists: long-term keys too). */
const REQUIRE_MFA = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    {
      Sid: 'DenyAllExceptListedIfNoMFA',
      Effect: 'Deny',
      NotAction: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:ListMFADevices', 'iam:GetUser', 'sts:GetSessionToken'],
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    },
  ],
};

let server: E2eServer;
let alice: TestUser;
let serialNumber: string;
let seed: string;
/** The last time step a code was handed to the server for: a code is good once, so each call needs a later one. */
let lastUsedStep = -Infinity;
/** Every secret the clients were handed or computed: none may appear in the audit trail. */
const secrets: string[] = [];

interface SessionCredentials extends Credentials {
  sessionToken: string;
}

before(async () => {
  server = await E2eServer.start();
  alice = await createUserWithKey(server, 'alice', { 'require-mfa': REQUIRE_MFA });
  secrets.push(alice.credentials.secretAccessKey);
});

after(async () => {
  await server?.stop();
});

const STEP_MS = 30_000;

/**
 * The device's next unused code, as a user would type it: the current one, or the next one while the
 * current one is used up (the server accepts a code one step early); waits while both are used up.
 */
async function nextCode(): Promise<string> {
  for (;;) {
    const current = Math.floor(Date.now() / STEP_MS);
    const step = Math.max(current, lastUsedStep + 1);
    if (step <= current + 1) {
      lastUsedStep = step;
      const code = codeAt(seed, new Date(step * STEP_MS));
      secrets.push(code);
      return code;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Runs an AWS CLI v2 command signed with session credentials (AWS_SESSION_TOKEN). */
function withSession(credentials: SessionCredentials, command: string): Promise<CommandResult> {
  return server.bash(`export AWS_SESSION_TOKEN='${credentials.sessionToken}'\naws ${command} --output json`, 'v2', { credentials });
}

test('seed 003, AWS CLI v2: create-virtual-mfa-device --outfile --bootstrap-method Base32StringSeed, then enable-mfa-device with two consecutive codes', async () => {
  const created = cliJson<{ VirtualMFADevice: { SerialNumber: string } }>(
    await server.awsV2(
      ['iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', 'alice', '--outfile', 'alice-seed.txt', '--bootstrap-method', 'Base32StringSeed'],
      { credentials: alice.credentials },
    ),
  );
  serialNumber = created.VirtualMFADevice.SerialNumber;
  assert.equal(serialNumber, `arn:aws:iam::${ACCOUNT_ID}:mfa/alice`);
  seed = (await readFile(join(server.workDir, 'alice-seed.txt'), 'utf8')).trim();
  assert.match(seed, /^[A-Z2-7]{64}$/, 'the CLI wrote the base32 seed');
  secrets.push(seed);

  const wrong = cliError(
    await server.awsV2(['iam', 'enable-mfa-device', '--user-name', 'alice', '--serial-number', serialNumber, '--authentication-code1', '000000', '--authentication-code2', '000000'], {
      credentials: alice.credentials,
    }),
  );
  assert.deepEqual(wrong, { code: 'InvalidAuthenticationCode', operation: 'EnableMFADevice', message: 'Authentication code for device is not valid.' });

  // The codes the app shows now and showed just before, read off in turn.
  const now = new Date();
  const codes = consecutiveCodes(seed, now, 0);
  lastUsedStep = Math.floor(now.getTime() / STEP_MS);
  secrets.push(codes.AuthenticationCode1, codes.AuthenticationCode2);
  const enabled = await server.awsV2(
    ['iam', 'enable-mfa-device', '--user-name', 'alice', '--serial-number', serialNumber, '--authentication-code1', codes.AuthenticationCode1, '--authentication-code2', codes.AuthenticationCode2],
    { credentials: alice.credentials },
  );
  assert.equal(enabled.status, 0, enabled.stderr);
  const listed = cliJson<{ MFADevices: Array<{ UserName: string; SerialNumber: string }> }>(await server.awsV2(['iam', 'list-mfa-devices'], { credentials: alice.credentials }));
  assert.deepEqual(listed.MFADevices.map((device) => [device.UserName, device.SerialNumber]), [['alice', serialNumber]]);
});

test('AWS CLI v1: --bootstrap-method QRCodePNG writes the PNG image', async () => {
  const created = await server.awsV1(['iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', 'alice-spare', '--outfile', 'alice-spare.png', '--bootstrap-method', 'QRCodePNG'], {
    credentials: alice.credentials,
  });
  assert.equal(created.status, 0, created.stderr);
  const png = await readFile(join(server.workDir, 'alice-spare.png'));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const unassigned = cliJson<{ VirtualMFADevices: Array<{ SerialNumber: string }> }>(await server.awsV1(['iam', 'list-virtual-mfa-devices', '--assignment-status', 'Unassigned']));
  assert.deepEqual(unassigned.VirtualMFADevices.map((device) => device.SerialNumber), [`arn:aws:iam::${ACCOUNT_ID}:mfa/alice-spare`]);
});

test('seed 003: the long-term key is denied; get-session-token with --serial-number and --token-code gives credentials that may (API_GetSessionToken.html)', async () => {
  assert.ok(seed, 'the device is enabled');
  const denied = cliError(await server.awsV2(['iam', 'list-users'], { credentials: alice.credentials }));
  assert.deepEqual(denied, {
    code: 'AccessDenied',
    operation: 'ListUsers',
    message: `User: ${alice.arn} is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${ACCOUNT_ID}:user/ with an explicit deny in an identity-based policy`,
  });
  const code = await nextCode();
  const answer = cliJson<{ Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } }>(
    await server.awsV2(['sts', 'get-session-token', '--serial-number', serialNumber, '--token-code', code, '--duration-seconds', '3600'], { credentials: alice.credentials }),
  );
  const session: SessionCredentials = { accessKeyId: answer.Credentials.AccessKeyId, secretAccessKey: answer.Credentials.SecretAccessKey, sessionToken: answer.Credentials.SessionToken };
  secrets.push(session.secretAccessKey, session.sessionToken);
  const users = cliJson<{ Users: Array<{ UserName: string }> }>(await withSession(session, 'iam list-users'));
  assert.deepEqual(users.Users.map((user) => user.UserName), ['alice']);
  const identity = cliJson<{ Arn: string }>(await withSession(session, 'sts get-caller-identity'));
  assert.equal(identity.Arn, alice.arn);
  // The same code again is a replay.
  const replayed = cliError(await server.awsV2(['sts', 'get-session-token', '--serial-number', serialNumber, '--token-code', code], { credentials: alice.credentials }));
  assert.deepEqual(replayed, { code: 'AccessDenied', operation: 'GetSessionToken', message: 'MultiFactorAuthentication failed with invalid MFA one time pass code.' });
  // A session without MFA may not call IAM at all.
  const plain = cliJson<{ Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } }>(await server.awsV2(['sts', 'get-session-token'], { credentials: alice.credentials }));
  secrets.push(plain.Credentials.SecretAccessKey, plain.Credentials.SessionToken);
  const refused = cliError(
    await withSession({ accessKeyId: plain.Credentials.AccessKeyId, secretAccessKey: plain.Credentials.SecretAccessKey, sessionToken: plain.Credentials.SessionToken }, 'iam list-users'),
  );
  assert.equal(refused.code, 'InvalidClientTokenId');
});

test('seed 001 "MFA for Sensitive Roles", boto3: a role whose trust policy requires MFA is assumed with SerialNumber and TokenCode only', async () => {
  assert.ok(seed, 'the device is enabled');
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }],
  };
  const role = (await server.iam().send(new CreateRoleCommand({ RoleName: 'sensitive', AssumeRolePolicyDocument: JSON.stringify(trust) }))).Role!;
  const code = await nextCode();
  const out = (await server.boto3(
    `
without = client_error(sts.assume_role, RoleArn=inp['role'], RoleSessionName='no-mfa')
wrong = client_error(sts.assume_role, RoleArn=inp['role'], RoleSessionName='wrong', SerialNumber=inp['serial'], TokenCode=inp['wrong'])
assumed = sts.assume_role(RoleArn=inp['role'], RoleSessionName='with-mfa', SerialNumber=inp['serial'], TokenCode=inp['code'])
creds = assumed['Credentials']
session = boto3.session.Session(aws_access_key_id=creds['AccessKeyId'], aws_secret_access_key=creds['SecretAccessKey'], aws_session_token=creds['SessionToken'], region_name='us-east-1')
role_sts = session.client('sts', endpoint_url=os.environ['ROLECALL_URL'], config=_config)
out = {'without': without, 'wrong': wrong, 'arn': role_sts.get_caller_identity()['Arn'], 'secrets': [creds['SecretAccessKey'], creds['SessionToken']]}
`,
    { role: role.Arn, serial: serialNumber, code, wrong: code === '000000' ? '111111' : '000000' },
    alice.credentials,
  )) as { without: { code: string; message: string; status: number }; wrong: { code: string; message: string; status: number }; arn: string; secrets: string[] };
  secrets.push(...out.secrets);
  assert.deepEqual(out.without, { code: 'AccessDenied', message: `User: ${alice.arn} is not authorized to perform: sts:AssumeRole on resource: ${role.Arn}`, status: 403 });
  assert.deepEqual({ ...out.wrong, message: out.wrong.message.trim() }, { code: 'AccessDenied', message: 'MultiFactorAuthentication failed with invalid MFA one time pass code.', status: 403 });
  assert.equal(out.arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/sensitive/with-mfa`);
});

test('the audit trail marks MFA sessions and holds no seed, code or secret (rolecall audit)', async () => {
  let events: Array<Record<string, unknown>> = [];
  const mfaListUsers = (event: Record<string, unknown>) =>
    event.eventName === 'ListUsers' && !event.errorCode && (event.userIdentity as { sessionContext?: { attributes?: { mfaAuthenticated?: string } } }).sessionContext?.attributes?.mfaAuthenticated === 'true';
  for (let attempt = 0; attempt < 50; attempt++) {
    const result = await server.rolecall(['audit']);
    assert.equal(result.status, 0, result.stderr);
    events = result.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    if (events.some(mfaListUsers)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(events.some(mfaListUsers), 'the MFA session\'s ListUsers is recorded with mfaAuthenticated "true"');
  const enable = events.find((event) => event.eventName === 'EnableMFADevice' && !event.errorCode);
  assert.deepEqual((enable?.requestParameters as Record<string, unknown>).authenticationCode1, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  const text = JSON.stringify(events);
  // A six-digit code may happen to be part of the account id; the rest must not appear anywhere.
  for (const secret of secrets.filter((secret) => secret && !ACCOUNT_ID.includes(secret))) assert.ok(!text.includes(secret), `the audit trail holds no secret (${secret.slice(0, 3)}...)`);
});

// The IRSA flow end to end against the real server (API_AssumeRoleWithWebIdentity.html; seed 003 "IRSA:
// How it works"): a JWT signed by a locally served issuer is written to a token file; the AWS SDK for
// JavaScript v3 (its fromTokenFile provider, and its default chain reading AWS_WEB_IDENTITY_TOKEN_FILE +
// AWS_ROLE_ARN + AWS_ENDPOINT_URL as a pod's SDK does) and the AWS CLI v1 exchange it, unsigned, for role
// credentials that then call IAM. Then the seed 002 cross-account pattern: the OIDC-federated role of
// account A chains, with AssumeRole and an ExternalId, into a role of account B that trusts it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateOpenIDConnectProviderCommand, CreateRoleCommand, IAMClient, ListRolesCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTokenFile } from '@aws-sdk/credential-providers';
import { ACCOUNT_ID, E2eServer, REPO_ROOT, type Credentials } from '../e2e/harness.js';
import { TestOidcIssuer } from './oidc-issuer.js';

const run = promisify(execFile);
const TARGET_ACCOUNT = '222222222222';
const AUDIENCE = 'sts.amazonaws.com';
const SUBJECT = 'system:serviceaccount:causely:causely-mediator';

describe('AssumeRoleWithWebIdentity end to end (IRSA: token file → STS → IAM)', () => {
  let server: E2eServer;
  let issuer: TestOidcIssuer;
  let iam: IAMClient;
  let tokenFile: string;
  const sourceRoleArn = `arn:aws:iam::${ACCOUNT_ID}:role/CauselyMediation`;

  before(async () => {
    issuer = await TestOidcIssuer.start({ path: '/id/EXAMPLED539D4633E53DE1B71EXAMPLE' });
    server = await E2eServer.start();
    iam = server.iam();
    await iam.send(new CreateOpenIDConnectProviderCommand({ Url: issuer.providerUrl, ClientIDList: [AUDIENCE] }));
    const hostPath = issuer.hostPath;
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'CauselyMediation',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${hostPath}` },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: { StringEquals: { [`${hostPath}:sub`]: SUBJECT, [`${hostPath}:aud`]: AUDIENCE } },
            },
          ],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'CauselyMediation',
        PolicyName: 'list-roles-and-chain',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' },
            { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${TARGET_ACCOUNT}:role/CauselyAccess` },
          ],
        }),
      }),
    );
    tokenFile = await server.writeFile('token', await mintNow(issuer, SUBJECT));
  });

  after(async () => {
    await server?.stop();
    await issuer?.close();
  });

  test('fromTokenFile exchanges the JWT and the session credentials call IAM (ListRoles allowed by the role policy)', async () => {
    const credentials = fromTokenFile({
      webIdentityTokenFile: tokenFile,
      roleArn: sourceRoleArn,
      roleSessionName: 'mediator',
      clientConfig: { endpoint: server.url, region: 'us-east-1' },
    });
    const identity = await new STSClient({ endpoint: server.url, region: 'us-east-1', credentials }).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/CauselyMediation/mediator`);
    assert.match(identity.UserId ?? '', /^AROA[A-Z2-7]{17}:mediator$/);
    const roles = await new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 }).send(new ListRolesCommand({}));
    assert.ok(roles.Roles?.some((role) => role.RoleName === 'CauselyMediation'));
  });

  test('the SDK\'s default chain in a pod-like environment (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, AWS_ENDPOINT_URL) does the same', async () => {
    const script = `
      import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
      import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
      const identity = await new STSClient({}).send(new GetCallerIdentityCommand({}));
      const roles = await new IAMClient({}).send(new ListRolesCommand({}));
      console.log(JSON.stringify({ arn: identity.Arn, roles: roles.Roles.map((role) => role.RoleName) }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, env: podEnvironment(server, tokenFile, sourceRoleArn) });
    const result = JSON.parse(stdout) as { arn: string; roles: string[] };
    assert.match(result.arn, new RegExp(`^arn:aws:sts::${ACCOUNT_ID}:assumed-role/CauselyMediation/`));
    assert.ok(result.roles.includes('CauselyMediation'));
  });

  test('the AWS CLI v1 (botocore\'s web identity provider) does the same from the environment', async () => {
    // The CLI caches assumed-role credentials under ~/.aws/cli/cache by role ARN: a HOME of this server's
    // own keeps credentials of an earlier server (sealed with other keys) out of this run.
    const env = { ...podEnvironment(server, tokenFile, sourceRoleArn), HOME: server.workDir };
    const { stdout } = await run(awsCliV1(), ['sts', 'get-caller-identity', '--output', 'json'], { cwd: server.workDir, env });
    assert.match(JSON.parse(stdout).Arn as string, new RegExp(`^arn:aws:sts::${ACCOUNT_ID}:assumed-role/CauselyMediation/`));
  });

  test('a token of another service account is refused through the SDK with AccessDenied', async () => {
    const otherFile = await server.writeFile('other-token', await mintNow(issuer, 'system:serviceaccount:default:intruder'));
    const credentials = fromTokenFile({ webIdentityTokenFile: otherFile, roleArn: sourceRoleArn, clientConfig: { endpoint: server.url, region: 'us-east-1', maxAttempts: 1 } });
    await assert.rejects(credentials(), (error: { name?: string; message?: string }) => {
      assert.equal(error.name, 'AccessDenied');
      assert.equal(error.message, 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
      return true;
    });
  });

  test('seed 002 cross-account: the federated role of account A chains into account B\'s role that trusts it (ExternalId, 1-hour chain cap)', async () => {
    const target = await createAccount(server, TARGET_ACCOUNT);
    const targetIam = server.iam(target);
    await targetIam.send(
      new CreateRoleCommand({
        RoleName: 'CauselyAccess',
        MaxSessionDuration: 43200,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: sourceRoleArn }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'causely-external-id' } } },
          ],
        }),
      }),
    );
    await targetIam.send(
      new PutRolePolicyCommand({
        RoleName: 'CauselyAccess',
        PolicyName: 'read-iam',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }] }),
      }),
    );

    const federated = fromTokenFile({ webIdentityTokenFile: tokenFile, roleArn: sourceRoleArn, roleSessionName: 'mediator', clientConfig: { endpoint: server.url, region: 'us-east-1' } });
    const sts = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: federated, maxAttempts: 1 });
    const targetRoleArn = `arn:aws:iam::${TARGET_ACCOUNT}:role/CauselyAccess`;

    await assert.rejects(sts.send(new AssumeRoleCommand({ RoleArn: targetRoleArn, RoleSessionName: 'scraper' })), { name: 'AccessDenied' });
    await assert.rejects(
      sts.send(new AssumeRoleCommand({ RoleArn: targetRoleArn, RoleSessionName: 'scraper', ExternalId: 'causely-external-id', DurationSeconds: 7200 })),
      { name: 'ValidationError', message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.' },
    );
    const chained = await sts.send(new AssumeRoleCommand({ RoleArn: targetRoleArn, RoleSessionName: 'scraper', ExternalId: 'causely-external-id' }));
    assert.equal(chained.AssumedRoleUser?.Arn, `arn:aws:sts::${TARGET_ACCOUNT}:assumed-role/CauselyAccess/scraper`);
    const targetSession = {
      accessKeyId: chained.Credentials!.AccessKeyId!,
      secretAccessKey: chained.Credentials!.SecretAccessKey!,
      sessionToken: chained.Credentials!.SessionToken!,
    };
    const identity = await new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: targetSession }).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, TARGET_ACCOUNT);
    const roles = await new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: targetSession, maxAttempts: 1 }).send(new ListRolesCommand({}));
    assert.deepEqual(roles.Roles?.map((role) => role.RoleName), ['CauselyAccess']);
  });
});

/** A token from `issuer` for `sub`, valid for an hour from the wall clock (the server checks it against its own). */
function mintNow(issuer: TestOidcIssuer, sub: string): Promise<string> {
  return issuer.mint(issuer.claims(new Date(), { sub }));
}

/** The environment the EKS Pod Identity Webhook gives a pod, pointed at this server; no other AWS settings. */
function podEnvironment(server: E2eServer, tokenFile: string, roleArn: string): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return {
    ...inherited,
    AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
    AWS_ROLE_ARN: roleArn,
    AWS_ENDPOINT_URL: server.url,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(server.workDir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(server.workDir, 'no-aws-credentials'),
    AWS_MAX_ATTEMPTS: '1',
  };
}

/** The pip AWS CLI v1 by its real path: under pyenv `aws` is a shim that needs the user's HOME. */
function awsCliV1(): string {
  const resolved = spawnSync('pyenv', ['which', 'aws'], { encoding: 'utf8' });
  return resolved.status === 0 && resolved.stdout.trim() !== '' ? resolved.stdout.trim() : 'aws';
}

/** Adds an account with `rolecall account create` on the server's data folder; returns its root key. */
async function createAccount(server: E2eServer, id: string): Promise<Credentials> {
  const main = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
  const { stdout } = await run(process.execPath, [main, 'account', 'create', '--name', 'Target', '--id', id, '--data', join(server.workDir, 'data')]);
  const accessKeyId = /AWS_ACCESS_KEY_ID=(\S+)/.exec(stdout)?.[1];
  const secretAccessKey = /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(stdout)?.[1];
  assert.ok(accessKeyId && secretAccessKey, `account create printed no credentials: ${stdout}`);
  return { accessKeyId, secretAccessKey };
}

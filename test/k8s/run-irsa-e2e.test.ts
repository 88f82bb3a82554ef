// IRSA end to end without a cluster (issue 9 "Proof"): seed 000's seven service-account roles with IRSA
// trust on a Rolecall-issued cluster; `rolecall run` processes using the AWS CLI v2, boto3 and the JS SDK
// v3 default chain get their role's session; each service account reaches exactly its documented
// permissions; seed 003's IRSA 403 causes fail with AWS's errors. (Seed 002's cross-account chain:
// run-seed-002-e2e.test.ts.)
// Real server, real clients, loopback only.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { ACCOUNT_ID, awsCliV2, E2eServer, ROOT } from '../e2e/harness.js';
import { BOTO3_CALLER_IDENTITY, JS_SDK_CALLER_IDENTITY, NAMESPACE, runAsPod, SERVICE_ACCOUNTS, setUpAoscloud, type AoscloudCluster } from './aoscloud-cluster.js';
import { PERMISSION_PROBES, SAAS_ROLE, createSaasRole } from './seed-000-permissions.js';

let server: E2eServer;
let cluster: AoscloudCluster;

before(async () => {
  server = await E2eServer.start();
  cluster = await setUpAoscloud(server, 'irsa');
  await createSaasRole(server);
});

after(async () => {
  await server?.stop();
});

/** The AWS CLI v2 names the retries it made after the operation: " (reached max retries: 0)". */
const RETRIES = '(?: \\(reached max retries: \\d+\\))?';
const sessionOf = (role: string) => new RegExp(`^arn:aws:sts::${ACCOUNT_ID}:assumed-role/${role}/[\\w+=,.@-]+$`);

test('issue 9: every seed 000 service account run with the AWS CLI v2 gets its own role session (IRSA)', async () => {
  const aws = await awsCliV2();
  for (const [serviceAccount, role] of Object.entries(SERVICE_ACCOUNTS)) {
    const result = await runAsPod(server, serviceAccount, [aws, 'sts', 'get-caller-identity', '--query', 'Arn', '--output', 'text'], { manifests: cluster.manifestsPath });
    assert.equal(result.status, 0, `${serviceAccount}: ${result.stderr}`);
    assert.match(result.stdout.trim(), sessionOf(role), serviceAccount);
  }
});

test('issue 9: boto3 and the JS SDK v3 default chain inside rolecall run get the role session too', async () => {
  const boto3 = await runAsPod(server, 'sa-task', BOTO3_CALLER_IDENTITY, { manifests: cluster.manifestsPath });
  assert.equal(boto3.status, 0, boto3.stderr);
  assert.match(boto3.stdout.trim(), /^arn:aws:sts::123456789012:assumed-role\/aos-dev-task\/botocore-session-\d+$/);
  const js = await runAsPod(server, 'sa-sd', JS_SDK_CALLER_IDENTITY, { manifests: cluster.manifestsPath });
  assert.equal(js.status, 0, js.stderr);
  assert.match(js.stdout.trim(), /^arn:aws:sts::123456789012:assumed-role\/aos-dev-sd\/aws-sdk-js-session-\d+$/);
});

test('irsa.md §1.4: the process sees exactly the webhook variables — none of the caller\'s keys — and a private 0600 token', async () => {
  const script = 'env | grep -E "^AWS_" | sort; stat -c "%a" "$AWS_WEB_IDENTITY_TOKEN_FILE" "$(dirname "$(dirname "$(dirname "$AWS_WEB_IDENTITY_TOKEN_FILE")")")"; echo "$AWS_WEB_IDENTITY_TOKEN_FILE"';
  // The caller authenticates through a profile: neither it nor the keys it names reach the process.
  const { AWS_ACCESS_KEY_ID: _key, AWS_SECRET_ACCESS_KEY: _secret, ...callerEnv } = server.cliEnv();
  const credentials = await server.writeFile('caller-credentials', `[admin]\naws_access_key_id = ${ROOT.accessKeyId}\naws_secret_access_key = ${ROOT.secretAccessKey}\n`);
  const env = { ...callerEnv, AWS_PROFILE: 'admin', AWS_SHARED_CREDENTIALS_FILE: credentials };
  const result = await runAsPod(server, 'sa-app', ['sh', '-c', script], { manifests: cluster.manifestsPath, env });
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  const variables = Object.fromEntries(lines.filter((line) => line.startsWith('AWS_')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) assert.equal(variables[name], undefined, name);
  assert.notEqual(variables['AWS_SHARED_CREDENTIALS_FILE'], credentials);
  assert.equal(variables['AWS_ROLE_ARN'], `arn:aws:iam::${ACCOUNT_ID}:role/aos-dev-app`);
  assert.match(variables['AWS_WEB_IDENTITY_TOKEN_FILE']!, /\/rolecall-run-[^/]+\/eks\.amazonaws\.com\/serviceaccount\/token$/);
  assert.equal(variables['AWS_ENDPOINT_URL'], server.url);
  assert.equal(variables['AWS_REGION'], 'us-east-1');
  const [tokenMode, folderMode, tokenFile] = lines.slice(-3);
  assert.deepEqual([tokenMode, folderMode], ['600', '700']);
  // The folder is gone once the command exits.
  const { existsSync } = await import('node:fs');
  assert.equal(existsSync(tokenFile!), false);
});

test('seed 000 permissions: each service account reaches exactly its documented actions, by simulation', async () => {
  const iam = server.iam();
  for (const [serviceAccount, role] of Object.entries(SERVICE_ACCOUNTS)) {
    for (const probe of PERMISSION_PROBES) {
      const answer = await iam.send(
        new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT_ID}:role/${role}`, ActionNames: [probe.action], ResourceArns: [probe.resource] }),
      );
      const decision = answer.EvaluationResults![0]!.EvalDecision;
      const expected = probe.allowedFor.includes(serviceAccount) ? 'allowed' : 'implicitDeny';
      assert.equal(decision, expected, `${serviceAccount} ${probe.action} on ${probe.resource}`);
    }
  }
});

test('seed 000 permissions by real calls from inside the pod: only sa_base may assume the SaaS role; no service account may read IAM', async () => {
  const aws = await awsCliV2();
  for (const serviceAccount of Object.keys(SERVICE_ACCOUNTS)) {
    const assumed = await runAsPod(server, serviceAccount, [aws, 'sts', 'assume-role', '--role-arn', SAAS_ROLE, '--role-session-name', 'metering', '--query', 'AssumedRoleUser.Arn', '--output', 'text'], { manifests: cluster.manifestsPath });
    if (serviceAccount === 'sa-base') {
      // (sa-base's own session comes from its token: a shared AWS CLI cache would have served another's.)
      assert.equal(assumed.status, 0, assumed.stderr);
      assert.equal(assumed.stdout.trim(), `arn:aws:sts::${ACCOUNT_ID}:assumed-role/aos-dev-saas/metering`);
    } else {
      assert.equal(assumed.status, 254, `${serviceAccount}: ${assumed.stdout} ${assumed.stderr}`);
      assert.match(assumed.stderr, new RegExp(`An error occurred \\(AccessDenied\\) when calling the AssumeRole operation${RETRIES}: User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/${SERVICE_ACCOUNTS[serviceAccount]}/\\S+ is not authorized to perform: sts:AssumeRole on resource: ${SAAS_ROLE}`), `${serviceAccount}: ${assumed.stderr}`);
    }
  }
  const listed = await runAsPod(server, 'sa-base', [aws, 'iam', 'get-role', '--role-name', 'aos-dev-app'], { manifests: cluster.manifestsPath });
  assert.equal(listed.status, 254);
  assert.match(listed.stderr, new RegExp(`An error occurred \\(AccessDenied\\) when calling the GetRole operation${RETRIES}: User: arn:aws:sts::123456789012:assumed-role/aos-dev-base/\\S+ is not authorized to perform: iam:GetRole`));
});

test('seed 003 "Why do my EKS pods get 403 errors": a wrong namespace and a wrong audience fail with AWS\'s errors', async () => {
  const aws = await awsCliV2();
  // 1. The ServiceAccount exists in another namespace than the trust policy's sub names.
  const otherNamespace = await server.writeFile(
    'sa-other-namespace.yaml',
    `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa-app\n  namespace: staging\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::${ACCOUNT_ID}:role/aos-dev-app\n`,
  );
  const wrongNamespace = await runAsPod(server, 'sa-app', [aws, 'sts', 'get-caller-identity'], { namespace: 'staging', manifests: otherNamespace });
  assert.notEqual(wrongNamespace.status, 0, wrongNamespace.stdout);
  assert.match(wrongNamespace.stderr, new RegExp(`An error occurred \\(AccessDenied\\) when calling the AssumeRoleWithWebIdentity operation${RETRIES}: Not authorized to perform sts:AssumeRoleWithWebIdentity`));
  // 2. The audience is not the provider's client id (the sts.amazon.com typo).
  const wrongAudience = await server.writeFile(
    'sa-wrong-audience.yaml',
    `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa-app\n  namespace: ${NAMESPACE}\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::${ACCOUNT_ID}:role/aos-dev-app\n    eks.amazonaws.com/audience: sts.amazon.com\n`,
  );
  const badAudience = await runAsPod(server, 'sa-app', [aws, 'sts', 'get-caller-identity'], { manifests: wrongAudience });
  assert.notEqual(badAudience.status, 0);
  assert.match(badAudience.stderr, new RegExp(`An error occurred \\(InvalidIdentityToken\\) when calling the AssumeRoleWithWebIdentity operation${RETRIES}: Incorrect token audience`));
});

test('rolecall run refuses a ServiceAccount a pod would get no identity for, and runs nothing', async () => {
  const result = await runAsPod(server, 'sa-unknown', ['sh', '-c', 'echo ran'], { manifests: cluster.manifestsPath });
  assert.equal(result.status, 1);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /a pod using ServiceAccount dev\/sa-unknown would get no AWS credentials/);
});

// EKS Pod Identity end to end without a cluster (issue 9 "Proof"): seed 000's seven service-account roles
// with Pod Identity trust (pods.eks.amazonaws.com) and associations; `rolecall run` starts a loopback
// agent and the AWS CLI v2, boto3 and the JS SDK v3 container-credentials providers get each role's
// session through it; session tags drive an ABAC condition on kubernetes-namespace. Real server, real
// agent, real clients, loopback only.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreatePodIdentityAssociationCommand } from '@aws-sdk/client-eks';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { ACCOUNT_ID, awsCliV2, E2eServer } from '../e2e/harness.js';
import { BOTO3_CALLER_IDENTITY, CLUSTER, JS_SDK_CALLER_IDENTITY, runAsPod, SERVICE_ACCOUNTS, setUpAoscloud } from './aoscloud-cluster.js';

let server: E2eServer;
const RETRIES = '(?: \\(reached max retries: \\d+\\))?';
/** EKS Auth's session name: eks-<cluster>-<pod name>-<uuid>, cut to STS's 64 characters. */
const podSessionOf = (role: string) => new RegExp(`^arn:aws:sts::${ACCOUNT_ID}:assumed-role/${role}/eks-${CLUSTER}-rolecall-[\\w+=,.@-]+$`);

before(async () => {
  server = await E2eServer.start();
  await setUpAoscloud(server, 'podIdentity');
});

after(async () => {
  await server?.stop();
});

test('issue 9: every seed 000 service account run with the AWS CLI v2 gets its role session through the loopback agent (Pod Identity)', async () => {
  const aws = await awsCliV2();
  for (const [serviceAccount, role] of Object.entries(SERVICE_ACCOUNTS)) {
    const result = await runAsPod(server, serviceAccount, [aws, 'sts', 'get-caller-identity', '--query', 'Arn', '--output', 'text']);
    assert.equal(result.status, 0, `${serviceAccount}: ${result.stderr}`);
    assert.match(result.stdout.trim(), podSessionOf(role), serviceAccount);
  }
});

test('pod-identity.md §5: boto3 and the JS SDK v3 container providers accept the loopback agent and get the role session', async () => {
  const boto3 = await runAsPod(server, 'sa-uqm', BOTO3_CALLER_IDENTITY);
  assert.equal(boto3.status, 0, boto3.stderr);
  assert.match(boto3.stdout.trim(), podSessionOf('aos-dev-qm'));
  const js = await runAsPod(server, 'sa-data-services', JS_SDK_CALLER_IDENTITY);
  assert.equal(js.status, 0, js.stderr);
  assert.match(js.stdout.trim(), podSessionOf('aos-dev-data-services'));
});

test('pod-identity.md §4: the process gets FULL_URI at the loopback agent and a token file, no role ARN and no caller keys', async () => {
  const result = await runAsPod(server, 'sa-app', ['sh', '-c', 'env | grep -E "^AWS_" | sort; stat -c "%a" "$AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"']);
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  const variables = Object.fromEntries(lines.filter((line) => line.startsWith('AWS_')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  assert.match(variables['AWS_CONTAINER_CREDENTIALS_FULL_URI']!, /^http:\/\/127\.0\.0\.1:\d+\/v1\/credentials$/);
  assert.match(variables['AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE']!, /\/pods\.eks\.amazonaws\.com\/serviceaccount\/eks-pod-identity-token$/);
  for (const name of ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) assert.equal(variables[name], undefined, name);
  assert.equal(lines.at(-1), '600');
});

test('pod-identity.md §2 session tags: an ABAC policy on ${aws:PrincipalTag/kubernetes-namespace} lets each namespace read only its own roles', async () => {
  const iam = server.iam();
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] };
  await iam.send(new CreateRoleCommand({ RoleName: 'namespace-reader', AssumeRolePolicyDocument: JSON.stringify(trust) }));
  const abac = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'iam:GetRole', Resource: `arn:aws:iam::${ACCOUNT_ID}:role/\${aws:PrincipalTag/kubernetes-namespace}-*` }],
  };
  await iam.send(new PutRolePolicyCommand({ RoleName: 'namespace-reader', PolicyName: 'own-namespace', PolicyDocument: JSON.stringify(abac) }));
  for (const name of ['payments-config', 'billing-config']) {
    await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  }
  const eks = server.eks();
  for (const namespace of ['payments', 'billing']) {
    await eks.send(new CreatePodIdentityAssociationCommand({ clusterName: CLUSTER, namespace, serviceAccount: 'reader', roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/namespace-reader` }));
  }
  const aws = await awsCliV2();
  const own = await runAsPod(server, 'reader', [aws, 'iam', 'get-role', '--role-name', 'payments-config', '--query', 'Role.RoleName', '--output', 'text'], { namespace: 'payments' });
  assert.equal(own.status, 0, own.stderr);
  assert.equal(own.stdout.trim(), 'payments-config');
  const other = await runAsPod(server, 'reader', [aws, 'iam', 'get-role', '--role-name', 'billing-config'], { namespace: 'payments' });
  assert.equal(other.status, 254);
  assert.match(other.stderr, new RegExp(`An error occurred \\(AccessDenied\\) when calling the GetRole operation${RETRIES}: User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/namespace-reader/\\S+ is not authorized to perform: iam:GetRole on resource: arn:aws:iam::${ACCOUNT_ID}:role/billing-config because no identity-based policy allows the iam:GetRole action`));
  const billing = await runAsPod(server, 'reader', [aws, 'iam', 'get-role', '--role-name', 'billing-config', '--query', 'Role.RoleName', '--output', 'text'], { namespace: 'billing' });
  assert.equal(billing.status, 0, billing.stderr);
  assert.equal(billing.stdout.trim(), 'billing-config');
});

/**
 * Service-account tokens of a Rolecall-issued cluster, end to end: `rolecall cluster create/register/
 * list/describe/delete` and `rolecall token` against the real server (found through AWS_ENDPOINT_URL,
 * signed with the default credential chain), the token's header and claims exactly as Kubernetes writes
 * them (irsa.md §2.1-§2.3: `{"alg","kid"}`, aud a JSON array, exp/iat/nbf, jti, kubernetes.io refs;
 * TokenRequest's minimum of 600 s and default of 3600 s), its signature against the published JWKS, and
 * the IRSA path: the cluster's issuer registered in IAM with create-open-id-connect-provider and a trust
 * policy exactly as seed 001 writes it, AssumeRoleWithWebIdentity with the minted token (irsa.md §3.4).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { AccessDeniedException, DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { ACCOUNT_ID, cliError, cliJson, E2eServer, REPO_ROOT } from '../e2e/harness.js';
import { createUserWithKey } from '../e2e/users.js';

const run = promisify(execFile);
const CLI = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
let server: E2eServer;
let host: string;

/** Runs the built `rolecall` with the AWS CLI's environment for this server (AWS_ENDPOINT_URL, keys, region). */
async function rolecall(args: string[], env: NodeJS.ProcessEnv = server.cliEnv()): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env, cwd: server.workDir });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function token(args: string[]): Promise<string> {
  const result = await rolecall(['token', ...args]);
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

before(async () => {
  server = await E2eServer.start();
  host = new URL(server.url).host;
  const created = await rolecall(['cluster', 'create', 'apps']);
  assert.equal(created.status, 0, created.stderr);
  const ec = await rolecall(['cluster', 'create', 'edge', '--key-algorithm', 'ES256', '--tag', 'env=edge']);
  assert.equal(ec.status, 0, ec.stderr);
});

after(async () => {
  await server?.stop();
});

test('rolecall cluster create/describe/list: the API JSON, the issuer under the server URL, tags', async () => {
  const described = JSON.parse((await rolecall(['cluster', 'describe', 'edge'])).stdout) as { cluster: Record<string, unknown> };
  assert.equal(described.cluster.arn, `arn:aws:eks:us-east-1:${ACCOUNT_ID}:cluster/edge`);
  assert.deepEqual(described.cluster.identity, { oidc: { issuer: `https://${host}/clusters/edge` } });
  assert.deepEqual(described.cluster.tags, { env: 'edge' });
  const listed = JSON.parse((await rolecall(['cluster', 'list'])).stdout) as { clusters: string[] };
  assert.deepEqual(listed.clusters, ['apps', 'edge']);
  const duplicate = await rolecall(['cluster', 'create', 'apps']);
  assert.equal(duplicate.status, 254);
  assert.match(duplicate.stderr, /An error occurred \(ResourceInUseException\) when calling the CreateClusterIssuer operation: Cluster already exists with name: apps/);
});

test('rolecall token: header {alg,kid} only, claims in Kubernetes order and form, default 3600 s and audience = issuer', async () => {
  const jwt = await token(['--cluster', 'apps', '--namespace', 'default', '--service-account', 'app-sa']);
  assert.deepEqual(Object.keys(decodeProtectedHeader(jwt)), ['alg', 'kid']);
  const claims = claimsOf(jwt);
  assert.deepEqual(Object.keys(claims), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
  const issuer = `https://${host}/clusters/apps`;
  assert.deepEqual(claims.aud, [issuer]);
  assert.equal(claims.iss, issuer);
  assert.equal(claims.sub, 'system:serviceaccount:default:app-sa');
  assert.equal((claims.exp as number) - (claims.iat as number), 3600);
  assert.equal(claims.nbf, claims.iat);
  assert.match(claims.jti as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const kubernetes = claims['kubernetes.io'] as { namespace: string; serviceaccount: { name: string; uid: string } };
  assert.deepEqual(Object.keys(kubernetes), ['namespace', 'serviceaccount']);
  assert.equal(kubernetes.namespace, 'default');
  assert.equal(kubernetes.serviceaccount.name, 'app-sa');
  // The same service account keeps its uid from token to token, as a Kubernetes object does.
  const again = claimsOf(await token(['--cluster', 'apps', '--namespace', 'default', '--service-account', 'app-sa']));
  assert.equal((again['kubernetes.io'] as typeof kubernetes).serviceaccount.uid, kubernetes.serviceaccount.uid);
  assert.notEqual(again.jti, claims.jti);
});

test('rolecall token: pod-bound with node, several audiences, a chosen expiration; verifies against the published JWKS (RS256 and ES256)', async () => {
  for (const cluster of ['apps', 'edge']) {
    const jwt = await token([
      '--cluster', cluster, '--namespace', 'payments', '--service-account', 'api', '--audience', 'sts.amazonaws.com', '--audience', 'vault',
      '--pod-name', 'api-7d9f', '--pod-uid', '5b8c2d3e-1111-4222-8333-444455556666', '--node-name', 'node-1', '--expiration', '600',
    ]);
    const jwks = (await (await fetch(`${server.url}/clusters/${cluster}/keys`)).json()) as Parameters<typeof createLocalJWKSet>[0];
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: `https://${host}/clusters/${cluster}`, audience: 'vault' });
    assert.equal(protectedHeader.alg, cluster === 'edge' ? 'ES256' : 'RS256');
    assert.deepEqual(payload.aud, ['sts.amazonaws.com', 'vault']);
    assert.equal(payload.exp! - payload.iat!, 600);
    assert.deepEqual(payload['kubernetes.io'], {
      namespace: 'payments',
      node: { name: 'node-1' },
      pod: { name: 'api-7d9f', uid: '5b8c2d3e-1111-4222-8333-444455556666' },
      serviceaccount: { name: 'api', uid: (payload['kubernetes.io'] as { serviceaccount: { uid: string } }).serviceaccount.uid },
    });
  }
});

test('rolecall token: TokenRequest refuses less than 10 minutes; bad names and a missing cluster get AWS errors; only the token on stdout', async () => {
  const short = await rolecall(['token', '--cluster', 'apps', '--namespace', 'default', '--service-account', 'app-sa', '--expiration', '599']);
  assert.equal(short.status, 254);
  assert.equal(short.stdout, '');
  assert.match(short.stderr, /\(InvalidParameterException\) when calling the CreateServiceAccountToken operation: spec\.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes/);
  const badNamespace = await rolecall(['token', '--cluster', 'apps', '--namespace', 'Not_A_Namespace', '--service-account', 'app-sa']);
  assert.match(badNamespace.stderr, /InvalidParameterException/);
  const missing = await rolecall(['token', '--cluster', 'ghost', '--namespace', 'default', '--service-account', 'app-sa']);
  assert.match(missing.stderr, /\(ResourceNotFoundException\) when calling the CreateServiceAccountToken operation: No cluster found for name: ghost\./);
  const usage = await rolecall(['token', '--cluster', 'apps']);
  assert.equal(usage.status, 2);
});

test('eks:CreateServiceAccountToken is authorized on the cluster ARN: a user without it is refused, one scoped to the cluster may mint', async () => {
  const denied = await createUserWithKey(server, 'no-tokens');
  const refused = await rolecall(['token', '--cluster', 'apps', '--namespace', 'default', '--service-account', 'app-sa'], server.cliEnv(denied.credentials));
  assert.equal(refused.status, 254);
  assert.match(refused.stderr, new RegExp(`\\(AccessDeniedException\\).*User: ${denied.arn} is not authorized to perform: eks:CreateServiceAccountToken on resource: arn:aws:eks:us-east-1:${ACCOUNT_ID}:cluster/apps`));
  const scoped = await createUserWithKey(server, 'apps-tokens', {
    mint: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'eks:CreateServiceAccountToken', Resource: `arn:aws:eks:us-east-1:${ACCOUNT_ID}:cluster/apps` }] },
  });
  assert.equal((await rolecall(['token', '--cluster', 'apps', '--namespace', 'default', '--service-account', 'app-sa'], server.cliEnv(scoped.credentials))).status, 0);
  const other = await rolecall(['token', '--cluster', 'edge', '--namespace', 'default', '--service-account', 'app-sa'], server.cliEnv(scoped.credentials));
  assert.match(other.stderr, /AccessDeniedException/);
  // The SDK sees AWS's modelled exception with status 403.
  const eks = new EKSClient({ endpoint: server.url, region: 'us-east-1', credentials: denied.credentials, maxAttempts: 1 });
  await assert.rejects(eks.send(new DescribeClusterCommand({ name: 'apps' })), (error: unknown) => error instanceof AccessDeniedException && error.$metadata.httpStatusCode === 403);
});

test('IRSA: the issuer registered with create-open-id-connect-provider, seed 001 trust policy unchanged, AssumeRoleWithWebIdentity with a minted token', async () => {
  const script = `
export CLUSTER_NAME=apps
export AWS_REGION=us-east-1
export AWS_ACCOUNT_ID=$(aws sts get-caller-identity --query Account --output text)
ISSUER=$(aws eks describe-cluster --name $CLUSTER_NAME --region $AWS_REGION --query "cluster.identity.oidc.issuer" --output text)
aws iam create-open-id-connect-provider --url "$ISSUER" --client-id-list sts.amazonaws.com > /dev/null
OIDC_PROVIDER=$(aws eks describe-cluster \\
--name $CLUSTER_NAME \\
--region $AWS_REGION \\
--query "cluster.identity.oidc.issuer" \\
--output text | sed -e "s/^https:\\/\\///")
cat > trust-policy.json <<POLICY
{
"Version": "2012-10-17",
"Statement": [
{
"Effect": "Allow",
"Principal": {
"Federated": "arn:aws:iam::\${AWS_ACCOUNT_ID}:oidc-provider/\${OIDC_PROVIDER}"
},
"Action": "sts:AssumeRoleWithWebIdentity",
"Condition": {
"StringEquals": {
"\${OIDC_PROVIDER}:sub": "system:serviceaccount:infra-operator-system:infra-operator-controller-manager",
"\${OIDC_PROVIDER}:aud": "sts.amazonaws.com"
}
}
}
]
}
POLICY
aws iam create-role \\
--role-name infra-operator-iam-role \\
--assume-role-policy-document file://trust-policy.json \\
--description "Role for Infra Operator IAM management" > /dev/null
echo ok`;
  const setup = await server.bash(script, 'v1');
  assert.equal(setup.status, 0, setup.stderr);
  const roleArn = `arn:aws:iam::${ACCOUNT_ID}:role/infra-operator-iam-role`;
  const good = await token(['--cluster', 'apps', '--namespace', 'infra-operator-system', '--service-account', 'infra-operator-controller-manager', '--audience', 'sts.amazonaws.com']);
  const assumed = cliJson<{ AssumedRoleUser: { Arn: string }; SubjectFromWebIdentityToken: string; Provider: string; Audience: string }>(
    await server.awsV1(['sts', 'assume-role-with-web-identity', '--role-arn', roleArn, '--role-session-name', 'operator', '--web-identity-token', good]),
  );
  assert.equal(assumed.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/infra-operator-iam-role/operator`);
  assert.equal(assumed.SubjectFromWebIdentityToken, 'system:serviceaccount:infra-operator-system:infra-operator-controller-manager');
  assert.equal(assumed.Provider, `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${host}/clusters/apps`);
  assert.equal(assumed.Audience, 'sts.amazonaws.com');
  // Seed 003's causes of a 403: another namespace (sub), another audience.
  const otherNamespace = await token(['--cluster', 'apps', '--namespace', 'default', '--service-account', 'infra-operator-controller-manager', '--audience', 'sts.amazonaws.com']);
  const denied = cliError(await server.awsV1(['sts', 'assume-role-with-web-identity', '--role-arn', roleArn, '--role-session-name', 'denied', '--web-identity-token', otherNamespace]));
  assert.deepEqual(denied, { code: 'AccessDenied', operation: 'AssumeRoleWithWebIdentity', message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity' });
  const wrongAudience = await token(['--cluster', 'apps', '--namespace', 'infra-operator-system', '--service-account', 'infra-operator-controller-manager', '--audience', 'sts.amazon.com']);
  const audience = cliError(await server.awsV1(['sts', 'assume-role-with-web-identity', '--role-arn', roleArn, '--role-session-name', 'denied', '--web-identity-token', wrongAudience]));
  assert.deepEqual([audience.code, audience.message], ['InvalidIdentityToken', 'Incorrect token audience']);
  // A token of another cluster (another issuer, not registered in IAM) is refused.
  const otherCluster = await token(['--cluster', 'edge', '--namespace', 'infra-operator-system', '--service-account', 'infra-operator-controller-manager', '--audience', 'sts.amazonaws.com']);
  const unknown = cliError(await server.awsV1(['sts', 'assume-role-with-web-identity', '--role-arn', roleArn, '--role-session-name', 'denied', '--web-identity-token', otherCluster]));
  assert.deepEqual([unknown.code, unknown.message], ['InvalidIdentityToken', `No OpenIDConnect provider found in your account for https://${host}/clusters/edge`]);
});

test('rolecall cluster register: by issuer URL and by inline JWKS; Rolecall mints no token for them; delete', async () => {
  const byUrl = await rolecall(['cluster', 'register', 'real-one', '--issuer', 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE']);
  assert.equal(byUrl.status, 0, byUrl.stderr);
  assert.deepEqual((JSON.parse(byUrl.stdout) as { cluster: { identity: unknown } }).cluster.identity, { oidc: { issuer: 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE' } });
  const jwks = await (await fetch(`${server.url}/clusters/apps/keys`)).text();
  const file = await server.writeFile('private-issuer.jwks', jwks);
  assert.equal((await rolecall(['cluster', 'register', 'private-one', '--jwks', file])).status, 0);
  const minted = await rolecall(['token', '--cluster', 'real-one', '--namespace', 'default', '--service-account', 'x']);
  assert.match(minted.stderr, /\(InvalidRequestException\) when calling the CreateServiceAccountToken operation: Cluster real-one has its own token issuer/);
  const badJwks = await server.writeFile('bad.jwks', '{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}');
  assert.match((await rolecall(['cluster', 'register', 'bad-one', '--jwks', badJwks])).stderr, /InvalidParameterException/);
  const notHttps = await rolecall(['cluster', 'register', 'bad-two', '--issuer', 'http://oidc.example.com/id/1']);
  assert.match(notHttps.stderr, /InvalidParameterException/);
  assert.equal((await rolecall(['cluster', 'delete', 'private-one'])).status, 0);
  assert.match((await rolecall(['cluster', 'describe', 'private-one'])).stderr, /ResourceNotFoundException/);
});

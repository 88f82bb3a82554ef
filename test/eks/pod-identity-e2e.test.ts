/**
 * EKS Pod Identity end to end against the real `rolecall serve`: associations through @aws-sdk/client-eks
 * and the AWS CLI (pod-identity.md §1: paths, fields, `a-` ids, ARNs, validation, errors, pagination, the
 * trust check, iam:PassRole with iam:PassedToService), and EKS Auth AssumeRoleForPodIdentity (§2) through
 * the SigV4 client Rolecall's agent uses and boto3's `eks-auth` client: AWS's response shape, the role
 * assumed as pods.eks.amazonaws.com with the six transitive session tags (pod-id-abac.html) driving an
 * ABAC condition, a target role chained with 59-minute credentials and the ExternalId form, and the
 * security cases — a token of another cluster, another audience, expired, not yet valid, a forged kid,
 * alg none, a deleted association — each refused with AWS's error and no credentials.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import {
  CreatePodIdentityAssociationCommand, DeleteClusterCommand, DeletePodIdentityAssociationCommand, DescribePodIdentityAssociationCommand,
  InvalidParameterException, ListPodIdentityAssociationsCommand, ResourceInUseException, ResourceNotFoundException,
  UpdatePodIdentityAssociationCommand, paginateListPodIdentityAssociations, AccessDeniedException,
} from '@aws-sdk/client-eks';
import { CreateRoleCommand, GetRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { resolveRolecallEndpoint, RolecallApiError, signedJsonRequest } from '../../src/k8s/rolecall-endpoint.js';
import { rejectionOf } from './rejection.js';
import { ACCOUNT_ID, cliJson, E2eServer, REPO_ROOT, type Credentials } from '../e2e/harness.js';
import { createUserWithKey } from '../e2e/users.js';

const run = promisify(execFile);
const CLI = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
const ARN = `arn:aws:iam::${ACCOUNT_ID}`;
const POD_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
});
const ASSUME_ONLY_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
/** ABAC on the session tags: a pod may read the roles named after its own namespace. */
const ABAC_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:GetRole', Resource: `${ARN}:role/\${aws:PrincipalTag/kubernetes-namespace}-*` }],
});

let server: E2eServer;
let node: Credentials;
let privateKey: CryptoKey;
let privateKid: string;
const PRIVATE_ISSUER = 'https://private-issuer.example.com/id/0123';

async function rolecall(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, ...args], { env: server.cliEnv(), cwd: server.workDir });
  return stdout.trim();
}

async function mint(cluster: string, namespace: string, serviceAccount: string, extra: string[] = []): Promise<string> {
  return rolecall(['token', '--cluster', cluster, '--namespace', namespace, '--service-account', serviceAccount, '--audience', 'pods.eks.amazonaws.com', '--pod-name', `${serviceAccount}-pod`, ...extra]);
}

interface PodIdentityAnswer {
  subject: { namespace: string; serviceAccount: string };
  audience: string;
  podIdentityAssociation: { associationArn: string; associationId: string };
  assumedRoleUser: { arn: string; assumeRoleId: string };
  credentials: { sessionToken: string; secretAccessKey: string; accessKeyId: string; expiration: number };
}

/** AssumeRoleForPodIdentity as the node agent calls it: SigV4 for eks-auth with the node's credentials. */
async function assumeForPod(cluster: string, token: string, credentials: Credentials = node): Promise<PodIdentityAnswer> {
  const endpoint = await resolveRolecallEndpoint('eks-auth', { endpointUrl: server.url, region: 'us-east-1', credentials });
  return (await signedJsonRequest<PodIdentityAnswer>(endpoint, { method: 'POST', path: `/clusters/${cluster}/assume-role-for-pod-identity`, body: { token } })).body;
}

async function refusal(cluster: string, token: string): Promise<RolecallApiError> {
  const error = await assumeForPod(cluster, token).then(() => undefined, (failure: unknown) => failure);
  assert.ok(error instanceof RolecallApiError, `expected an API error, got ${String(error)}`);
  return error;
}

function asPod(answer: PodIdentityAnswer): Credentials & { sessionToken: string } {
  return { accessKeyId: answer.credentials.accessKeyId, secretAccessKey: answer.credentials.secretAccessKey, sessionToken: answer.credentials.sessionToken };
}

/** A token of the private issuer (its key is the test's), with any claims and header overridden. */
async function privateToken(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, key: CryptoKey = privateKey): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    aud: ['pods.eks.amazonaws.com'],
    exp: now + 3600,
    iat: now,
    iss: PRIVATE_ISSUER,
    'kubernetes.io': { namespace: 'jobs', pod: { name: 'job-1', uid: '11111111-2222-4333-8444-555555555555' }, serviceaccount: { name: 'runner', uid: '66666666-7777-4888-9999-000000000000' } },
    nbf: now,
    sub: 'system:serviceaccount:jobs:runner',
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: privateKid, ...header })
    .sign(key);
}

async function createRole(name: string, trust: string, policy?: string): Promise<string> {
  const iam = server.iam();
  await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }));
  if (policy) await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'inline', PolicyDocument: policy }));
  return `${ARN}:role/${name}`;
}

before(async () => {
  server = await E2eServer.start();
  await rolecall(['cluster', 'create', 'dev']);
  await rolecall(['cluster', 'create', 'other']);
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), use: 'sig', alg: 'RS256', kid: 'private-key-1' };
  privateKid = jwk.kid;
  const file = await server.writeFile('private.jwks', JSON.stringify({ keys: [jwk] }));
  await rolecall(['cluster', 'register', 'private', '--issuer', PRIVATE_ISSUER, '--jwks', file]);
  await createRole('pod-app', POD_TRUST, ABAC_POLICY);
  await createRole('payments-data', POD_TRUST);
  await createRole('jobs-data', POD_TRUST);
  const agent = await createUserWithKey(server, 'node-agent', {
    auth: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'eks-auth:AssumeRoleForPodIdentity', Resource: `arn:aws:eks:us-east-1:${ACCOUNT_ID}:cluster/*` }] },
  });
  node = agent.credentials;
});

after(async () => {
  await server?.stop();
});

test('CreatePodIdentityAssociation: AWS fields, an a- id of 17 lowercase alphanumerics and the association ARN; Describe returns the same', async () => {
  const eks = server.eks();
  const { association } = await eks.send(new CreatePodIdentityAssociationCommand({
    clusterName: 'dev', namespace: 'payments', serviceAccount: 'api', roleArn: `${ARN}:role/pod-app`, tags: { team: 'payments' },
  }));
  assert.match(association!.associationId!, /^a-[0-9a-z]{17}$/);
  assert.equal(association!.associationArn, `arn:aws:eks:us-east-1:${ACCOUNT_ID}:podidentityassociation/dev/${association!.associationId}`);
  assert.equal(association!.clusterName, 'dev');
  assert.equal(association!.roleArn, `${ARN}:role/pod-app`);
  assert.equal(association!.disableSessionTags, false);
  assert.deepEqual(association!.tags, { team: 'payments' });
  assert.ok(association!.createdAt instanceof Date && association!.modifiedAt instanceof Date);
  const described = await eks.send(new DescribePodIdentityAssociationCommand({ clusterName: 'dev', associationId: association!.associationId! }));
  assert.deepEqual(described.association, association);
  const again = await rejectionOf(eks.send(new CreatePodIdentityAssociationCommand({ clusterName: 'dev', namespace: 'payments', serviceAccount: 'api', roleArn: `${ARN}:role/pod-app` })), ResourceInUseException);
  assert.equal(again.message, `Association already exists: ${association!.associationId}`);
});


test('CreatePodIdentityAssociation: the role must trust pods.eks.amazonaws.com for sts:AssumeRole and sts:TagSession, in the cluster account; the cluster must exist', async () => {
  const eks = server.eks();
  const assumeOnly = await createRole('assume-only', ASSUME_ONLY_TRUST);
  const invalid = await rejectionOf(eks.send(new CreatePodIdentityAssociationCommand({ clusterName: 'dev', namespace: 'a', serviceAccount: 'b', roleArn: assumeOnly })), InvalidParameterException);
  assert.equal(invalid.message, 'Trust policy of the role provided is invalid');
  await rejectionOf(eks.send(new CreatePodIdentityAssociationCommand({ clusterName: 'dev', namespace: 'a', serviceAccount: 'b', roleArn: 'arn:aws:iam::210987654321:role/pod-app' })), InvalidParameterException);
  await rejectionOf(eks.send(new CreatePodIdentityAssociationCommand({ clusterName: 'dev', namespace: 'Bad_NS', serviceAccount: 'b', roleArn: `${ARN}:role/pod-app` })), InvalidParameterException);
  const missing = await rejectionOf(eks.send(new CreatePodIdentityAssociationCommand({ clusterName: 'ghost', namespace: 'a', serviceAccount: 'b', roleArn: `${ARN}:role/pod-app` })), ResourceNotFoundException);
  assert.equal(missing.message, 'No cluster found for name: ghost.');
  const listed = await eks.send(new ListPodIdentityAssociationsCommand({ clusterName: 'dev', namespace: 'a' }));
  assert.deepEqual(listed.associations, []);
});

test('iam:PassRole with iam:PassedToService pods.eks.amazonaws.com is required to associate a role', async () => {
  const eksOnly = await createUserWithKey(server, 'eks-admin', { eks: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'eks:*', Resource: '*' }] } });
  const denied = await rejectionOf(
    server.eks(eksOnly.credentials).send(new CreatePodIdentityAssociationCommand({ clusterName: 'dev', namespace: 'pass', serviceAccount: 'role', roleArn: `${ARN}:role/jobs-data` })),
    AccessDeniedException,
  );
  assert.match(denied.message, new RegExp(`is not authorized to perform: iam:PassRole on resource: ${ARN}:role/jobs-data`));
  const passer = await createUserWithKey(server, 'eks-passer', {
    eks: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'eks:*', Resource: '*' },
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: `${ARN}:role/jobs-data`, Condition: { StringEquals: { 'iam:PassedToService': 'pods.eks.amazonaws.com' } } },
      ],
    },
  });
  const created = await server.eks(passer.credentials).send(new CreatePodIdentityAssociationCommand({ clusterName: 'dev', namespace: 'pass', serviceAccount: 'role', roleArn: `${ARN}:role/jobs-data` }));
  await server.eks().send(new DeletePodIdentityAssociationCommand({ clusterName: 'dev', associationId: created.association!.associationId! }));
});

test('ListPodIdentityAssociations: summaries only, filters by namespace and service account, pages of maxResults', async () => {
  const eks = server.eks();
  for (const sa of ['w1', 'w2', 'w3', 'w4', 'w5']) {
    await eks.send(new CreatePodIdentityAssociationCommand({ clusterName: 'dev', namespace: 'workers', serviceAccount: sa, roleArn: `${ARN}:role/jobs-data` }));
  }
  const filtered = await eks.send(new ListPodIdentityAssociationsCommand({ clusterName: 'dev', namespace: 'workers', serviceAccount: 'w3' }));
  assert.equal(filtered.associations?.length, 1);
  assert.deepEqual(Object.keys(filtered.associations![0]!).sort(), ['associationArn', 'associationId', 'clusterName', 'namespace', 'serviceAccount']);
  const first = await eks.send(new ListPodIdentityAssociationsCommand({ clusterName: 'dev', namespace: 'workers', maxResults: 2 }));
  assert.equal(first.associations?.length, 2);
  assert.ok(first.nextToken);
  const all: string[] = [];
  for await (const page of paginateListPodIdentityAssociations({ client: eks, pageSize: 2 }, { clusterName: 'dev', namespace: 'workers' })) {
    all.push(...(page.associations ?? []).map((summary) => summary.serviceAccount!));
  }
  assert.deepEqual(all.sort(), ['w1', 'w2', 'w3', 'w4', 'w5']);
  // The AWS CLI sees the same list.
  const cli = cliJson<{ associations: Array<{ serviceAccount: string }> }>(await server.awsV1(['eks', 'list-pod-identity-associations', '--cluster-name', 'dev', '--namespace', 'workers']));
  assert.equal(cli.associations.length, 5);
});

test('UpdatePodIdentityAssociation: role, target role and disableSessionTags change; nothing to change is refused; modifiedAt moves', async () => {
  const eks = server.eks();
  const { association } = await eks.send(new CreatePodIdentityAssociationCommand({ clusterName: 'dev', namespace: 'upd', serviceAccount: 'sa', roleArn: `${ARN}:role/jobs-data` }));
  const id = association!.associationId!;
  await rejectionOf(eks.send(new UpdatePodIdentityAssociationCommand({ clusterName: 'dev', associationId: id })), InvalidParameterException);
  const updated = await eks.send(new UpdatePodIdentityAssociationCommand({
    clusterName: 'dev', associationId: id, roleArn: `${ARN}:role/pod-app`, targetRoleArn: `${ARN}:role/payments-data`, disableSessionTags: true,
  }));
  assert.equal(updated.association?.roleArn, `${ARN}:role/pod-app`);
  assert.equal(updated.association?.targetRoleArn, `${ARN}:role/payments-data`);
  assert.equal(updated.association?.externalId, `us-east-1/${ACCOUNT_ID}/dev/upd/sa`);
  assert.equal(updated.association?.disableSessionTags, true);
  assert.equal(updated.association?.namespace, 'upd');
  const deleted = await eks.send(new DeletePodIdentityAssociationCommand({ clusterName: 'dev', associationId: id }));
  assert.equal(deleted.association?.associationId, id);
  await rejectionOf(eks.send(new DescribePodIdentityAssociationCommand({ clusterName: 'dev', associationId: id })), ResourceNotFoundException);
});

test('AssumeRoleForPodIdentity: AWS response shape; the pod session is the role assumed as pods.eks.amazonaws.com; tags drive ABAC', async () => {
  const token = await mint('dev', 'payments', 'api');
  const answer = await assumeForPod('dev', token);
  const listed = await server.eks().send(new ListPodIdentityAssociationsCommand({ clusterName: 'dev', namespace: 'payments', serviceAccount: 'api' }));
  const association = listed.associations?.[0];
  assert.deepEqual(Object.keys(answer).sort(), ['assumedRoleUser', 'audience', 'credentials', 'podIdentityAssociation', 'subject']);
  assert.deepEqual(answer.subject, { namespace: 'payments', serviceAccount: 'api' });
  assert.equal(answer.audience, 'pods.eks.amazonaws.com');
  assert.deepEqual(answer.podIdentityAssociation, { associationArn: association!.associationArn, associationId: association!.associationId });
  assert.match(answer.assumedRoleUser.arn, new RegExp(`^arn:aws:sts::${ACCOUNT_ID}:assumed-role/pod-app/eks-dev-api-pod-[0-9a-f-]{36}$`));
  assert.match(answer.assumedRoleUser.assumeRoleId, /^AROA[A-Z0-9]+:eks-dev-api-pod-[0-9a-f-]{36}$/);
  assert.match(answer.credentials.accessKeyId, /^ASIA/);
  assert.equal(typeof answer.credentials.expiration, 'number');
  // Six hours, not the role's one-hour MaxSessionDuration (pod-id-assign-target-role.html).
  const lifetime = answer.credentials.expiration - Date.now() / 1000;
  assert.ok(lifetime > 6 * 3600 - 120 && lifetime <= 6 * 3600, `lifetime ${lifetime}`);
  const pod = asPod(answer);
  const identity = await new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: pod, maxAttempts: 1 }).send(new GetCallerIdentityCommand({}));
  assert.equal(identity.Arn, answer.assumedRoleUser.arn);
  const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: pod, maxAttempts: 1 });
  assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'payments-data' }))).Role?.RoleName, 'payments-data');
  await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'jobs-data' })), /not authorized to perform: iam:GetRole/);
});

test('AssumeRoleForPodIdentity with boto3 eks-auth: the real client parses the answer; credentials carry the session tags', async () => {
  await server.eks().send(new CreatePodIdentityAssociationCommand({ clusterName: 'dev', namespace: 'jobs', serviceAccount: 'runner', roleArn: `${ARN}:role/pod-app` }));
  const token = await mint('dev', 'jobs', 'runner');
  const out = (await server.boto3(`
auth = boto3.session.Session(aws_access_key_id=inp['node']['accessKeyId'], aws_secret_access_key=inp['node']['secretAccessKey'], region_name='us-east-1') \\
    .client('eks-auth', endpoint_url=os.environ['ROLECALL_URL'], config=_config)
answer = auth.assume_role_for_pod_identity(clusterName='dev', token=inp['token'])
creds = answer['credentials']
pod = boto3.session.Session(aws_access_key_id=creds['accessKeyId'], aws_secret_access_key=creds['secretAccessKey'], aws_session_token=creds['sessionToken'], region_name='us-east-1')
pod_iam = pod.client('iam', endpoint_url=os.environ['ROLECALL_URL'], config=_config)
out = {'subject': answer['subject'], 'arn': answer['assumedRoleUser']['arn'], 'role': pod_iam.get_role(RoleName='jobs-data')['Role']['RoleName'],
       'denied': client_error(pod_iam.get_role, RoleName='payments-data')['code'], 'expiration': answer['credentials']['expiration']}
`, { node, token })) as { subject: unknown; arn: string; role: string; denied: string };
  assert.deepEqual(out.subject, { namespace: 'jobs', serviceAccount: 'runner' });
  assert.match(out.arn, /assumed-role\/pod-app\/eks-dev-runner-pod-/);
  assert.equal(out.role, 'jobs-data');
  assert.equal(out.denied, 'AccessDenied');
});

test('target role: the association role session assumes it (59-minute credentials); with tags disabled the ExternalId form', async () => {
  const target = await createRole('cross-target', JSON.stringify({
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow', Principal: { AWS: `${ARN}:root` }, Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: { StringEquals: { 'aws:RequestTag/kubernetes-namespace': 'chain' }, ArnEquals: { 'aws:PrincipalARN': `${ARN}:role/chain-first` } },
    }],
  }));
  await createRole('chain-first', POD_TRUST, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: target }] }));
  await server.eks().send(new CreatePodIdentityAssociationCommand({ clusterName: 'dev', namespace: 'chain', serviceAccount: 'app', roleArn: `${ARN}:role/chain-first`, targetRoleArn: target }));
  const answer = await assumeForPod('dev', await mint('dev', 'chain', 'app'));
  assert.match(answer.assumedRoleUser.arn, /^arn:aws:sts::\d{12}:assumed-role\/cross-target\/eks-dev-app-pod-/);
  const lifetime = answer.credentials.expiration - Date.now() / 1000;
  assert.ok(lifetime > 59 * 60 - 120 && lifetime <= 59 * 60, `lifetime ${lifetime}`);

  // Session tags off: the target trust matches the association's externalId instead.
  const external = `us-east-1/${ACCOUNT_ID}/dev/chain-ext/app`;
  const externalTarget = await createRole('external-target', JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `${ARN}:role/chain-first` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': external } } }],
  }));
  await server.iam().send(new PutRolePolicyCommand({ RoleName: 'chain-first', PolicyName: 'inline', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: [target, externalTarget] }] }) }));
  const created = await server.eks().send(new CreatePodIdentityAssociationCommand({
    clusterName: 'dev', namespace: 'chain-ext', serviceAccount: 'app', roleArn: `${ARN}:role/chain-first`, targetRoleArn: externalTarget, disableSessionTags: true,
  }));
  assert.equal(created.association?.externalId, external);
  const chained = await assumeForPod('dev', await mint('dev', 'chain-ext', 'app'));
  assert.match(chained.assumedRoleUser.arn, /assumed-role\/external-target\//);
  // A target whose trust does not allow the chain: AccessDeniedException, no credentials.
  await createRole('closed-target', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }));
  await server.eks().send(new CreatePodIdentityAssociationCommand({ clusterName: 'dev', namespace: 'chain-closed', serviceAccount: 'app', roleArn: `${ARN}:role/chain-first`, targetRoleArn: `${ARN}:role/closed-target` }));
  const closed = await refusal('dev', await mint('dev', 'chain-closed', 'app'));
  assert.deepEqual([closed.code, closed.status], ['AccessDeniedException', 400]);
});

test('security: another cluster\'s token, another audience, expired, not yet valid, forged kid, alg none, not pod-bound — InvalidToken/ExpiredToken, nothing issued', async () => {
  await server.eks().send(new CreatePodIdentityAssociationCommand({ clusterName: 'private', namespace: 'jobs', serviceAccount: 'runner', roleArn: `${ARN}:role/pod-app` }));
  // The private issuer's good token works: the inline JWKS verifies it.
  assert.deepEqual((await assumeForPod('private', await privateToken())).subject, { namespace: 'jobs', serviceAccount: 'runner' });
  const otherCluster = await refusal('dev', await mint('other', 'payments', 'api'));
  assert.deepEqual([otherCluster.code, otherCluster.status], ['InvalidTokenException', 400]);
  const stsAudience = await refusal('dev', await rolecall(['token', '--cluster', 'dev', '--namespace', 'payments', '--service-account', 'api', '--pod-name', 'p', '--audience', 'sts.amazonaws.com']));
  assert.equal(stsAudience.code, 'InvalidTokenException');
  const now = Math.floor(Date.now() / 1000);
  const expired = await refusal('private', await privateToken({ exp: now - 7200, iat: now - 10800, nbf: now - 10800 }));
  assert.equal(expired.code, 'ExpiredTokenException');
  assert.match(expired.message, /^The token included in the request is expired: current date\/time \S+ must be before the expiration date\/time \S+\.$/);
  assert.equal((await refusal('private', await privateToken({ nbf: now + 3600, iat: now + 3600, exp: now + 7200 }))).code, 'InvalidTokenException');
  const forger = await generateKeyPair('RS256');
  assert.equal((await refusal('private', await privateToken({}, {}, forger.privateKey))).code, 'InvalidTokenException');
  const good = await privateToken();
  const [, payload] = good.split('.');
  const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: privateKid })).toString('base64url')}.${payload}.`;
  assert.equal((await refusal('private', `${none}AAAA`)).code, 'InvalidTokenException');
  const unbound = await privateToken({ 'kubernetes.io': { namespace: 'jobs', serviceaccount: { name: 'runner', uid: 'x' } } });
  assert.equal((await refusal('private', unbound)).code, 'InvalidTokenException');
  const wrongIssuer = await privateToken({ iss: 'https://elsewhere.example.com' });
  assert.equal((await refusal('private', wrongIssuer)).code, 'InvalidTokenException');
  // A token no association matches: ResourceNotFoundException, 404.
  const nobody = await refusal('dev', await mint('dev', 'nobody', 'none'));
  assert.deepEqual([nobody.code, nobody.status], ['ResourceNotFoundException', 404]);
});

test('a deleted association, and a deleted cluster with its associations, issue nothing', async () => {
  await rolecall(['cluster', 'create', 'doomed']);
  const { association } = await server.eks().send(new CreatePodIdentityAssociationCommand({ clusterName: 'doomed', namespace: 'payments', serviceAccount: 'api', roleArn: `${ARN}:role/pod-app` }));
  const token = await mint('doomed', 'payments', 'api');
  assert.equal((await assumeForPod('doomed', token)).podIdentityAssociation.associationId, association!.associationId);
  await server.eks().send(new DeletePodIdentityAssociationCommand({ clusterName: 'doomed', associationId: association!.associationId! }));
  assert.equal((await refusal('doomed', token)).code, 'ResourceNotFoundException');
  await server.eks().send(new CreatePodIdentityAssociationCommand({ clusterName: 'doomed', namespace: 'payments', serviceAccount: 'api', roleArn: `${ARN}:role/pod-app` }));
  await server.eks().send(new DeleteClusterCommand({ name: 'doomed' }));
  await rolecall(['cluster', 'create', 'doomed']);
  const fresh = await server.eks().send(new ListPodIdentityAssociationsCommand({ clusterName: 'doomed' }));
  assert.deepEqual(fresh.associations, []);
  assert.equal((await refusal('doomed', token)).code, 'InvalidTokenException');
});

test('eks-auth:AssumeRoleForPodIdentity is authorized on the cluster ARN (AccessDeniedException, 400 as the EKS Auth model says); the audit trail records the call without the token', async () => {
  const stranger = await createUserWithKey(server, 'not-a-node');
  const endpoint = await resolveRolecallEndpoint('eks-auth', { endpointUrl: server.url, region: 'us-east-1', credentials: stranger.credentials });
  const token = await mint('dev', 'payments', 'api');
  const denied = await signedJsonRequest(endpoint, { method: 'POST', path: '/clusters/dev/assume-role-for-pod-identity', body: { token } }).catch((error: unknown) => error);
  assert.ok(denied instanceof RolecallApiError);
  assert.deepEqual([denied.code, denied.status], ['AccessDeniedException', 400]);
  assert.match(denied.message, new RegExp(`not authorized to perform: eks-auth:AssumeRoleForPodIdentity on resource: arn:aws:eks:us-east-1:${ACCOUNT_ID}:cluster/dev`));
  const audit = await server.rolecall(['audit', '--event', 'AssumeRoleForPodIdentity']);
  const events = audit.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  const success = events.find((event) => !event.errorCode && (event.userIdentity as { arn?: string }).arn?.endsWith('user/node-agent'));
  assert.ok(success, audit.stdout);
  assert.equal(success.eventSource, 'eks-auth.amazonaws.com');
  assert.deepEqual(success.requestParameters, { clusterName: 'dev', token: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
  assert.ok(!JSON.stringify(success).includes(token.split('.')[2]!));
});

/** The members of a CloudTrail event these tests read. */
interface TrailEvent {
  eventSource: string;
  readOnly: boolean;
  requestID: string;
  errorCode?: string;
  sourceIPAddress: string;
  userAgent: string;
  recipientAccountId: string;
  userIdentity: { type: string; arn?: string; invokedBy?: string; sessionContext?: { sessionIssuer?: { arn: string } } };
  requestParameters: Record<string, unknown> | null;
  responseElements: { credentials: { accessKeyId: string }; assumedRoleUser: unknown } | null;
  resources?: unknown;
}

/** The trail's events of one name, as `rolecall audit` prints them. */
async function auditEvents(eventName: string): Promise<TrailEvent[]> {
  const audit = await server.rolecall(['audit', '--event', eventName]);
  assert.equal(audit.status, 0, audit.stderr);
  return audit.stdout.trim().split('\n').map((line) => JSON.parse(line) as TrailEvent);
}

// CloudTrail's records of EKS Pod Identity (the EKS security workshop's "Deep Dive into EKS Pod Identity"
// shows both; eventbridge events-ref-eks-auth.html names the event source): AssumeRoleForPodIdentity by the
// node's identity, read-only, token hidden, no response elements; and a separate sts AssumeRole event in
// the role's account, userIdentity {type: AWSService, invokedBy: pods.eks.amazonaws.com}, with the six
// session tags, the 6-hour duration and the role as its resource.
test('CloudTrail: AssumeRoleForPodIdentity is a read-only eks-auth.amazonaws.com event without response elements; EKS Pod Identity\'s sts:AssumeRole is an event of its own by AWSService pods.eks.amazonaws.com', async () => {
  const answer = await assumeForPod('dev', await mint('dev', 'payments', 'api'));
  const podEvents = (await auditEvents('AssumeRoleForPodIdentity')).filter((event) => !event.errorCode);
  assert.ok(podEvents.length > 0);
  for (const event of podEvents) {
    assert.equal(event.eventSource, 'eks-auth.amazonaws.com');
    assert.equal(event.readOnly, true);
    assert.equal(event.responseElements, null);
    assert.equal(event.userIdentity.type, 'IAMUser');
  }
  const sessionName = answer.assumedRoleUser.arn.split('/').at(-1)!;
  const stsEvent = (await auditEvents('AssumeRole')).find((event) => event.requestParameters?.['roleSessionName'] === sessionName);
  assert.ok(stsEvent, 'the AssumeRole event of the pod session');
  assert.deepEqual(stsEvent.userIdentity, { type: 'AWSService', invokedBy: 'pods.eks.amazonaws.com' });
  assert.deepEqual([stsEvent.eventSource, stsEvent.sourceIPAddress, stsEvent.userAgent], ['sts.amazonaws.com', 'pods.eks.amazonaws.com', 'pods.eks.amazonaws.com']);
  assert.equal(stsEvent.readOnly, true);
  assert.equal(stsEvent.recipientAccountId, ACCOUNT_ID);
  assert.deepEqual(stsEvent.resources, [{ accountId: ACCOUNT_ID, type: 'AWS::IAM::Role', ARN: `${ARN}:role/pod-app` }]);
  const { tags, transitiveTagKeys, ...rest } = stsEvent.requestParameters!;
  assert.deepEqual(rest, { roleArn: `${ARN}:role/pod-app`, roleSessionName: sessionName, durationSeconds: 21600 });
  const podUid = (tags as Array<{ key: string; value: string }>).find((tag) => tag.key === 'kubernetes-pod-uid')?.value;
  assert.deepEqual(tags, [
    { key: 'eks-cluster-arn', value: `arn:aws:eks:us-east-1:${ACCOUNT_ID}:cluster/dev` },
    { key: 'eks-cluster-name', value: 'dev' },
    { key: 'kubernetes-namespace', value: 'payments' },
    { key: 'kubernetes-service-account', value: 'api' },
    { key: 'kubernetes-pod-name', value: 'api-pod' },
    { key: 'kubernetes-pod-uid', value: podUid },
  ]);
  assert.deepEqual(transitiveTagKeys, ['eks-cluster-arn', 'eks-cluster-name', 'kubernetes-namespace', 'kubernetes-service-account', 'kubernetes-pod-name', 'kubernetes-pod-uid']);
  assert.equal(stsEvent.responseElements?.credentials.accessKeyId, answer.credentials.accessKeyId);
  assert.deepEqual(stsEvent.responseElements?.assumedRoleUser, { assumedRoleId: answer.assumedRoleUser.assumeRoleId, arn: answer.assumedRoleUser.arn });
  const text = JSON.stringify(stsEvent);
  assert.ok(!text.includes(answer.credentials.secretAccessKey) && !text.includes(answer.credentials.sessionToken), 'no secret in the trail');
  assert.ok(!podEvents.some((event) => event.requestID === stsEvent.requestID), 'its own request id');
});

test('CloudTrail: a target role is assumed with the association role\'s session (AssumedRole identity invoked by pods.eks.amazonaws.com, 59 minutes); a refused one is a failed AssumeRole event', async () => {
  // The chains of the target role test above.
  const events = await auditEvents('AssumeRole');
  const chained = events.find((event) => event.requestParameters?.['roleArn'] === `${ARN}:role/cross-target` && !event.errorCode);
  assert.ok(chained, 'the target AssumeRole event');
  assert.equal(chained.userIdentity.type, 'AssumedRole');
  assert.match(chained.userIdentity.arn ?? '', new RegExp(`^arn:aws:sts::${ACCOUNT_ID}:assumed-role/chain-first/eks-dev-app-pod-`));
  assert.equal(chained.userIdentity.invokedBy, 'pods.eks.amazonaws.com');
  assert.equal(chained.userIdentity.sessionContext?.sessionIssuer?.arn, `${ARN}:role/chain-first`);
  assert.equal(chained.requestParameters?.['durationSeconds'], 3540);
  assert.deepEqual(chained.resources, [{ accountId: ACCOUNT_ID, type: 'AWS::IAM::Role', ARN: `${ARN}:role/cross-target` }]);
  // The association role's own event precedes it, made by the service as itself.
  const first = events.find((event) => event.requestParameters?.['roleArn'] === `${ARN}:role/chain-first` && event.requestParameters['roleSessionName'] === chained.requestParameters?.['roleSessionName']);
  assert.deepEqual(first?.userIdentity, { type: 'AWSService', invokedBy: 'pods.eks.amazonaws.com' });
  const refused = events.find((event) => event.requestParameters?.['roleArn'] === `${ARN}:role/closed-target`);
  assert.ok(refused, 'the refused target AssumeRole event');
  assert.equal(refused.errorCode, 'AccessDenied');
  assert.equal(refused.responseElements, null);
});

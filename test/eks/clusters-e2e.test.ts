/**
 * EKS clusters over the wire (rest-json, SigV4 service `eks`), against the real `rolecall serve`, with
 * @aws-sdk/client-eks, the AWS CLI and boto3: CreateCluster (a Rolecall-issued issuer, the VPC fields
 * stored and returned), DescribeCluster (`cluster.identity.oidc.issuer`, seed 001 step 1 unchanged),
 * ListClusters pagination, tags, DeleteCluster, and AWS's errors (API_CreateCluster.html,
 * API_DescribeCluster.html, API_ListClusters.html, API_DeleteCluster.html, API_TagResource.html). The
 * issuer serves Kubernetes' discovery document and JWKS (irsa.md §2.5) unauthenticated.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import {
  CreateClusterCommand, DeleteClusterCommand, DescribeClusterCommand, InvalidParameterException, ListClustersCommand,
  ListTagsForResourceCommand, NotFoundException, ResourceInUseException, ResourceNotFoundException, TagResourceCommand,
  UntagResourceCommand, paginateListClusters,
} from '@aws-sdk/client-eks';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { jwkKeyId } from '../../src/eks/signing-keys.js';
import { ACCOUNT_ID, cliError, cliJson, E2eServer } from '../e2e/harness.js';

const EKS_TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"eks.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
const EC2_TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/eks-cluster-role`;
const VPC = { subnetIds: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'], securityGroupIds: ['sg-0123456789abcdef0'] };

let server: E2eServer;

before(async () => {
  server = await E2eServer.start();
  await server.iam().send(new CreateRoleCommand({ RoleName: 'eks-cluster-role', AssumeRolePolicyDocument: EKS_TRUST }));
  await server.iam().send(new CreateRoleCommand({ RoleName: 'not-for-eks', AssumeRolePolicyDocument: EC2_TRUST }));
});

after(async () => {
  await server?.stop();
});

async function rejection<T>(call: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await call;
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected ${type.name}`);
}

test('CreateCluster: ACTIVE, the ARN, the VPC fields as given with AWS defaults, and an issuer under the server URL', async () => {
  const { cluster } = await server.eks().send(new CreateClusterCommand({ name: 'dev', roleArn: ROLE_ARN, resourcesVpcConfig: VPC, tags: { team: 'platform' } }));
  const host = new URL(server.url).host;
  assert.equal(cluster?.arn, `arn:aws:eks:us-east-1:${ACCOUNT_ID}:cluster/dev`);
  assert.equal(cluster?.status, 'ACTIVE');
  assert.equal(cluster?.identity?.oidc?.issuer, `https://${host}/clusters/dev`);
  assert.deepEqual(cluster?.resourcesVpcConfig, { ...VPC, endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] });
  assert.equal(cluster?.roleArn, ROLE_ARN);
  assert.deepEqual(cluster?.tags, { team: 'platform' });
  assert.ok(cluster?.createdAt instanceof Date);
  const described = await server.eks().send(new DescribeClusterCommand({ name: 'dev' }));
  assert.deepEqual(described.cluster?.identity, cluster?.identity);
  assert.deepEqual(described.cluster?.resourcesVpcConfig, cluster?.resourcesVpcConfig);
});

test('CreateCluster: a taken name is ResourceInUseException; a role that does not trust eks.amazonaws.com is InvalidParameterException', async () => {
  await server.eks().send(new CreateClusterCommand({ name: 'taken', roleArn: ROLE_ARN, resourcesVpcConfig: VPC }));
  const inUse = await rejection(server.eks().send(new CreateClusterCommand({ name: 'taken', roleArn: ROLE_ARN, resourcesVpcConfig: VPC })), ResourceInUseException);
  assert.equal(inUse.message, 'Cluster already exists with name: taken');
  assert.equal(inUse.$metadata.httpStatusCode, 409);
  const untrusted = `arn:aws:iam::${ACCOUNT_ID}:role/not-for-eks`;
  const bad = await rejection(server.eks().send(new CreateClusterCommand({ name: 'x1', roleArn: untrusted, resourcesVpcConfig: VPC })), InvalidParameterException);
  assert.equal(bad.message, `Role with arn: ${untrusted}, could not be assumed because it does not exist or the trusted entity is not correct`);
  const missing = `arn:aws:iam::${ACCOUNT_ID}:role/nope`;
  await rejection(server.eks().send(new CreateClusterCommand({ name: 'x2', roleArn: missing, resourcesVpcConfig: VPC })), InvalidParameterException);
  // Nothing was created by the refused calls.
  await rejection(server.eks().send(new DescribeClusterCommand({ name: 'x1' })), ResourceNotFoundException);
});

test('CreateCluster/DescribeCluster: malformed names are InvalidParameterException in EKS words; a missing cluster ResourceNotFoundException', async () => {
  const badCreate = await rejection(server.eks().send(new CreateClusterCommand({ name: '-bad', roleArn: ROLE_ARN, resourcesVpcConfig: VPC })), InvalidParameterException);
  assert.match(badCreate.message, /^The name parameter contains invalid characters\. It should conform to the regular expression "\^\[0-9A-Za-z\]\[A-Za-z0-9-_\]\*"/);
  const badDescribe = await rejection(server.eks().send(new DescribeClusterCommand({ name: 'bad.name' })), InvalidParameterException);
  assert.match(badDescribe.message, /contains invalid characters/);
  const missing = await rejection(server.eks().send(new DescribeClusterCommand({ name: 'nowhere' })), ResourceNotFoundException);
  assert.equal(missing.message, 'No cluster found for name: nowhere.');
  assert.equal(missing.$metadata.httpStatusCode, 404);
});

test('clusters are regional: another region does not see the cluster and lists its own', async () => {
  const west = server.eks(undefined, 'us-west-2');
  await rejection(west.send(new DescribeClusterCommand({ name: 'dev' })), ResourceNotFoundException);
  await west.send(new CreateClusterCommand({ name: 'west-only', roleArn: ROLE_ARN, resourcesVpcConfig: VPC }));
  const listed = await west.send(new ListClustersCommand({}));
  assert.deepEqual(listed.clusters, ['west-only']);
  const { cluster } = await west.send(new DescribeClusterCommand({ name: 'west-only' }));
  assert.equal(cluster?.arn, `arn:aws:eks:us-west-2:${ACCOUNT_ID}:cluster/west-only`);
});

test('ListClusters: pages of maxResults with an opaque nextToken, null at the end; maxResults out of range is refused', async () => {
  const eks = server.eks(undefined, 'eu-west-1');
  const names = ['p-a', 'p-b', 'p-c', 'p-d', 'p-e'];
  for (const name of names) await eks.send(new CreateClusterCommand({ name, roleArn: ROLE_ARN, resourcesVpcConfig: VPC }));
  const first = await eks.send(new ListClustersCommand({ maxResults: 2 }));
  assert.deepEqual(first.clusters, ['p-a', 'p-b']);
  assert.ok(first.nextToken);
  const all: string[] = [];
  for await (const page of paginateListClusters({ client: eks, pageSize: 2 }, {})) all.push(...(page.clusters ?? []));
  assert.deepEqual(all, names);
  const last = await eks.send(new ListClustersCommand({ maxResults: 100 }));
  assert.equal(last.nextToken, undefined);
  await rejection(eks.send(new ListClustersCommand({ maxResults: 101 })), InvalidParameterException);
  await rejection(eks.send(new ListClustersCommand({ nextToken: '!!' })), InvalidParameterException);
});

test('TagResource/UntagResource/ListTagsForResource on a cluster ARN; an unknown ARN is NotFoundException', async () => {
  const arn = `arn:aws:eks:us-east-1:${ACCOUNT_ID}:cluster/dev`;
  await server.eks().send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'test', owner: 'me' } }));
  assert.deepEqual((await server.eks().send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { team: 'platform', env: 'test', owner: 'me' });
  await server.eks().send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['owner', 'team'] }));
  assert.deepEqual((await server.eks().send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { env: 'test' });
  await rejection(server.eks().send(new ListTagsForResourceCommand({ resourceArn: `arn:aws:eks:us-east-1:${ACCOUNT_ID}:cluster/ghost` })), NotFoundException);
});

test('issuer: discovery document and JWKS with Kubernetes fields and cache headers, unauthenticated; kid as Kubernetes derives it', async () => {
  const issuer = (await server.eks().send(new DescribeClusterCommand({ name: 'dev' }))).cluster!.identity!.oidc!.issuer!;
  const discovery = await fetch(`${server.url}/clusters/dev/.well-known/openid-configuration`);
  assert.equal(discovery.status, 200);
  assert.equal(discovery.headers.get('cache-control'), 'public, max-age=3600');
  assert.deepEqual(await discovery.json(), {
    issuer,
    jwks_uri: `${issuer}/keys`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  });
  const jwks = await fetch(`${server.url}/clusters/dev/keys`);
  assert.equal(jwks.headers.get('content-type'), 'application/jwk-set+json');
  assert.equal(jwks.headers.get('cache-control'), 'public, max-age=3600');
  const { keys } = (await jwks.json()) as { keys: Array<Record<string, string>> };
  assert.equal(keys.length, 1);
  assert.deepEqual(Object.keys(keys[0]!), ['use', 'kty', 'kid', 'alg', 'n', 'e']);
  assert.equal(keys[0]!.alg, 'RS256');
  assert.equal(keys[0]!.kid, jwkKeyId(keys[0]!));
  assert.equal(createPublicKey({ key: keys[0]!, format: 'jwk' }).asymmetricKeyDetails?.modulusLength, 2048);
  assert.equal((await fetch(`${server.url}/clusters/ghost/keys`)).status, 404);
});

for (const cli of ['v1', 'v2'] as const) test(`seed 001 step 1 unchanged with the AWS CLI ${cli}: describe-cluster --query cluster.identity.oidc.issuer --output text | sed`, async () => {
  const script = `
export CLUSTER_NAME=dev
export AWS_REGION=us-east-1
OIDC_PROVIDER=$(aws eks describe-cluster \\
--name $CLUSTER_NAME \\
--region $AWS_REGION \\
--query "cluster.identity.oidc.issuer" \\
--output text | sed -e "s/^https:\\/\\///")
echo "$OIDC_PROVIDER"`;
  const result = await server.bash(script, cli);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), `${new URL(server.url).host}/clusters/dev`);
});

test('AWS CLI: create-cluster --resources-vpc-config subnetIds=..., list-clusters, delete-cluster, and the CLI error line', async () => {
  const created = cliJson<{ cluster: { name: string; resourcesVpcConfig: { subnetIds: string[] } } }>(
    await server.awsV1(['eks', 'create-cluster', '--name', 'cli-made', '--role-arn', ROLE_ARN, '--resources-vpc-config', 'subnetIds=subnet-1,subnet-2']),
  );
  assert.deepEqual(created.cluster.resourcesVpcConfig.subnetIds, ['subnet-1', 'subnet-2']);
  const listed = cliJson<{ clusters: string[] }>(await server.awsV1(['eks', 'list-clusters']));
  assert.ok(listed.clusters.includes('cli-made'));
  const deleted = cliJson<{ cluster: { status: string } }>(await server.awsV1(['eks', 'delete-cluster', '--name', 'cli-made']));
  assert.equal(deleted.cluster.status, 'DELETING');
  const gone = cliError(await server.awsV1(['eks', 'describe-cluster', '--name', 'cli-made']));
  assert.deepEqual(gone, { code: 'ResourceNotFoundException', operation: 'DescribeCluster', message: 'No cluster found for name: cli-made.' });
});

test('boto3: describe_cluster and the modelled ResourceNotFoundException', async () => {
  const out = (await server.boto3(`
eks = boto3.client('eks', region_name='us-east-1', endpoint_url=os.environ['ROLECALL_URL'], config=_config)
cluster = eks.describe_cluster(name='dev')['cluster']
try:
    eks.delete_cluster(name='ghost')
    missing = None
except eks.exceptions.ResourceNotFoundException as error:
    missing = error.response['Error']
out = {'issuer': cluster['identity']['oidc']['issuer'], 'status': cluster['status'], 'missing': missing}
`)) as { issuer: string; status: string; missing: { Code: string; Message: string } };
  assert.equal(out.issuer, `https://${new URL(server.url).host}/clusters/dev`);
  assert.equal(out.status, 'ACTIVE');
  assert.equal(out.missing.Code, 'ResourceNotFoundException');
  assert.equal(out.missing.Message, 'No cluster found for name: ghost.');
});

test('DeleteCluster: the issuer documents are gone with the cluster', async () => {
  await server.eks().send(new CreateClusterCommand({ name: 'short-lived', roleArn: ROLE_ARN, resourcesVpcConfig: VPC }));
  assert.equal((await fetch(`${server.url}/clusters/short-lived/keys`)).status, 200);
  await server.eks().send(new DeleteClusterCommand({ name: 'short-lived' }));
  assert.equal((await fetch(`${server.url}/clusters/short-lived/keys`)).status, 404);
  assert.equal((await fetch(`${server.url}/clusters/short-lived/.well-known/openid-configuration`)).status, 404);
});

test('AWS CLI v2: create-cluster, then pod identity associations (create, describe, list, update, delete) with the official current CLI', async () => {
  await server.iam().send(new CreateRoleCommand({
    RoleName: 'v2-pod-role',
    AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}',
  }));
  cliJson(await server.awsV2(['eks', 'create-cluster', '--name', 'v2-made', '--role-arn', ROLE_ARN, '--resources-vpc-config', 'subnetIds=subnet-1,subnet-2,securityGroupIds=sg-1']));
  const created = cliJson<{ association: { associationId: string; associationArn: string; namespace: string } }>(await server.awsV2([
    'eks', 'create-pod-identity-association', '--cluster-name', 'v2-made', '--namespace', 'default', '--service-account', 'app',
    '--role-arn', `arn:aws:iam::${ACCOUNT_ID}:role/v2-pod-role`, '--tags', 'team=a',
  ]));
  const id = created.association.associationId;
  assert.match(id, /^a-[0-9a-z]{17}$/);
  const described = cliJson<{ association: { tags: Record<string, string>; disableSessionTags: boolean } }>(
    await server.awsV2(['eks', 'describe-pod-identity-association', '--cluster-name', 'v2-made', '--association-id', id]),
  );
  assert.deepEqual(described.association.tags, { team: 'a' });
  const listed = cliJson<{ associations: Array<{ associationId: string }> }>(await server.awsV2(['eks', 'list-pod-identity-associations', '--cluster-name', 'v2-made']));
  assert.deepEqual(listed.associations.map((summary) => summary.associationId), [id]);
  const updated = cliJson<{ association: { disableSessionTags: boolean } }>(
    await server.awsV2(['eks', 'update-pod-identity-association', '--cluster-name', 'v2-made', '--association-id', id, '--disable-session-tags']),
  );
  assert.equal(updated.association.disableSessionTags, true);
  const duplicate = cliError(await server.awsV2([
    'eks', 'create-pod-identity-association', '--cluster-name', 'v2-made', '--namespace', 'default', '--service-account', 'app', '--role-arn', `arn:aws:iam::${ACCOUNT_ID}:role/v2-pod-role`,
  ]));
  assert.deepEqual([duplicate.code, duplicate.operation], ['ResourceInUseException', 'CreatePodIdentityAssociation']);
  // EKS's exceptions name the cluster (`clusterName`), which the CLI v2 prints as additional details.
  assert.equal(duplicate.message, `Association already exists: ${id}\n\nAdditional error details:\nclusterName: v2-made`);
  cliJson(await server.awsV2(['eks', 'delete-pod-identity-association', '--cluster-name', 'v2-made', '--association-id', id]));
  const gone = cliError(await server.awsV2(['eks', 'describe-pod-identity-association', '--cluster-name', 'v2-made', '--association-id', id]));
  assert.equal(gone.code, 'ResourceNotFoundException');
});

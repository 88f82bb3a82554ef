// Issue 10, Pod Identity associations as declared objects (pod-identity.md §1), end to end against the
// real server: seed 000's blueprint applied in Pod Identity mode to a Rolecall-issued cluster creates its
// roles and then its seven associations through the EKS API; the AWS CLI v2 lists them; a second apply
// writes nothing (counted from the audit trail); a pod run with `rolecall run` gets its role's session.
// Then one association's life: role by name, update, tags, a service-account change replacing it,
// adoption, ownership conflicts, prune, delete, a failed role holding its association back, a missing cluster.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_ID, awsCliV2, cliJson, E2eServer } from '../e2e/harness.js';
import { auditedWrites } from './declare-fixtures.js';
import { BLUEPRINT, BLUEPRINT_SETTINGS, CLUSTER, NAMESPACE, rolecall, runAsPod, SERVICE_ACCOUNTS, setUpAoscloud, type AoscloudCluster } from '../k8s/aoscloud-cluster.js';

let server: E2eServer;
let cluster: AoscloudCluster;
const WRITES_OF = ['iam.amazonaws.com', 'eks.amazonaws.com'];

before(async () => {
  server = await E2eServer.start();
  cluster = await setUpAoscloud(server, 'podIdentity');
});

after(async () => {
  await server?.stop();
});

interface AssociationSummary {
  namespace: string;
  serviceAccount: string;
  associationId: string;
}

async function listAssociations(): Promise<AssociationSummary[]> {
  return cliJson<{ associations: AssociationSummary[] }>(await server.awsV2(['eks', 'list-pod-identity-associations', '--cluster-name', CLUSTER])).associations;
}

async function describeAssociation(id: string) {
  return cliJson<{ association: { roleArn: string; targetRoleArn?: string; disableSessionTags: boolean; tags: Record<string, string>; serviceAccount: string } }>(
    await server.awsV2(['eks', 'describe-pod-identity-association', '--cluster-name', CLUSTER, '--association-id', id]),
  ).association;
}

async function auditLength(): Promise<number> {
  return (await auditedWrites(server, 0, WRITES_OF)).total;
}

/** An AWSProvider (ambient credentials, the server's endpoint) and the given objects, in namespace team. */
function manifests(...objects: string[]): string {
  return ['apiVersion: rolecall.dev/v1alpha1\nkind: AWSProvider\nmetadata: {name: rolecall, namespace: team}\nspec: {region: us-east-1}\n', ...objects].join('---\n');
}

function association(name: string, spec: string, annotations = ''): string {
  return `apiVersion: rolecall.dev/v1alpha1\nkind: PodIdentityAssociation\nmetadata: {name: ${name}, namespace: team${annotations}}\nspec:\n  providerRef: {name: rolecall}\n  clusterName: ${CLUSTER}\n${spec}`;
}

async function applyText(name: string, text: string, extra: string[] = []) {
  return rolecall(server, ['apply', '-f', await server.writeFile(name, text), ...extra]);
}

test('pod-identity.md §1: apply of the blueprint in Pod Identity mode creates the 14 roles first, then one association per service account; the IRSA ServiceAccounts are skipped with a line each', () => {
  const lines = cluster.applied.stdout.trim().split('\n');
  assert.equal(lines.length, 21, cluster.applied.stdout);
  assert.ok(lines.slice(0, 14).every((line) => /^iamrole\/\S+ created$/.test(line)), cluster.applied.stdout);
  assert.deepEqual(lines.slice(14), Object.keys(SERVICE_ACCOUNTS).map((account) => `podidentityassociation/${NAMESPACE}.${account} created`));
  const skipped = cluster.applied.stderr.split('\n').filter((line) => line.includes(' skipped '));
  assert.deepEqual(
    skipped.map((line) => line.slice(0, line.indexOf(':'))),
    ['serviceaccount/aws-node skipped (namespace kube-system)', 'serviceaccount/cluster-autoscaler skipped (namespace kube-system)', 'serviceaccount/aws-load-balancer-controller skipped (namespace kube-system)'],
  );
  assert.match(cluster.applied.stderr, /Summary: 21 created, 0 configured, 0 unchanged, 0 failed;/);
});

test('pod-identity.md §1: aws eks list-pod-identity-associations (CLI v2) shows the seven; each names its role and carries the ownership tag', async () => {
  const associations = await listAssociations();
  assert.deepEqual(associations.map((a) => `${a.namespace}/${a.serviceAccount}`).sort(), Object.keys(SERVICE_ACCOUNTS).map((account) => `${NAMESPACE}/${account}`).sort());
  const app = associations.find((a) => a.serviceAccount === 'sa-app')!;
  assert.match(app.associationId, /^a-[a-z0-9]{17}$/);
  const described = await describeAssociation(app.associationId);
  assert.equal(described.roleArn, `arn:aws:iam::${ACCOUNT_ID}:role/aos-dev-app`);
  assert.deepEqual(described.tags, { 'rolecall.dev/owner': `default/${NAMESPACE}.sa-app` });
  assert.equal(described.disableSessionTags, false);
});

test('a second apply of the blueprint makes zero IAM and EKS writes (audit trail) and reports all 21 objects unchanged', async () => {
  const before = await auditLength();
  const again = await rolecall(server, ['apply', '-f', BLUEPRINT, ...BLUEPRINT_SETTINGS('podIdentity', cluster.providerHost)]);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout.trim().split('\n').filter((line) => line.endsWith(' unchanged')).length, 21, again.stdout);
  assert.deepEqual((await auditedWrites(server, before, WRITES_OF)).writes, []);
  assert.match(again.stderr, /\(0 writes\)/);
});

test('a pod run with rolecall run for service account sa-task gets the session of the role its applied association names', async () => {
  const result = await runAsPod(server, 'sa-task', [await awsCliV2(), 'sts', 'get-caller-identity', '--query', 'Arn', '--output', 'text']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout.trim(), new RegExp(`^arn:aws:sts::${ACCOUNT_ID}:assumed-role/aos-dev-task/eks-${CLUSTER}-`));
});

test('API_UpdatePodIdentityAssociation: role by name, then disableSessionTags and tags converge with one Update, one TagResource and one UntagResource; diff shows it first', async () => {
  const v1 = manifests(association('reports', `  namespace: ${NAMESPACE}\n  serviceAccount: reports\n  roleName: aos-dev-sd\n  tags: {team: a, tier: web}\n`));
  const created = await applyText('reports-1.yaml', v1);
  assert.equal(created.status, 0, created.stderr);
  assert.equal(created.stdout, 'podidentityassociation/reports created\n');
  const id = (await listAssociations()).find((a) => a.serviceAccount === 'reports')!.associationId;
  assert.equal((await describeAssociation(id)).roleArn, `arn:aws:iam::${ACCOUNT_ID}:role/aos-dev-sd`);

  const v2 = manifests(association('reports', `  namespace: ${NAMESPACE}\n  serviceAccount: reports\n  roleName: aos-dev-sd\n  disableSessionTags: true\n  tags: {team: b}\n`));
  const path = await server.writeFile('reports-2.yaml', v2);
  const diff = await rolecall(server, ['diff', '-f', path]);
  assert.equal(diff.status, 1, diff.stderr);
  assert.match(diff.stdout, /^- {2}disableSessionTags: false$/m);
  assert.match(diff.stdout, /^\+ {2}disableSessionTags: true$/m);
  assert.match(diff.stdout, /^- {4}tier: web$/m);
  const before = await auditLength();
  const updated = await rolecall(server, ['apply', '-f', path]);
  assert.equal(updated.status, 0, updated.stderr);
  assert.equal(updated.stdout, 'podidentityassociation/reports configured\n');
  assert.deepEqual((await auditedWrites(server, before, WRITES_OF)).writes, ['UpdatePodIdentityAssociation', 'TagResource', 'UntagResource']);
  const described = await describeAssociation(id);
  assert.equal(described.disableSessionTags, true);
  assert.deepEqual(described.tags, { team: 'b', 'rolecall.dev/owner': 'team/reports' });
  assert.equal((await rolecall(server, ['diff', '-f', path])).status, 0);
});

test('API_UpdatePodIdentityAssociation: namespace and service account are immutable, so a change replaces the association explicitly (create, then delete)', async () => {
  const before = await auditLength();
  const moved = await applyText('reports-3.yaml', manifests(association('reports', `  namespace: ${NAMESPACE}\n  serviceAccount: reports-v2\n  roleName: aos-dev-sd\n  disableSessionTags: true\n  tags: {team: b}\n`)));
  assert.equal(moved.status, 0, moved.stderr);
  assert.equal(moved.stdout, 'podidentityassociation/reports replaced\n');
  assert.match(moved.stderr, /podidentityassociation\/reports: replaced: association dev\/reports of cluster aos-dev -> association dev\/reports-v2 of cluster aos-dev \(EKS cannot move an association; a-[a-z0-9]{17} deleted\)/);
  assert.deepEqual((await auditedWrites(server, before, WRITES_OF)).writes, ['CreatePodIdentityAssociation', 'DeletePodIdentityAssociation']);
  const accounts = (await listAssociations()).map((a) => a.serviceAccount);
  assert.ok(accounts.includes('reports-v2') && !accounts.includes('reports'), accounts.join(' '));
});

test('ownership: an association made outside rolecall is NotOwned until annotated rolecall.dev/adopt; then it is tagged and converged', async () => {
  const created = await server.awsV2(['eks', 'create-pod-identity-association', '--cluster-name', CLUSTER, '--namespace', NAMESPACE, '--service-account', 'legacy', '--role-arn', `arn:aws:iam::${ACCOUNT_ID}:role/aos-dev-qm`]);
  assert.equal(created.status, 0, created.stderr);
  const spec = `  namespace: ${NAMESPACE}\n  serviceAccount: legacy\n  roleArn: arn:aws:iam::${ACCOUNT_ID}:role/aos-dev-base\n`;
  const refused = await applyText('legacy-1.yaml', manifests(association('legacy', spec)));
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /error: podidentityassociation\/legacy \(.*\): NotOwned: association dev\/legacy of cluster aos-dev already exists and was not created by rolecall; to manage it from this object, annotate it rolecall.dev\/adopt: "true"/);
  const adopted = await applyText('legacy-2.yaml', manifests(association('legacy', spec, ', annotations: {rolecall.dev/adopt: "true"}')));
  assert.equal(adopted.status, 0, adopted.stderr);
  assert.equal(adopted.stdout, 'podidentityassociation/legacy configured\n');
  const id = (await listAssociations()).find((a) => a.serviceAccount === 'legacy')!.associationId;
  const described = await describeAssociation(id);
  assert.equal(described.roleArn, `arn:aws:iam::${ACCOUNT_ID}:role/aos-dev-base`);
  assert.equal(described.tags['rolecall.dev/owner'], 'team/legacy');
  // Another object naming the same service account is a conflict, never a takeover.
  const other = await applyText('legacy-3.yaml', manifests(association('legacy-two', spec, ', annotations: {rolecall.dev/adopt: "true"}')));
  assert.equal(other.status, 1);
  assert.match(other.stderr, /OwnershipConflict: association dev\/legacy of cluster aos-dev is managed by PodIdentityAssociation team\/legacy/);
});

test('apply --prune deletes the associations this tool created for objects of the applied namespaces that the files dropped; delete -f deletes the rest', async () => {
  const spec = `  namespace: ${NAMESPACE}\n  serviceAccount: legacy\n  roleArn: arn:aws:iam::${ACCOUNT_ID}:role/aos-dev-base\n`;
  const pruned = await applyText('prune.yaml', manifests(association('legacy', spec)), ['--prune']);
  assert.equal(pruned.status, 0, pruned.stderr);
  assert.equal(pruned.stdout, 'podidentityassociation/legacy unchanged\npodidentityassociation/reports pruned\n');
  let accounts = (await listAssociations()).map((a) => a.serviceAccount);
  assert.ok(!accounts.includes('reports-v2') && accounts.includes('legacy') && accounts.includes('sa-app'), accounts.join(' '));
  const deleted = await rolecall(server, ['delete', '-f', await server.writeFile('prune.yaml', manifests(association('legacy', spec)))]);
  assert.equal(deleted.status, 0, deleted.stderr);
  assert.equal(deleted.stdout, 'podidentityassociation/legacy deleted\n');
  accounts = (await listAssociations()).map((a) => a.serviceAccount);
  assert.deepEqual(accounts.sort(), Object.keys(SERVICE_ACCOUNTS).sort());
});

test('the role must exist first: an association whose role failed in the same apply is not attempted (RoleNotApplied, no EKS call)', async () => {
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] });
  // A role of that name exists and nothing owns it: the IAMRole fails with NotOwned.
  assert.equal((await server.awsV2(['iam', 'create-role', '--role-name', 'unowned', '--assume-role-policy-document', trust])).status, 0);
  const role = `apiVersion: rolecall.dev/v1alpha1\nkind: IAMRole\nmetadata: {name: unowned, namespace: team}\nspec:\n  providerRef: {name: rolecall}\n  roleName: unowned\n  assumeRolePolicyDocument: '${trust}'\n`;
  const before = await auditLength();
  const result = await applyText('blocked.yaml', manifests(role, association('blocked', `  namespace: ${NAMESPACE}\n  serviceAccount: blocked\n  roleName: unowned\n`)));
  assert.equal(result.status, 1);
  assert.match(result.stderr, /error: iamrole\/unowned .*NotOwned/);
  assert.match(result.stderr, /error: podidentityassociation\/blocked .*RoleNotApplied: role unowned \(IAMRole team\/unowned\) failed to apply; the association waits for it/);
  const events = (await server.rolecall(['audit'])).stdout.trim().split('\n').slice(before).map((line) => JSON.parse(line) as { eventSource: string });
  assert.deepEqual(events.filter((event) => event.eventSource === 'eks.amazonaws.com'), []);
});

test('API_CreatePodIdentityAssociation ResourceNotFoundException: a cluster that does not exist fails that object with EKS\'s error; get and describe show the live status', async () => {
  const missing = manifests(association('elsewhere', `  namespace: ${NAMESPACE}\n  serviceAccount: sa-app\n  roleArn: arn:aws:iam::${ACCOUNT_ID}:role/aos-dev-app\n`).replace(`clusterName: ${CLUSTER}`, 'clusterName: nowhere'));
  const result = await applyText('missing.yaml', missing);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /error: podidentityassociation\/elsewhere \(.*\): ResourceNotFoundException: /);
  const get = await rolecall(server, ['get', 'podidentityassociations', '-f', BLUEPRINT, ...BLUEPRINT_SETTINGS('podIdentity', cluster.providerHost)]);
  assert.equal(get.status, 0, get.stderr);
  const rows = get.stdout.trim().split('\n');
  assert.match(rows[0]!, /^NAME\s+CLUSTER\s+NAMESPACE\s+SERVICE ACCOUNT\s+ASSOCIATION ID\s+READY\s+AGE$/);
  assert.equal(rows.length, 8);
  assert.match(rows.find((row) => row.startsWith('dev.sa-app '))!, /^dev\.sa-app\s+aos-dev\s+dev\s+sa-app\s+a-[a-z0-9]{17}\s+true\s+\d+[smhd]$/);
  const described = await rolecall(server, ['describe', 'pia', '-f', BLUEPRINT, ...BLUEPRINT_SETTINGS('podIdentity', cluster.providerHost)]);
  assert.equal(described.status, 0, described.stderr);
  assert.match(described.stdout, /Role Arn:\s+arn:aws:iam::123456789012:role\/aos-dev-app/);
  assert.match(described.stdout, /Ready\s+True\s+Available/);
});

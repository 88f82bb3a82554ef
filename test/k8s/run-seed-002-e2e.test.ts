// Seed 002 (002_bc01b5074380db25.txt, Causely's "AWS IAM Role" page) end to end without a cluster: its
// cross-account IRSA chain on a real server, loopback only, with the AWS CLI v2, boto3 and the JS SDK v3
// default chain inside `rolecall run`.
//
// What the seed documents, read as written:
// - step 1: CauselyMediation in the source account 111111111111 trusts the cluster's OIDC provider there
//   (AssumeRoleWithWebIdentity, `:sub` = system:serviceaccount:causely:causely-mediator, `:aud` =
//   sts.amazonaws.com); step 8's serviceAccountAnnotations put it on the mediator's ServiceAccount;
// - steps 3-4: the same issuer registered as a provider in the target account 222222222222, and
//   CauselyAccess there trusting that registration with the same conditions;
// - steps 7-8: each entry of `scrapers.aws.accounts` names a Secret whose AWS_ROLE_ARN / AWS_REGION the
//   scraper uses with the pod's own projected token. So the chain is not role chaining: the target role
//   is assumed directly with the web identity token, which is why the provider must be registered in the
//   target account (id_roles_providers_create_oidc.html: the provider is an entity of the role's account).
// The trust policies and the provider command are the seed's (test/e2e/seed-fixtures.ts), with only the
// placeholders the seed asks to replace ("your region and your OIDC provider id") filled in with the
// Rolecall-issued cluster's issuer and us-east-1; the account ids are the seed's own.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { awsCliV2, cliJson, E2eServer, type CommandResult, type Credentials } from '../e2e/harness.js';
import { causelyTrust, SEED_002_AWS_SECRET, SEED_002_CAUSELY_VALUES, SEED_002_CREATE_OIDC_PROVIDER, SEED_002_OIDC_PROVIDER } from '../e2e/seed-fixtures.js';
import { BOTO3_CALLER_IDENTITY, JS_SDK_CALLER_IDENTITY, rolecall, runAsPod } from './aoscloud-cluster.js';

const SOURCE_ACCOUNT = '111111111111';
const TARGET_ACCOUNT = '222222222222';
const CLUSTER_NAME = 'causely';
const NAMESPACE = 'causely';
const MEDIATOR = 'causely-mediator';
const REGION = 'us-east-1';

interface CauselyValues {
  mediator: { serviceAccountAnnotations: Record<string, string> };
  scrapers: { aws: { enabled: boolean; accounts: Array<{ arn: string; secretName: string }> } };
}
interface Secret {
  metadata: { name: string; namespace: string };
  stringData: Record<string, string>;
}

let server: E2eServer;
let source: Credentials;
let target: Credentials;
let issuer: string;
let manifests: string;
let values: CauselyValues;
let secrets: Secret[];

/** The seed's text with the placeholders it asks to replace filled in: the OIDC provider id, then the region. */
const filled = (text: string): string => text.replaceAll(SEED_002_OIDC_PROVIDER, issuer.replace(/^https:\/\//, '')).replaceAll('region-code', REGION);

/** Step 3 (and the source account's own registration): the seed's create-open-id-connect-provider, filled. */
async function registerProvider(credentials: Credentials): Promise<CommandResult> {
  return server.awsV2(SEED_002_CREATE_OIDC_PROVIDER.map(filled), { credentials });
}

/** `rolecall run` of a ServiceAccount of the causely namespace, run by the source account (the cluster's owner). */
function runAsMediator(command: string[], serviceAccount = MEDIATOR): Promise<CommandResult> {
  return runAsPod(server, serviceAccount, command, { cluster: CLUSTER_NAME, namespace: NAMESPACE, manifests, env: server.cliEnv(source) });
}

/**
 * What the scraper does for one `accounts:` entry: the entry's Secret supplies AWS_ROLE_ARN and AWS_REGION,
 * the pod supplies the rest (its web identity token file above all).
 */
function scrapeAccount(entry: { secretName: string }, command: string[]): Promise<CommandResult> {
  const secret = secrets.find((candidate) => candidate.metadata.name === entry.secretName && candidate.metadata.namespace === NAMESPACE);
  assert.ok(secret, `Secret ${NAMESPACE}/${entry.secretName}`);
  const { AWS_ROLE_ARN, AWS_REGION } = secret.stringData;
  return runAsMediator(['env', `AWS_ROLE_ARN=${AWS_ROLE_ARN}`, `AWS_REGION=${AWS_REGION}`, ...command]);
}

const sessionOf = (account: string, role: string, sessionName = '[\\w+=,.@-]+') => new RegExp(`^arn:aws:sts::${account}:assumed-role/${role}/${sessionName}$`);
/** The AWS CLI v2 names the retries it made after the operation: " (reached max retries: 0)". */
const RETRIES = '(?: \\(reached max retries: \\d+\\))?';

before(async () => {
  server = await E2eServer.start();
  source = await server.createAccount('causely-source', SOURCE_ACCOUNT);
  target = await server.createAccount('causely-target', TARGET_ACCOUNT);
  // The cluster lives in the source account, and Rolecall issues its tokens.
  const created = await rolecall(server, ['cluster', 'create', CLUSTER_NAME], server.cliEnv(source));
  assert.equal(created.status, 0, created.stderr);
  const described = JSON.parse((await rolecall(server, ['cluster', 'describe', CLUSTER_NAME], server.cliEnv(source))).stdout) as { cluster: { arn: string; identity: { oidc: { issuer: string } } } };
  assert.equal(described.cluster.arn, `arn:aws:eks:${REGION}:${SOURCE_ACCOUNT}:cluster/${CLUSTER_NAME}`);
  issuer = described.cluster.identity.oidc.issuer;
  // Steps 1-2: the source account's provider and CauselyMediation.
  const sourceProvider = cliJson<{ OpenIDConnectProviderArn: string }>(await registerProvider(source));
  assert.equal(sourceProvider.OpenIDConnectProviderArn, `arn:aws:iam::${SOURCE_ACCOUNT}:oidc-provider/${issuer.replace(/^https:\/\//, '')}`);
  cliJson(await server.awsV2(['iam', 'create-role', '--role-name', 'CauselyMediation', '--assume-role-policy-document', filled(causelyTrust(SOURCE_ACCOUNT))], { credentials: source }));
  // Steps 4-5 (step 3 is proven necessary by the first test): CauselyAccess in the target account.
  cliJson(await server.awsV2(['iam', 'create-role', '--role-name', 'CauselyAccess', '--assume-role-policy-document', filled(causelyTrust(TARGET_ACCOUNT))], { credentials: target }));
  // Steps 7-8: the Secret, and the mediator's ServiceAccount as the chart renders serviceAccountAnnotations.
  secrets = [parse(filled(SEED_002_AWS_SECRET)) as Secret];
  values = parse(SEED_002_CAUSELY_VALUES) as CauselyValues;
  const serviceAccount = (name: string) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: NAMESPACE, annotations: values.mediator.serviceAccountAnnotations } });
  // A second ServiceAccount of the namespace with the same annotation: the trust's :sub must keep it out.
  manifests = await server.writeFile('causely.yaml', [serviceAccount(MEDIATOR), serviceAccount('causely-agent')].map((object) => JSON.stringify(object)).join('\n---\n'));
});

after(async () => {
  await server?.stop();
});

test('seed 002 steps 1, 2, 8: the mediator pod (IRSA) is CauselyMediation in the source account, with the AWS CLI v2, boto3 and the JS SDK v3', async () => {
  const aws = await awsCliV2();
  const cli = await runAsMediator([aws, 'sts', 'get-caller-identity', '--query', 'Arn', '--output', 'text']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout.trim(), sessionOf(SOURCE_ACCOUNT, 'CauselyMediation'));
  const boto3 = await runAsMediator(BOTO3_CALLER_IDENTITY);
  assert.equal(boto3.status, 0, boto3.stderr);
  assert.match(boto3.stdout.trim(), sessionOf(SOURCE_ACCOUNT, 'CauselyMediation', 'botocore-session-\\d+'));
  const js = await runAsMediator(JS_SDK_CALLER_IDENTITY);
  assert.equal(js.status, 0, js.stderr);
  assert.match(js.stdout.trim(), sessionOf(SOURCE_ACCOUNT, 'CauselyMediation', 'aws-sdk-js-session-\\d+'));
});

test('seed 002 steps 3-8: each accounts: entry reaches its Secret\'s CauselyAccess in the target account with the pod\'s token, only once step 3 registered the provider there (id_roles_providers_create_oidc.html)', async () => {
  const aws = await awsCliV2();
  const callerArn = [aws, 'sts', 'get-caller-identity', '--query', 'Arn', '--output', 'text'];
  assert.equal(values.scrapers.aws.enabled, true);
  assert.equal(values.scrapers.aws.accounts.length, 1);
  // Without the target account's registration, STS finds no provider for the token's issuer there.
  for (const entry of values.scrapers.aws.accounts) {
    const unregistered = await scrapeAccount(entry, callerArn);
    assert.notEqual(unregistered.status, 0, unregistered.stdout);
    assert.match(unregistered.stderr, new RegExp(`An error occurred \\(InvalidIdentityToken\\) when calling the AssumeRoleWithWebIdentity operation${RETRIES}: No OpenIDConnect provider found in your account for ${issuer.replace(/[.]/g, '\\.')}`));
  }
  cliJson(await registerProvider(target));
  for (const entry of values.scrapers.aws.accounts) {
    const cli = await scrapeAccount(entry, callerArn);
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout.trim(), sessionOf(TARGET_ACCOUNT, 'CauselyAccess'));
    const boto3 = await scrapeAccount(entry, BOTO3_CALLER_IDENTITY);
    assert.equal(boto3.status, 0, boto3.stderr);
    assert.match(boto3.stdout.trim(), sessionOf(TARGET_ACCOUNT, 'CauselyAccess', 'botocore-session-\\d+'));
    const js = await scrapeAccount(entry, JS_SDK_CALLER_IDENTITY);
    assert.equal(js.status, 0, js.stderr);
    assert.match(js.stdout.trim(), sessionOf(TARGET_ACCOUNT, 'CauselyAccess', 'aws-sdk-js-session-\\d+'));
  }
});

test('seed 002: the target role\'s :sub condition keeps another ServiceAccount of the namespace out, though it carries the same annotation (AccessDenied)', async () => {
  const aws = await awsCliV2();
  // (Runs after the test above registered the target account's provider, so the trust itself decides.)
  // Not CauselyMediation: its :sub names the mediator only.
  const own = await runAsMediator([aws, 'sts', 'get-caller-identity'], 'causely-agent');
  assert.notEqual(own.status, 0, own.stdout);
  assert.match(own.stderr, new RegExp(`An error occurred \\(AccessDenied\\) when calling the AssumeRoleWithWebIdentity operation${RETRIES}: Not authorized to perform sts:AssumeRoleWithWebIdentity`));
  // Nor CauselyAccess, by the same condition in the target account.
  const secret = secrets[0]!;
  const crossAccount = await runAsMediator(['env', `AWS_ROLE_ARN=${secret.stringData.AWS_ROLE_ARN}`, aws, 'sts', 'get-caller-identity'], 'causely-agent');
  assert.notEqual(crossAccount.status, 0, crossAccount.stdout);
  assert.match(crossAccount.stderr, new RegExp(`An error occurred \\(AccessDenied\\) when calling the AssumeRoleWithWebIdentity operation${RETRIES}: Not authorized to perform sts:AssumeRoleWithWebIdentity`));
});

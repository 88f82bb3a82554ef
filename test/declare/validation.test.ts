import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { stringify } from 'yaml';
import {
  formatProblem,
  loadManifests,
  parseManifestText,
  validateManifests,
  type DeclaredSet,
  type ValidationProblem,
} from '../../src/declare/index.js';
import { seedFile, seedFiles, seedText } from './seed-fixtures.js';

const PROVIDER = { apiVersion: 'rolecall.dev/v1alpha1', kind: 'AWSProvider', metadata: { name: 'p' }, spec: { region: 'us-east-1', endpoint: 'http://127.0.0.1:1' } };
const TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';

function role(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'rolecall.dev/v1alpha1',
    kind: 'IAMRole',
    metadata: { name: 'r', ...metadata },
    spec: { providerRef: { name: 'p' }, roleName: 'r', assumeRolePolicyDocument: TRUST, ...spec },
  };
}

function problemsOf(...objects: unknown[]): ValidationProblem[] {
  const result = validateManifests(parseManifestText(objects.map((object) => stringify(object)).join('---\n'), 'roles.yaml'));
  return result.valid ? [] : result.problems;
}

function setOf(...objects: unknown[]): DeclaredSet {
  const result = validateManifests(parseManifestText(objects.map((object) => stringify(object)).join('---\n'), 'roles.yaml'));
  if (!result.valid) assert.fail(result.problems.map(formatProblem).join('\n'));
  return result.set;
}

test('every AWSProvider, Secret and IAMRole example of seed 001 validates unchanged, both inline forms included', async () => {
  for (const name of seedFiles().filter((file) => file !== 'providers.yaml')) {
    const result = validateManifests(await loadManifests([seedFile('providers.yaml'), seedFile(name)]));
    assert.ok(result.valid, result.valid ? '' : result.problems.map(formatProblem).join('\n'));
  }
  const result = validateManifests(await loadManifests([seedFile('providers.yaml'), seedFile('quick-start.yaml')]));
  assert.ok(result.valid);
  const lambda = result.set.roles.find((declared) => declared.metadata.name === 'e2e-lambda-role')!;
  assert.equal(lambda.spec.inlinePolicy?.policyName, 'CustomDynamoDBAccess');
  assert.equal(result.set.roles.find((declared) => declared.metadata.name === 'e2e-ec2-role')!.metadata.namespace, 'default');
});

test('the same manifests under rolecall.dev/v1alpha1 validate too', () => {
  const text = seedText('providers.yaml') + '---\n' + seedText('complete-example.yaml');
  const result = validateManifests(parseManifestText(text.replaceAll('aws-infra-operator.runner.codes/v1alpha1', 'rolecall.dev/v1alpha1'), 'x.yaml'));
  assert.ok(result.valid);
  assert.equal(result.set.roles[0]!.spec.inlinePolicies?.length, 2);
});

test('infra-operator CRD: maxSessionDuration is 3600..43200, named by file, object and field', () => {
  const [problem] = problemsOf(PROVIDER, role({ maxSessionDuration: 900 }));
  assert.equal(
    formatProblem(problem!),
    'roles.yaml (document 2): IAMRole default/r: spec.maxSessionDuration: Invalid value: 900: spec.maxSessionDuration in body should be greater than or equal to 3600',
  );
  assert.match(formatProblem(problemsOf(PROVIDER, role({ maxSessionDuration: 43201 }))[0]!), /less than or equal to 43200/);
});

test('CreateRole Path: starts and ends with /', () => {
  const [problem] = problemsOf(PROVIDER, role({ path: 'service-roles' }));
  assert.equal(problem!.field, 'spec.path');
  assert.match(problem!.message, /should match/);
  assert.deepEqual(problemsOf(PROVIDER, role({ path: '/a/b/' })), []);
});

test("trust and inline policies go through the engine's validator with AWS's MalformedPolicyDocument text", () => {
  const withResource = TRUST.replace('"Action"', '"Resource":"*","Action"');
  const [trust] = problemsOf(PROVIDER, role({ assumeRolePolicyDocument: withResource }));
  assert.equal(trust!.field, 'spec.assumeRolePolicyDocument');
  assert.equal(trust!.message, 'MalformedPolicyDocument: Has prohibited field Resource');
  const [inline] = problemsOf(PROVIDER, role({ inlinePolicies: [{ policyName: 'a', policyDocument: '{"Statement":[' }] }));
  assert.equal(inline!.field, 'spec.inlinePolicies[0].policyDocument');
  assert.equal(inline!.message, 'MalformedPolicyDocument: Syntax errors in policy.');
  const [single] = problemsOf(PROVIDER, role({ inlinePolicy: { policyName: 'a', policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}' } }));
  assert.equal(single!.field, 'spec.inlinePolicy.policyDocument');
  assert.match(single!.message, /^MalformedPolicyDocument: /);
});

test('boundary and managed policy ARNs must be well formed', () => {
  const problems = problemsOf(PROVIDER, role({ permissionsBoundary: 'PowerUserAccess', managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:s3:::bucket'] }));
  assert.deepEqual(problems.map((problem) => problem.field).sort(), ['spec.managedPolicyArns[1]', 'spec.permissionsBoundary']);
});

test('kubectl strict validation: unknown fields and wrong types are errors; required fields are named', () => {
  const problems = problemsOf(PROVIDER, { ...role({ inlinePolicyy: [] }), extra: 1 }, role({ roleName: undefined, tags: { a: 1 } }, { name: 'r2' }));
  const messages = problems.map(formatProblem);
  assert.ok(messages.includes('roles.yaml (document 2): IAMRole default/r: spec.inlinePolicyy: unknown field "spec.inlinePolicyy"'), messages.join('\n'));
  assert.ok(messages.includes('roles.yaml (document 2): IAMRole default/r: extra: unknown field "extra"'), messages.join('\n'));
  assert.ok(messages.includes('roles.yaml (document 3): IAMRole default/r2: spec.roleName: Required value'), messages.join('\n'));
  assert.ok(messages.some((message) => message.includes('spec.tags.a: Invalid value: 1: spec.tags.a in body must be of type string')), messages.join('\n'));
});

test('inline policy names are unique (case-insensitively) across inlinePolicy and inlinePolicies', () => {
  const document = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
  const [problem] = problemsOf(PROVIDER, role({ inlinePolicy: { policyName: 'Read', policyDocument: document }, inlinePolicies: [{ policyName: 'read', policyDocument: document }] }));
  assert.equal(problem!.field, 'spec.inlinePolicies[0].policyName');
  assert.match(problem!.message, /also declared at spec\.inlinePolicy\.policyName/);
});

test('tags: aws: prefix and the ownership tag are reserved; 50 tags at most with defaultTags', () => {
  const problems = problemsOf(PROVIDER, role({ tags: { 'aws:x': '1', 'rolecall.dev/owner': 'me' } }));
  assert.deepEqual(problems.map((problem) => problem.field).sort(), ['spec.tags[aws:x]', 'spec.tags[rolecall.dev/owner]']);
  const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 'v']));
  const provider = { ...PROVIDER, spec: { ...PROVIDER.spec, defaultTags: Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`d${i}`, 'v'])) } };
  assert.match(formatProblem(problemsOf(provider, role({ tags: many }))[0]!), /spec\.tags: Too many: 56 tags/);
});

test('references: the providerRef must be among the manifests, and so must the Secrets a provider names', () => {
  assert.match(formatProblem(problemsOf(role({}))[0]!), /spec\.providerRef\.name: Not found: AWSProvider default\/p is not among the applied manifests/);
  const provider = { ...PROVIDER, spec: { region: 'us-east-1', credentialsSecret: { name: 'keys' } } };
  assert.match(formatProblem(problemsOf(provider)[0]!), /AWSProvider default\/p: spec\.credentialsSecret\.name: Not found: Secret default\/keys/);
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keys' }, stringData: { AWS_ACCESS_KEY_ID: 'AKIA' } };
  assert.match(formatProblem(problemsOf(provider, secret)[0]!), /Secret default\/keys has no key "AWS_SECRET_ACCESS_KEY"/);
});

test('AWSProvider credential forms: one kind of static keys, key refs in pairs, externalID only with assumeRoleARN', () => {
  const ref = { name: 's', key: 'k' };
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { k: 'v', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' } };
  const provider = (spec: Record<string, unknown>) => ({ ...PROVIDER, spec: { region: 'us-east-1', ...spec } });
  assert.deepEqual(problemsOf(provider({ credentialsSecret: { name: 's' }, accessKeyIDRef: ref, secretAccessKeyRef: ref }), secret).map((p) => p.field), ['spec.credentialsSecret']);
  assert.deepEqual(problemsOf(provider({ accessKeyIDRef: ref }), secret).map((p) => p.field), ['spec.secretAccessKeyRef']);
  assert.deepEqual(problemsOf(provider({ externalID: 'xyz' })).map((p) => p.field), ['spec.externalID']);
  assert.deepEqual(problemsOf(provider({ assumeRoleARN: 'arn:aws:iam::111111111111:role/x', externalID: 'xyz', roleARN: 'arn:aws:iam::123456789012:role/y' })), []);
  assert.deepEqual(problemsOf(provider({ endpoint: 'ftp://x' })).map((p) => p.field), ['spec.endpoint']);
});

test('two objects declaring one role through one provider are two sources of it: an error naming both', () => {
  const problems = problemsOf(PROVIDER, role({}), role({}, { name: 'other' }));
  assert.equal(problems.length, 1);
  assert.match(formatProblem(problems[0]!), /IAMRole default\/other: spec\.roleName: Duplicate value: "r" is also declared by IAMRole default\/r/);
});

test('v1 Secret: base64 data and stringData (which wins); values never appear in errors, JSON or inspect', () => {
  const set = setOf({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: Buffer.from('from-data').toString('base64'), b: Buffer.from('x').toString('base64') }, stringData: { b: 'from-stringData' } });
  const values = set.secrets[0]!.values;
  assert.equal(values.get('a')!.reveal(), 'from-data');
  assert.equal(values.get('b')!.reveal(), 'from-stringData');
  assert.equal(JSON.stringify(Object.fromEntries(values)), '{"a":"[redacted]","b":"[redacted]"}');
  assert.ok(!inspect(set).includes('from-data'));
  assert.equal(`${values.get('a')}`, '[redacted]');
  const [problem] = problemsOf({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { key: 'not*base64' } });
  assert.equal(problem!.field, 'data.key');
  assert.ok(!formatProblem(problem!).includes('not*base64'));
});

test('unknown kinds are errors, as kubectl reports a kind it has no mapping for', () => {
  assert.match(formatProblem(problemsOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })[0]!), /no kind "ConfigMap" is known in apiVersion "v1"/);
});

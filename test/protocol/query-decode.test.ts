import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../src/policy/errors.js';
import { decodeQueryRequest, loadServiceModel, ServiceModel } from '../../src/protocol/index.js';

// AWS Query requests as the AWS CLI and SDKs form-encode them (iam-rules.md "Wire format"): lists as
// `Name.member.N` from 1, structures in lists as `Tags.member.N.Key`, an empty list as a bare `Name=`.

const iam = loadServiceModel('iam');
const sts = loadServiceModel('sts');
const TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';

function decode(model: ServiceModel, fields: Array<[string, string]>) {
  return decodeQueryRequest(model, new URLSearchParams(fields));
}

function awsErrorOf(action: () => unknown): AwsError {
  try {
    action();
  } catch (error) {
    if (error instanceof AwsError) return error;
    throw error;
  }
  assert.fail('expected an AwsError');
}

test('decode: IAM CreateRole with nested Tags.member.N.Key/Value, integer and strings', () => {
  const { operation, input } = decode(iam, [
    ['Action', 'CreateRole'], ['Version', '2010-05-08'],
    ['RoleName', 'app-role'], ['Path', '/service/'], ['AssumeRolePolicyDocument', TRUST],
    ['Description', 'EC2 app role'], ['MaxSessionDuration', '7200'],
    ['PermissionsBoundary', 'arn:aws:iam::123456789012:policy/boundary'],
    ['Tags.member.1.Key', 'team'], ['Tags.member.1.Value', 'payments'],
    ['Tags.member.2.Key', 'env'], ['Tags.member.2.Value', 'prod'],
  ]);
  assert.equal(operation.name, 'CreateRole');
  assert.deepEqual(input, {
    Path: '/service/', RoleName: 'app-role', AssumeRolePolicyDocument: TRUST, Description: 'EC2 app role',
    MaxSessionDuration: 7200, PermissionsBoundary: 'arn:aws:iam::123456789012:policy/boundary',
    Tags: [{ Key: 'team', Value: 'payments' }, { Key: 'env', Value: 'prod' }],
  });
});

test('decode: parameters the input shape does not name are ignored, as AWS ignores them', () => {
  const { input } = decode(iam, [
    ['Action', 'GetRole'], ['Version', '2010-05-08'], ['RoleName', 'app-role'],
    ['Bogus', '1'], ['RoleName.member.1', 'x'], ['X-Amz-Date', '20260101T000000Z'],
  ]);
  assert.deepEqual(input, { RoleName: 'app-role' });
});

test('decode: IAM ListRoles pagination parameters (PathPrefix, Marker, MaxItems as an integer)', () => {
  const { input } = decode(iam, [
    ['Action', 'ListRoles'], ['Version', '2010-05-08'], ['PathPrefix', '/service/'], ['Marker', 'abc'], ['MaxItems', '10'],
  ]);
  assert.deepEqual(input, { PathPrefix: '/service/', Marker: 'abc', MaxItems: 10 });
  assert.deepEqual(decode(iam, [['Action', 'ListRoles'], ['Version', '2010-05-08']]).input, {});
});

test('decode: IAM PutRolePolicy keeps the policy document as the exact text sent', () => {
  const document = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]\n}';
  const { input } = decode(iam, [
    ['Action', 'PutRolePolicy'], ['Version', '2010-05-08'], ['RoleName', 'app-role'], ['PolicyName', 's3'], ['PolicyDocument', document],
  ]);
  assert.deepEqual(input, { RoleName: 'app-role', PolicyName: 's3', PolicyDocument: document });
});

test('decode: IAM AttachRolePolicy, ListAttachedRolePolicies, DeleteRole', () => {
  const policyArn = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
  assert.deepEqual(
    decode(iam, [['Action', 'AttachRolePolicy'], ['Version', '2010-05-08'], ['RoleName', 'app-role'], ['PolicyArn', policyArn]]).input,
    { RoleName: 'app-role', PolicyArn: policyArn });
  assert.deepEqual(
    decode(iam, [['Action', 'ListAttachedRolePolicies'], ['Version', '2010-05-08'], ['RoleName', 'app-role'], ['PathPrefix', '/'], ['MaxItems', '1']]).input,
    { RoleName: 'app-role', PathPrefix: '/', MaxItems: 1 });
  const deleteRole = decode(iam, [['Action', 'DeleteRole'], ['Version', '2010-05-08'], ['RoleName', 'app-role']]);
  assert.equal(deleteRole.operation.name, 'DeleteRole');
  assert.deepEqual(deleteRole.input, { RoleName: 'app-role' });
});

test('decode: STS GetCallerIdentity takes no parameters', () => {
  const { operation, input } = decode(sts, [['Action', 'GetCallerIdentity'], ['Version', '2011-06-15']]);
  assert.equal(operation.name, 'GetCallerIdentity');
  assert.deepEqual(input, {});
});

test('decode: STS AssumeRole with PolicyArns.member.N.arn, session tags, transitive keys and contexts', () => {
  const { input } = decode(sts, [
    ['Action', 'AssumeRole'], ['Version', '2011-06-15'],
    ['RoleArn', 'arn:aws:iam::123456789012:role/app-role'], ['RoleSessionName', 'ci-run'], ['DurationSeconds', '900'],
    ['ExternalId', 'ext-1'], ['Policy', '{"Version":"2012-10-17","Statement":[]}'],
    ['PolicyArns.member.1.arn', 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
    ['Tags.member.1.Key', 'project'], ['Tags.member.1.Value', 'rolecall'],
    ['TransitiveTagKeys.member.1', 'project'],
    ['ProvidedContexts.member.1.ProviderArn', 'arn:aws:iam::aws:contextProvider/IdentityCenter'],
    ['ProvidedContexts.member.1.ContextAssertion', 'assertion'],
  ]);
  assert.deepEqual(input, {
    RoleArn: 'arn:aws:iam::123456789012:role/app-role', RoleSessionName: 'ci-run',
    PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }], Policy: '{"Version":"2012-10-17","Statement":[]}',
    DurationSeconds: 900, Tags: [{ Key: 'project', Value: 'rolecall' }], TransitiveTagKeys: ['project'], ExternalId: 'ext-1',
    ProvidedContexts: [{ ProviderArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter', ContextAssertion: 'assertion' }],
  });
});

test('decode: an empty list is a bare `Name=` (botocore and SDK v3 send it for [])', () => {
  const { input } = decode(iam, [['Action', 'UntagRole'], ['Version', '2010-05-08'], ['RoleName', 'r'], ['TagKeys', '']]);
  assert.deepEqual(input, { RoleName: 'r', TagKeys: [] });
});

test('decode: list items are ordered by their number N, not by parameter order or text', () => {
  const { input } = decode(iam, [
    ['Action', 'UntagRole'], ['Version', '2010-05-08'], ['RoleName', 'r'],
    ['TagKeys.member.10', 'ten'], ['TagKeys.member.2', 'two'], ['TagKeys.member.1', 'one'],
  ]);
  assert.deepEqual(input.TagKeys, ['one', 'two', 'ten']);
});

test('decode: booleans are true/false (IAM ListPolicies OnlyAttached); a repeated parameter keeps its first value', () => {
  const { input } = decode(iam, [
    ['Action', 'ListPolicies'], ['Version', '2010-05-08'], ['OnlyAttached', 'true'], ['Scope', 'Local'], ['Scope', 'AWS'],
  ]);
  assert.deepEqual(input, { Scope: 'Local', OnlyAttached: true });
  assert.equal(decode(iam, [['Action', 'ListPolicies'], ['Version', '2010-05-08'], ['OnlyAttached', 'false']]).input.OnlyAttached, false);
});

test('decode: an unknown action is AWS InvalidAction "Could not find operation X for version 2010-05-08" (400)', () => {
  const error = awsErrorOf(() => decode(iam, [['Action', 'CreateRoles'], ['Version', '2010-05-08']]));
  assert.equal(error.code, 'InvalidAction');
  assert.equal(error.httpStatus, 400);
  assert.equal(error.message, 'Could not find operation CreateRoles for version 2010-05-08');
  // Action names are case-sensitive.
  assert.equal(awsErrorOf(() => decode(iam, [['Action', 'getRole'], ['Version', '2010-05-08']])).code, 'InvalidAction');
});

test('decode: an operation asked for under another or no API version is not found (InvalidAction)', () => {
  assert.equal(awsErrorOf(() => decode(iam, [['Action', 'GetRole'], ['Version', '2011-06-15'], ['RoleName', 'r']])).message,
    'Could not find operation GetRole for version 2011-06-15');
  assert.equal(awsErrorOf(() => decode(iam, [['Action', 'GetRole'], ['RoleName', 'r']])).message,
    'Could not find operation GetRole for version NO_VERSION_SPECIFIED');
  assert.equal(awsErrorOf(() => decode(sts, [['Action', 'GetCallerIdentity'], ['Version', '2010-05-08']])).code, 'InvalidAction');
});

test('decode: a request without Action is AWS MissingAction (400)', () => {
  const error = awsErrorOf(() => decode(iam, [['Version', '2010-05-08']]));
  assert.equal(error.code, 'MissingAction');
  assert.equal(error.httpStatus, 400);
});

test('decode: a value that is not its model type is InvalidParameterValue (400), naming the parameter', () => {
  const notInteger = awsErrorOf(() => decode(iam, [['Action', 'ListRoles'], ['Version', '2010-05-08'], ['MaxItems', 'ten']]));
  assert.equal(notInteger.code, 'InvalidParameterValue');
  assert.equal(notInteger.httpStatus, 400);
  assert.match(notInteger.message, /MaxItems/);
  const notBoolean = awsErrorOf(() => decode(iam, [['Action', 'ListPolicies'], ['Version', '2010-05-08'], ['OnlyAttached', 'yes']]));
  assert.equal(notBoolean.code, 'InvalidParameterValue');
  assert.match(notBoolean.message, /OnlyAttached/);
});

// IAM and STS declare no flattened lists, maps or timestamps in their inputs; a small model with them
// shows the codec follows the Query rules for every shape kind (`Name.N`, `Name.entry.N.key/value`).
const synthetic = new ServiceModel('iam', {
  metadata: { apiVersion: '2020-01-01', protocol: 'query', endpointPrefix: 'test', serviceId: 'Test', xmlNamespace: 'urn:test' },
  operations: { Put: { name: 'Put', input: { shape: 'PutInput' } } },
  shapes: {
    PutInput: {
      type: 'structure',
      members: {
        Names: { shape: 'Names', flattened: true, locationName: 'Name' },
        Labels: { shape: 'Labels' },
        When: { shape: 'When' },
        Ratio: { shape: 'Ratio' },
        Payload: { shape: 'Payload' },
      },
    },
    Names: { type: 'list', member: { shape: 'Text' }, flattened: true },
    Labels: { type: 'map', key: { shape: 'Text' }, value: { shape: 'Text' } },
    When: { type: 'timestamp' },
    Ratio: { type: 'double' },
    Payload: { type: 'blob' },
    Text: { type: 'string' },
  },
});

test('decode: flattened lists (`Name.N`, locationName), maps (`Name.entry.N.key`), timestamps, doubles, blobs', () => {
  const { input } = decode(synthetic, [
    ['Action', 'Put'], ['Version', '2020-01-01'],
    ['Name.1', 'a'], ['Name.2', 'b'],
    ['Labels.entry.1.key', 'team'], ['Labels.entry.1.value', 'payments'],
    ['Labels.entry.2.key', '__proto__'], ['Labels.entry.2.value', 'kept as data'],
    ['When', '2026-11-23T07:35:00Z'], ['Ratio', '0.25'], ['Payload', Buffer.from('hello').toString('base64')],
  ]);
  assert.deepEqual(input.Names, ['a', 'b']);
  assert.equal((input.Labels as Record<string, string>).team, 'payments');
  assert.ok(Object.hasOwn(input.Labels as object, '__proto__'));
  assert.equal(input.When, '2026-11-23T07:35:00.000Z');
  assert.equal(input.Ratio, 0.25);
  assert.equal((input.Payload as Buffer).toString(), 'hello');
});

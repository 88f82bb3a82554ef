import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../src/policy/errors.js';
import { inAwsOrder, validateInput } from '../../src/model/input-validation.js';
import { loadServiceModel, type ServiceModel } from '../../src/model/service-models.js';

// The expected messages are AWS's own responses as quoted in public bug reports (docs/wire-format.md,
// "Validation"): ValidationError, HTTP 400, `N validation error(s) detected: Value '…' at 'lowerCamelPath'
// failed to satisfy constraint: …`, violations joined with "; ".

const iam = loadServiceModel('iam');
const sts = loadServiceModel('sts');
const TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';

function validationMessage(model: ServiceModel, operationName: string, input: Record<string, unknown>): string | undefined {
  const operation = model.operation(operationName);
  assert.ok(operation, operationName);
  try {
    validateInput(model, operation, input);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof AwsError);
    assert.equal(error.code, 'ValidationError');
    assert.equal(error.httpStatus, 400);
    assert.equal(error.type, 'Sender');
    return error.message;
  }
}

test('validation: a valid CreateRole passes', () => {
  assert.equal(validationMessage(iam, 'CreateRole', {
    RoleName: 'app-role', Path: '/service/', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 43200,
    Tags: [{ Key: 'team', Value: 'payments' }],
  }), undefined);
});

test('validation: role name over 64 characters (IAM CreateRole response quoted in legion-platform/legion#530)', () => {
  assert.equal(
    validationMessage(iam, 'CreateRole', { RoleName: 'legion-ci-infra.epm.kharlamov.biz-enclave-ci-event-collector-role', AssumeRolePolicyDocument: TRUST }),
    "1 validation error detected: Value 'legion-ci-infra.epm.kharlamov.biz-enclave-ci-event-collector-role' at 'roleName' " +
    'failed to satisfy constraint: Member must have length less than or equal to 64');
});

test('validation: missing required member is "Value null … Member must not be null" (STS AssumeRole, aws-sdk-cpp#1252)', () => {
  assert.equal(
    validationMessage(sts, 'AssumeRole', { RoleArn: 'arn:aws:iam::123456789012:role/app-role' }),
    "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
});

test('validation: pattern violation quotes the model pattern (STS roleSessionName, JuliaCloud/AWSCore.jl#38)', () => {
  assert.equal(
    validationMessage(sts, 'AssumeRole', { RoleArn: 'arn:aws:iam::123456789012:role/app-role', RoleSessionName: 'a:b' }),
    "1 validation error detected: Value 'a:b' at 'roleSessionName' failed to satisfy constraint: " +
    'Member must satisfy regular expression pattern: [\\w+=,.@-]*');
});

test('validation: several violations are counted and joined with "; ", pattern before length (STS, newscorpaus/consigliere#18)', () => {
  assert.equal(
    validationMessage(sts, 'AssumeRole', { RoleArn: '', RoleSessionName: 'session' }),
    "2 validation errors detected: Value '' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: " +
    '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+; ' +
    "Value '' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20");
});

test('validation: several members\' violations come in AWS\'s order — a Java HashMap\'s of the member names — not the model\'s member order (issue 11)', () => {
  // UpdateAccountPasswordPolicy: AWS lists minimumPasswordLength; passwordReusePrevention; maxPasswordAge.
  const passwordPolicy = validationMessage(iam, 'UpdateAccountPasswordPolicy', { MinimumPasswordLength: 200, MaxPasswordAge: 2000, PasswordReusePrevention: 50 });
  assert.deepEqual([...(passwordPolicy ?? '').matchAll(/at '(\w+)'/g)].map((m) => m[1]), ['minimumPasswordLength', 'passwordReusePrevention', 'maxPasswordAge']);
  // CreateOpenIDConnectProvider: AWS lists clientIDList; thumbprintList; url.
  const oidc = validationMessage(iam, 'CreateOpenIDConnectProvider', { Url: '', ClientIDList: [''], ThumbprintList: ['short'] });
  assert.deepEqual([...new Set([...(oidc ?? '').matchAll(/at '([\w.]+?)(?:\.member)?'/g)].map((m) => m[1]!.split('.')[0]))], ['clientIDList', 'thumbprintList', 'url']);
  // Violations of one member stay together, in their messages' HashSet order (here length before pattern).
  assert.equal(
    validationMessage(iam, 'CreateRole', { Path: 'service', RoleName: '' }),
    '4 validation errors detected: ' +
    "Value 'service' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F); " +
    "Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null; " +
    "Value '' at 'roleName' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
    "Value '' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
});

// Recorded multi-error responses of AWS services that share IAM's validation wording, each given to
// inAwsOrder in the model's member order (the order Rolecall finds them in) and expected in AWS's.
const notNull = (path: string) => `Value null at '${path}' failed to satisfy constraint: Member must not be null`;
const minLength = (path: string, min: number) => `Value '' at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`;
const pattern = (path: string, regex: string, value = "''") => `Value ${value} at '${path}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${regex}`;
const TABLE_NAME = '[a-zA-Z0-9_.-]+';

test('validation order: members of a nested structure by the HashMap order of their own names, not of the dotted path (DynamoDB CreateTable, recorded probe)', () => {
  // AWS: attributeType before attributeName, writeCapacityUnits before readCapacityUnits, attributeName before keyType.
  assert.deepEqual(
    inAwsOrder([notNull('attributeDefinitions.1.member.attributeName'), notNull('attributeDefinitions.1.member.attributeType')]),
    [notNull('attributeDefinitions.1.member.attributeType'), notNull('attributeDefinitions.1.member.attributeName')]);
  assert.deepEqual(
    inAwsOrder([notNull('provisionedThroughput.readCapacityUnits'), notNull('provisionedThroughput.writeCapacityUnits')]),
    [notNull('provisionedThroughput.writeCapacityUnits'), notNull('provisionedThroughput.readCapacityUnits')]);
  assert.deepEqual(
    inAwsOrder([notNull('keySchema.1.member.attributeName'), notNull('keySchema.1.member.keyType')]),
    [notNull('keySchema.1.member.attributeName'), notNull('keySchema.1.member.keyType')]);
});

test('validation order: top-level members by the HashMap order of their names (Cognito SignUp and AddUserToGroup, SWF DescribeWorkflowExecution)', () => {
  // AWS: password before username (model: Username, Password); groupName before username (model: Username, GroupName).
  const sensitive = (path: string, constraint: string) => `Value at '${path}' failed to satisfy constraint: ${constraint}`;
  assert.deepEqual(
    inAwsOrder([
      sensitive('username', 'Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+'),
      sensitive('username', 'Member must have length greater than or equal to 1'),
      sensitive('password', 'Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$'),
    ]),
    [
      sensitive('password', 'Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$'),
      sensitive('username', 'Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+'),
      sensitive('username', 'Member must have length greater than or equal to 1'),
    ]);
  assert.deepEqual(
    inAwsOrder([sensitive('username', 'Member must not be null'), notNull('groupName')]),
    [notNull('groupName'), sensitive('username', 'Member must not be null')]);
  // SWF: execution before domain (model: domain, execution).
  assert.deepEqual(inAwsOrder([notNull('domain'), notNull('execution')]), [notNull('execution'), notNull('domain')]);
});

test('validation order: one member\'s violations by the HashSet order of their messages (DynamoDB tableName vs exclusiveStartTableName, same shape; STS roleArn)', () => {
  // AWS: DescribeTable's empty tableName length first, ListTables' empty exclusiveStartTableName pattern
  // first, CreateBackup's empty backupName pattern first, AssumeRole's empty roleArn pattern first.
  assert.deepEqual(
    inAwsOrder([pattern('tableName', TABLE_NAME), minLength('tableName', 3)]),
    [minLength('tableName', 3), pattern('tableName', TABLE_NAME)]);
  assert.deepEqual(
    inAwsOrder([pattern('exclusiveStartTableName', TABLE_NAME), minLength('exclusiveStartTableName', 3)]),
    [pattern('exclusiveStartTableName', TABLE_NAME), minLength('exclusiveStartTableName', 3)]);
  assert.deepEqual(
    inAwsOrder([minLength('backupName', 3), pattern('backupName', TABLE_NAME)]),
    [pattern('backupName', TABLE_NAME), minLength('backupName', 3)]);
  // CloudFormation's empty stackName and Cognito's empty clientId: length first.
  const stackName = '[a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*';
  assert.deepEqual(inAwsOrder([pattern('stackName', stackName), minLength('stackName', 1)]), [minLength('stackName', 1), pattern('stackName', stackName)]);
  assert.deepEqual(inAwsOrder([pattern('clientId', '[\\w+]+'), minLength('clientId', 1)]), [minLength('clientId', 1), pattern('clientId', '[\\w+]+')]);
});

test('validation: members of list elements are reported at `tags.N.member.value` (IAM CreateUser, SWO-GS/auto-tag#90)', () => {
  const value = 'SourceIP: 10.0.0.1, UserAgent: aws-cli/2.1.17 Python/3.7.4 Darwin/20.3.0 exe/x86_64 prompt/off command/iam.create-user';
  const tags = ['a', 'b', 'c', 'd', 'e'].map((key) => ({ Key: key, Value: 'ok' }));
  assert.equal(
    validationMessage(iam, 'CreateUser', { UserName: 'alice', Tags: [...tags, { Key: 'AutoTag_ClientInfo', Value: value }] }),
    `1 validation error detected: Value '${value}' at 'tags.6.member.value' failed to satisfy constraint: ` +
    'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*');
  assert.equal(
    validationMessage(iam, 'TagRole', { RoleName: 'r', Tags: [{ Key: 'team' }] }),
    "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null");
});

test('validation: integer range is "Member must have value …" (IAM maxSessionDuration 3600–43200, ListRoles maxItems ≥ 1)', () => {
  assert.equal(
    validationMessage(iam, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 50000 }),
    "1 validation error detected: Value '50000' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200");
  assert.equal(
    validationMessage(iam, 'ListRoles', { MaxItems: 0 }),
    "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1");
});

test('validation: enum is "Member must satisfy enum value set: [...]" in the model\'s order (IAM UpdateAccessKey status)', () => {
  assert.equal(
    validationMessage(iam, 'UpdateAccessKey', { AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', Status: 'Enabled' }),
    "1 validation error detected: Value 'Enabled' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]");
});

test('validation: list length (51 tags; IAM tagListType max 50)', () => {
  const tags = Array.from({ length: 51 }, (_, index) => ({ Key: `k${index}`, Value: 'v' }));
  const message = validationMessage(iam, 'TagRole', { RoleName: 'r', Tags: tags });
  assert.ok(message?.startsWith("1 validation error detected: Value '[{Key=k0, Value=v}, {Key=k1, Value=v}, "), message);
  assert.ok(message?.endsWith("{Key=k50, Value=v}]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"), message);
});

test('validation: a bad scalar in a list is reported once at the list with the element constraints (format of aws-cli CloudFormation capabilities errors)', () => {
  assert.equal(
    validationMessage(iam, 'UntagRole', { RoleName: 'r', TagKeys: ['team', 'x'.repeat(129)] }),
    `1 validation error detected: Value '[team, ${'x'.repeat(129)}]' at 'tagKeys' failed to satisfy constraint: ` +
    'Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, ' +
    'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+]');
});

test('validation: sensitive members are not echoed back (STS webIdentityToken)', () => {
  assert.equal(
    validationMessage(sts, 'AssumeRoleWithWebIdentity', {
      RoleArn: 'arn:aws:iam::123456789012:role/app-role', RoleSessionName: 'pod', WebIdentityToken: 'abc',
    }),
    "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4");
});

test('validation: lengths count characters, not UTF-16 units (256 astral letters are a valid tag value)', () => {
  const astral = '𝒜'.repeat(256);
  assert.equal(validationMessage(iam, 'TagRole', { RoleName: 'r', Tags: [{ Key: 'k', Value: astral }] }), undefined);
  assert.match(validationMessage(iam, 'TagRole', { RoleName: 'r', Tags: [{ Key: 'k', Value: `${astral}𝒜` }] }) ?? '',
    /at 'tags\.1\.member\.value' failed to satisfy constraint: Member must have length less than or equal to 256$/);
});

test('validation: patterns match the whole value (a role name with a space fails `[\\w+=,.@-]+`)', () => {
  assert.match(validationMessage(iam, 'GetRole', { RoleName: 'app role' }) ?? '',
    /Value 'app role' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
});

test('validation: an operation without input shape accepts anything; GetCallerIdentity takes none', () => {
  assert.equal(validationMessage(sts, 'GetCallerIdentity', {}), undefined);
});

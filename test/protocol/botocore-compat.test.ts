import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { noSuchEntity } from '../../src/model/errors.js';
import { decodeQueryRequest, encodeQueryError, encodeQueryResponse, loadServiceModel, type ServiceName } from '../../src/protocol/index.js';
import { runBotocore, type BotocoreJob } from './botocore-client.js';

// Real clients read what we write and we read what they send: botocore (boto3, AWS CLI v1) serializes the
// requests our decoder reads, and its Query parser plus IAM's after-call policy decoding read our XML.

const iam = loadServiceModel('iam');
const sts = loadServiceModel('sts');
const TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
const INLINE = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Sid": "Caf\u00e9 100% *", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::a+b/*"}]\n}';
const role = {
  Path: '/service/', RoleName: 'app-role', RoleId: 'AROAEXAMPLEID1234567', Arn: 'arn:aws:iam::123456789012:role/service/app-role',
  CreateDate: '2026-11-23T07:35:00Z', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 3600,
  Description: 'a<b & "c" \'d\'\r\nend', Tags: [{ Key: 'team', Value: 'payments' }],
};

const jobs: Record<string, BotocoreJob> = {};
function serialize(name: string, service: ServiceName, operation: string, params: Record<string, unknown>) {
  jobs[name] = { kind: 'serialize', service, operation, params };
}
function parse(name: string, service: ServiceName, operation: string, output: unknown) {
  const model = service === 'iam' ? iam : sts;
  jobs[name] = { kind: 'parse', service, operation, statusCode: 200, body: encodeQueryResponse(model, operation, output, `req-${name}`) };
}

serialize('createRole', 'iam', 'CreateRole', {
  RoleName: 'app-role', Path: '/service/', AssumeRolePolicyDocument: TRUST, Description: 'EC2 app', MaxSessionDuration: 7200,
  Tags: [{ Key: 'team', Value: 'payments' }, { Key: 'env', Value: 'prod' }],
});
serialize('untagEmpty', 'iam', 'UntagRole', { RoleName: 'app-role', TagKeys: [] });
serialize('listRoles', 'iam', 'ListRoles', { PathPrefix: '/service/', MaxItems: 5 });
serialize('putRolePolicy', 'iam', 'PutRolePolicy', { RoleName: 'app-role', PolicyName: 's3', PolicyDocument: INLINE });
serialize('assumeRole', 'sts', 'AssumeRole', {
  RoleArn: 'arn:aws:iam::123456789012:role/app-role', RoleSessionName: 'ci', DurationSeconds: 900,
  PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }], Tags: [{ Key: 'project', Value: 'rolecall' }], TransitiveTagKeys: ['project'],
});
parse('createRoleResult', 'iam', 'CreateRole', { Role: role });
parse('getRoleResult', 'iam', 'GetRole', { Role: { ...role, RoleLastUsed: { LastUsedDate: '2026-11-24T01:02:03Z', Region: 'us-east-1' } } });
parse('listRolesResult', 'iam', 'ListRoles', { Roles: [role, { ...role, RoleName: 'second' }], IsTruncated: true, Marker: 'next-page' });
parse('listRolesEmpty', 'iam', 'ListRoles', { Roles: [], IsTruncated: false });
parse('getRolePolicyResult', 'iam', 'GetRolePolicy', { RoleName: 'app-role', PolicyName: 's3', PolicyDocument: INLINE });
parse('attachedResult', 'iam', 'ListAttachedRolePolicies', {
  AttachedPolicies: [{ PolicyName: 'AmazonS3ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }], IsTruncated: false,
});
parse('deleteRoleResult', 'iam', 'DeleteRole', undefined);
parse('summaryResult', 'iam', 'GetAccountSummary', { SummaryMap: { Users: 2, Roles: 5 } });
parse('callerResult', 'sts', 'GetCallerIdentity', { UserId: 'AIDAEXAMPLEUSERID1234', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/alice' });
parse('assumeRoleResult', 'sts', 'AssumeRole', {
  Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: '2026-11-23T08:35:00Z' },
  AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLEID1234567:ci', Arn: 'arn:aws:sts::123456789012:assumed-role/app-role/ci' },
  PackedPolicySize: 6,
});
const notFound = encodeQueryError(iam, noSuchEntity('The role with name missing cannot be found.'), 'req-error');
jobs.errorResult = { kind: 'parse', service: 'iam', operation: 'GetRole', statusCode: notFound.statusCode, body: notFound.body };

const results: Record<string, unknown> = {};
before(() => {
  const names = Object.keys(jobs);
  const outputs = runBotocore(names.map((name) => jobs[name] as BotocoreJob));
  names.forEach((name, index) => { results[name] = outputs[index]; });
});

// botocore's parsed output, typed loosely for assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const parsed = (name: string): any => results[name];
// botocore's body carries Action and Version itself, so routing is exercised too.
function decoded(model: typeof iam, operation: string, body: unknown) {
  const request = decodeQueryRequest(model, new URLSearchParams(String(body)));
  assert.equal(request.operation.name, operation);
  return request.input;
}

test('botocore: a CreateRole request serialized by botocore decodes to the same input', () => {
  assert.deepEqual(decoded(iam, 'CreateRole', results.createRole), {
    Path: '/service/', RoleName: 'app-role', AssumeRolePolicyDocument: TRUST, Description: 'EC2 app', MaxSessionDuration: 7200,
    Tags: [{ Key: 'team', Value: 'payments' }, { Key: 'env', Value: 'prod' }],
  });
});

test('botocore: an empty list (UntagRole TagKeys=[]) arrives as a bare `TagKeys=` and decodes to []', () => {
  assert.equal(results.untagEmpty, 'Action=UntagRole&Version=2010-05-08&RoleName=app-role&TagKeys=');
  assert.deepEqual(decoded(iam, 'UntagRole', results.untagEmpty), { RoleName: 'app-role', TagKeys: [] });
});

test('botocore: ListRoles, PutRolePolicy and STS AssumeRole requests decode to the inputs botocore was given', () => {
  assert.deepEqual(decoded(iam, 'ListRoles', results.listRoles), { PathPrefix: '/service/', MaxItems: 5 });
  assert.deepEqual(decoded(iam, 'PutRolePolicy', results.putRolePolicy), { RoleName: 'app-role', PolicyName: 's3', PolicyDocument: INLINE });
  assert.deepEqual(decoded(sts, 'AssumeRole', results.assumeRole), {
    RoleArn: 'arn:aws:iam::123456789012:role/app-role', RoleSessionName: 'ci', DurationSeconds: 900,
    PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }], Tags: [{ Key: 'project', Value: 'rolecall' }], TransitiveTagKeys: ['project'],
  });
});

test('botocore: reads our CreateRole response, URL-decoding the trust policy back to the original JSON', () => {
  const { Role, ResponseMetadata } = parsed('createRoleResult');
  assert.deepEqual(Role.AssumeRolePolicyDocument, JSON.parse(TRUST));
  assert.equal(Role.RoleName, 'app-role');
  assert.equal(Role.CreateDate, '2026-11-23T07:35:00+00:00');
  assert.equal(Role.MaxSessionDuration, 3600);
  assert.equal(Role.Description, role.Description);
  assert.deepEqual(Role.Tags, [{ Key: 'team', Value: 'payments' }]);
  assert.equal(ResponseMetadata.RequestId, 'req-createRoleResult');
});

test('botocore: reads GetRole with RoleLastUsed, and ListRoles pagination (IsTruncated, Marker) and empty lists', () => {
  assert.deepEqual(parsed('getRoleResult').Role.RoleLastUsed, { LastUsedDate: '2026-11-24T01:02:03+00:00', Region: 'us-east-1' });
  const page = parsed('listRolesResult');
  assert.deepEqual(page.Roles.map((item: { RoleName: string }) => item.RoleName), ['app-role', 'second']);
  assert.deepEqual(page.Roles[1].AssumeRolePolicyDocument, JSON.parse(TRUST));
  assert.equal(page.IsTruncated, true);
  assert.equal(page.Marker, 'next-page');
  assert.deepEqual(parsed('listRolesEmpty').Roles, []);
  assert.equal(parsed('listRolesEmpty').IsTruncated, false);
});

test('botocore: an inline policy with whitespace, %, + and non-ASCII comes back as the same document', () => {
  const result = parsed('getRolePolicyResult');
  assert.deepEqual(result.PolicyDocument, JSON.parse(INLINE));
  assert.equal(result.PolicyName, 's3');
});

test('botocore: reads ListAttachedRolePolicies, DeleteRole (no result), GetAccountSummary (map)', () => {
  assert.deepEqual(parsed('attachedResult').AttachedPolicies,
    [{ PolicyName: 'AmazonS3ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }]);
  const deleted = parsed('deleteRoleResult');
  assert.deepEqual(Object.keys(deleted), ['ResponseMetadata']);
  assert.equal(deleted.ResponseMetadata.RequestId, 'req-deleteRoleResult');
  assert.deepEqual(parsed('summaryResult').SummaryMap, { Users: 2, Roles: 5 });
});

test('botocore: reads STS GetCallerIdentity and AssumeRole (Expiration as a timestamp)', () => {
  const caller = parsed('callerResult');
  assert.equal(caller.Arn, 'arn:aws:iam::123456789012:user/alice');
  assert.equal(caller.Account, '123456789012');
  const assumed = parsed('assumeRoleResult');
  assert.equal(assumed.Credentials.Expiration, '2026-11-23T08:35:00+00:00');
  assert.equal(assumed.AssumedRoleUser.AssumedRoleId, 'AROAEXAMPLEID1234567:ci');
  assert.equal(assumed.PackedPolicySize, 6);
});

test('botocore: reads our error document as the client error boto3 raises (code, message, type, request id)', () => {
  const error = parsed('errorResult');
  assert.deepEqual(error.Error, { Type: 'Sender', Code: 'NoSuchEntity', Message: 'The role with name missing cannot be found.' });
  assert.equal(error.ResponseMetadata.RequestId, 'req-error');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeQueryResponse, encodeRfc3986, escapeXml, formatTimestamp, loadServiceModel } from '../../src/protocol/index.js';

// AWS Query responses (iam-rules.md "Wire format"; IAM API reference response examples): the
// <OpResponse xmlns> / <OpResult> / <ResponseMetadata><RequestId> envelope, list items as <member>,
// ISO 8601 timestamps, policy documents URL-encoded per RFC 3986 ("Policies returned by this operation are
// URL-encoded compliant with RFC 3986", API_GetRole.html).

const iam = loadServiceModel('iam');
const sts = loadServiceModel('sts');
const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
const TRUST_ENCODED = '%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service' +
  '%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D';

// A stored role as the model layer keeps it: more fields than the API shape, in another order.
const storedRole = {
  AccountId: '123456789012',
  InlinePolicies: { secret: '{}' },
  Tags: [{ Key: 'team', Value: 'payments' }],
  MaxSessionDuration: 3600,
  AssumeRolePolicyDocument: TRUST,
  CreateDate: '2026-11-23T07:35:00.000Z',
  Arn: 'arn:aws:iam::123456789012:role/service/app-role',
  RoleId: 'AROAEXAMPLEID1234567',
  RoleName: 'app-role',
  Path: '/service/',
};

test('encode: IAM CreateRole — members in the shape\'s order, unexposed fields dropped, policy URL-encoded, tags as <member>', () => {
  assert.equal(encodeQueryResponse(iam, 'CreateRole', { Role: storedRole }, 'req-1'),
    `<CreateRoleResponse xmlns="${IAM_NS}"><CreateRoleResult><Role>` +
    '<Path>/service/</Path><RoleName>app-role</RoleName><RoleId>AROAEXAMPLEID1234567</RoleId>' +
    '<Arn>arn:aws:iam::123456789012:role/service/app-role</Arn><CreateDate>2026-11-23T07:35:00Z</CreateDate>' +
    `<AssumeRolePolicyDocument>${TRUST_ENCODED}</AssumeRolePolicyDocument><MaxSessionDuration>3600</MaxSessionDuration>` +
    '<Tags><member><Key>team</Key><Value>payments</Value></member></Tags>' +
    '</Role></CreateRoleResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></CreateRoleResponse>');
});

test('encode: IAM GetRole — nested structures (PermissionsBoundary, RoleLastUsed) and integers', () => {
  const xml = encodeQueryResponse(iam, 'GetRole', {
    Role: {
      ...storedRole, Description: 'app', Tags: undefined,
      PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/boundary' },
      RoleLastUsed: { LastUsedDate: '2026-11-24T01:02:03.456Z', Region: 'us-east-1' },
    },
  }, 'req-2');
  assert.ok(xml.startsWith(`<GetRoleResponse xmlns="${IAM_NS}"><GetRoleResult><Role><Path>/service/</Path>`));
  assert.ok(xml.includes('<Description>app</Description><MaxSessionDuration>3600</MaxSessionDuration>' +
    '<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType>' +
    '<PermissionsBoundaryArn>arn:aws:iam::123456789012:policy/boundary</PermissionsBoundaryArn></PermissionsBoundary>' +
    '<RoleLastUsed><LastUsedDate>2026-11-24T01:02:03Z</LastUsedDate><Region>us-east-1</Region></RoleLastUsed></Role></GetRoleResult>'), xml);
  assert.ok(!xml.includes('<Tags>'));
});

test('encode: IAM ListRoles — list of structures, IsTruncated as true/false, Marker; an empty list stays present', () => {
  const xml = encodeQueryResponse(iam, 'ListRoles', { Roles: [storedRole, { ...storedRole, RoleName: 'second' }], IsTruncated: true, Marker: 'm-2' }, 'req-3');
  assert.match(xml, /^<ListRolesResponse xmlns="[^"]+"><ListRolesResult><Roles><member><Path>\/service\/<\/Path><RoleName>app-role<\/RoleName>/);
  assert.match(xml, /<\/member><member><Path>\/service\/<\/Path><RoleName>second<\/RoleName>.*<\/member><\/Roles><IsTruncated>true<\/IsTruncated><Marker>m-2<\/Marker><\/ListRolesResult>/);
  assert.equal(encodeQueryResponse(iam, 'ListRoles', { Roles: [], IsTruncated: false }, 'req-4'),
    `<ListRolesResponse xmlns="${IAM_NS}"><ListRolesResult><Roles></Roles><IsTruncated>false</IsTruncated></ListRolesResult>` +
    '<ResponseMetadata><RequestId>req-4</RequestId></ResponseMetadata></ListRolesResponse>');
});

test('encode: operations without an output shape have no Result element (DeleteRole, PutRolePolicy, AttachRolePolicy)', () => {
  for (const operation of ['DeleteRole', 'PutRolePolicy', 'AttachRolePolicy']) {
    assert.equal(encodeQueryResponse(iam, operation, undefined, 'req-5'),
      `<${operation}Response xmlns="${IAM_NS}"><ResponseMetadata><RequestId>req-5</RequestId></ResponseMetadata></${operation}Response>`);
  }
});

test('encode: IAM ListAttachedRolePolicies — AttachedPolicies as <member> with PolicyName and PolicyArn', () => {
  assert.equal(encodeQueryResponse(iam, 'ListAttachedRolePolicies', {
    AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', PolicyName: 'AmazonS3ReadOnlyAccess' }],
    IsTruncated: false,
  }, 'req-6'),
  `<ListAttachedRolePoliciesResponse xmlns="${IAM_NS}"><ListAttachedRolePoliciesResult><AttachedPolicies><member>` +
  '<PolicyName>AmazonS3ReadOnlyAccess</PolicyName><PolicyArn>arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess</PolicyArn>' +
  '</member></AttachedPolicies><IsTruncated>false</IsTruncated></ListAttachedRolePoliciesResult>' +
  '<ResponseMetadata><RequestId>req-6</RequestId></ResponseMetadata></ListAttachedRolePoliciesResponse>');
});

test('encode: IAM GetRolePolicy returns the inline document URL-encoded, whitespace and all', () => {
  const document = '{\n  "Version": "2012-10-17",\n  "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}\n}';
  const xml = encodeQueryResponse(iam, 'GetRolePolicy', { RoleName: 'app-role', PolicyName: 's3', PolicyDocument: document }, 'req-7');
  assert.ok(xml.includes('<RoleName>app-role</RoleName><PolicyName>s3</PolicyName><PolicyDocument>' +
    '%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22%2C%0A%20%20%22Statement%22%3A%20%7B%22Effect%22%3A%20%22Allow%22%2C%20' +
    '%22Action%22%3A%20%22s3%3A%2A%22%2C%20%22Resource%22%3A%20%22%2A%22%7D%0A%7D</PolicyDocument>'), xml);
});

test('encode: STS GetCallerIdentity in the STS namespace', () => {
  assert.equal(encodeQueryResponse(sts, 'GetCallerIdentity', {
    UserId: 'AIDAEXAMPLEUSERID1234', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/alice',
  }, 'req-8'),
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
  '<UserId>AIDAEXAMPLEUSERID1234</UserId><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/alice</Arn>' +
  '</GetCallerIdentityResult><ResponseMetadata><RequestId>req-8</RequestId></ResponseMetadata></GetCallerIdentityResponse>');
});

test('encode: STS AssumeRole — Credentials with Expiration, AssumedRoleUser, PackedPolicySize', () => {
  const xml = encodeQueryResponse(sts, 'AssumeRole', {
    AssumedRoleUser: { Arn: 'arn:aws:sts::123456789012:assumed-role/app-role/ci', AssumedRoleId: 'AROAEXAMPLEID1234567:ci' },
    Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(Date.UTC(2026, 10, 23, 8, 35, 0, 250)) },
    PackedPolicySize: 6,
  }, 'req-9');
  assert.ok(xml.includes('<AssumeRoleResult><Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>secret</SecretAccessKey>' +
    '<SessionToken>token</SessionToken><Expiration>2026-11-23T08:35:00Z</Expiration></Credentials>' +
    '<AssumedRoleUser><AssumedRoleId>AROAEXAMPLEID1234567:ci</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/app-role/ci</Arn>' +
    '</AssumedRoleUser><PackedPolicySize>6</PackedPolicySize></AssumeRoleResult>'), xml);
});

test('encode: maps as <entry><key/><value/></entry> (IAM GetAccountSummary SummaryMap)', () => {
  const xml = encodeQueryResponse(iam, 'GetAccountSummary', { SummaryMap: { Users: 2, Roles: 5 } }, 'req-10');
  assert.ok(xml.includes('<GetAccountSummaryResult><SummaryMap><entry><key>Users</key><value>2</value></entry>' +
    '<entry><key>Roles</key><value>5</value></entry></SummaryMap></GetAccountSummaryResult>'), xml);
});

test('encode: text is XML-escaped, carriage returns survive parsing as &#xD;', () => {
  const xml = encodeQueryResponse(iam, 'GetRole', { Role: { ...storedRole, Description: 'a<b & "c" \'d\'\r\ne>' } }, 'req-<11>');
  assert.ok(xml.includes('<Description>a&lt;b &amp; &quot;c&quot; &apos;d&apos;&#xD;\ne&gt;</Description>'), xml);
  assert.ok(xml.includes('<RequestId>req-&lt;11&gt;</RequestId>'));
  assert.equal(escapeXml('plain'), 'plain');
});

test('encode: RFC 3986 leaves only unreserved characters (A-Z a-z 0-9 - . _ ~) unescaped', () => {
  assert.equal(encodeRfc3986("Az09-._~ !'()*/:é"), 'Az09-._~%20%21%27%28%29%2A%2F%3A%C3%A9');
});

test('encode: timestamps are ISO 8601 UTC to the second, from ISO text, Date or epoch milliseconds', () => {
  assert.equal(formatTimestamp('2026-11-23T07:35:00.999Z'), '2026-11-23T07:35:00Z');
  assert.equal(formatTimestamp('2026-11-23T08:35:00+01:00'), '2026-11-23T07:35:00Z');
  assert.equal(formatTimestamp(new Date(Date.UTC(2026, 10, 23, 7, 35))), '2026-11-23T07:35:00Z');
  assert.equal(formatTimestamp(Date.UTC(2026, 10, 23, 7, 35)), '2026-11-23T07:35:00Z');
  assert.throws(() => formatTimestamp('yesterday'));
});

test('encode: an operation the model does not have is a programming error', () => {
  assert.throws(() => encodeQueryResponse(iam, 'CreateRoles', {}, 'r'), /no operation CreateRoles/);
});

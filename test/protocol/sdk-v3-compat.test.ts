import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateRoleCommand, DeleteRoleCommand, GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, NoSuchEntityException,
  paginateListRoles, UntagRoleCommand, type IAMClientConfig,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { noSuchEntity } from '../../src/model/errors.js';
import {
  asAwsError, decodeQueryRequest, encodeQueryError, encodeQueryResponse, loadServiceModel, validateInput, type ServiceModel,
} from '../../src/protocol/index.js';

// The AWS SDK for JavaScript v3 talks to the codec through a request handler in place of HTTP: its own
// Query serializer produces the requests we decode, its own XML deserializer reads what we encode.

const iam = loadServiceModel('iam');
const sts = loadServiceModel('sts');
const TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';

type Responder = (operation: string, input: Record<string, unknown>) => unknown;

interface Exchange { operation: string; input: Record<string, unknown> }

/** SDK client settings whose transport decodes, validates, answers and encodes as the server will. */
function viaCodec(model: ServiceModel, respond: Responder, seen: Exchange[] = []) {
  const handler = {
    async handle(request: { body?: unknown }) {
      const requestId = `req-${seen.length + 1}`;
      let statusCode = 200;
      let body: string;
      try {
        const { operation, input } = decodeQueryRequest(model, new URLSearchParams(String(request.body)));
        seen.push({ operation: operation.name, input });
        validateInput(model, operation, input);
        body = encodeQueryResponse(model, operation.name, respond(operation.name, input), requestId);
      } catch (error) {
        const encoded = encodeQueryError(model, asAwsError(error, model), requestId);
        statusCode = encoded.statusCode;
        body = encoded.body;
      }
      const headers = { 'content-type': 'text/xml', 'x-amzn-requestid': requestId };
      return { response: { statusCode, headers, body: new TextEncoder().encode(body) } };
    },
  };
  return {
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    requestHandler: handler as unknown as IAMClientConfig['requestHandler'],
    maxAttempts: 1,
  };
}

const role = (name: string) => ({
  Path: '/', RoleName: name, RoleId: 'AROAEXAMPLEID1234567', Arn: `arn:aws:iam::123456789012:role/${name}`,
  CreateDate: '2026-11-23T07:35:00Z', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 3600,
});

test('SDK v3: CreateRole with Tags is decoded as sent and the SDK reads the Role back', async () => {
  const seen: Exchange[] = [];
  const client = new IAMClient(viaCodec(iam, () => ({ Role: { ...role('app-role'), Tags: [{ Key: 'team', Value: 'payments' }] } }), seen));
  const result = await client.send(new CreateRoleCommand({
    RoleName: 'app-role', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 'team', Value: 'payments' }, { Key: 'env', Value: 'prod' }],
  }));
  assert.deepEqual(seen, [{
    operation: 'CreateRole',
    input: { RoleName: 'app-role', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 'team', Value: 'payments' }, { Key: 'env', Value: 'prod' }] },
  }]);
  assert.equal(result.Role?.RoleName, 'app-role');
  assert.deepEqual(result.Role?.CreateDate, new Date('2026-11-23T07:35:00Z'));
  assert.deepEqual(result.Role?.Tags, [{ Key: 'team', Value: 'payments' }]);
  // SDK v3 does not URL-decode policy documents (neither does AWS for it): the caller gets AWS's encoding.
  assert.equal(decodeURIComponent(result.Role?.AssumeRolePolicyDocument ?? ''), TRUST);
  assert.notEqual(result.Role?.AssumeRolePolicyDocument, TRUST);
  assert.equal(result.$metadata.requestId, 'req-1');
});

test('SDK v3: the ListRoles paginator follows IsTruncated/Marker across pages', async () => {
  const names = ['a', 'b', 'c', 'd', 'e'];
  const client = new IAMClient(viaCodec(iam, (_operation, input) => {
    const start = input.Marker ? Number(input.Marker) : 0;
    const size = Number(input.MaxItems ?? 100);
    const page = names.slice(start, start + size);
    const more = start + size < names.length;
    return { Roles: page.map(role), IsTruncated: more, ...(more ? { Marker: String(start + size) } : {}) };
  }));
  const collected: string[] = [];
  for await (const page of paginateListRoles({ client, pageSize: 2 }, {})) {
    collected.push(...(page.Roles ?? []).map((item) => item.RoleName ?? ''));
  }
  assert.deepEqual(collected, names);
});

test('SDK v3: an empty TagKeys list and a no-output DeleteRole round-trip', async () => {
  const seen: Exchange[] = [];
  const client = new IAMClient(viaCodec(iam, () => undefined, seen));
  await client.send(new UntagRoleCommand({ RoleName: 'app-role', TagKeys: [] }));
  const deleted = await client.send(new DeleteRoleCommand({ RoleName: 'app-role' }));
  assert.deepEqual(seen.map((exchange) => exchange.input), [{ RoleName: 'app-role', TagKeys: [] }, { RoleName: 'app-role' }]);
  assert.equal(deleted.$metadata.httpStatusCode, 200);
});

test('SDK v3: ListAttachedRolePolicies members are read as AttachedPolicy objects', async () => {
  const client = new IAMClient(viaCodec(iam, () => ({
    AttachedPolicies: [{ PolicyName: 'AmazonS3ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }], IsTruncated: false,
  })));
  const result = await client.send(new ListAttachedRolePoliciesCommand({ RoleName: 'app-role' }));
  assert.deepEqual(result.AttachedPolicies, [{ PolicyName: 'AmazonS3ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }]);
  assert.equal(result.IsTruncated, false);
});

test('SDK v3: our NoSuchEntity error becomes the SDK\'s NoSuchEntityException with status 404', async () => {
  const client = new IAMClient(viaCodec(iam, () => { throw noSuchEntity('The role with name missing cannot be found.'); }));
  await assert.rejects(client.send(new GetRoleCommand({ RoleName: 'missing' })), (error: unknown) => {
    assert.ok(error instanceof NoSuchEntityException);
    assert.equal(error.message, 'The role with name missing cannot be found.');
    assert.equal(error.$metadata.httpStatusCode, 404);
    assert.equal(error.$fault, 'client');
    return true;
  });
});

test('SDK v3: a constraint the SDK does not check client-side gets AWS\'s ValidationError text', async () => {
  const client = new IAMClient(viaCodec(iam, () => assert.fail('must not execute')));
  const longName = 'r'.repeat(65);
  await assert.rejects(client.send(new GetRoleCommand({ RoleName: longName })), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, 'ValidationError');
    assert.equal(error.message,
      `1 validation error detected: Value '${longName}' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64`);
    assert.equal(error.$metadata?.httpStatusCode, 400);
    return true;
  });
});

test('SDK v3: STS GetCallerIdentity and AssumeRole', async () => {
  const seen: Exchange[] = [];
  const client = new STSClient(viaCodec(sts, (operation) => operation === 'GetCallerIdentity'
    ? { UserId: 'AIDAEXAMPLEUSERID1234', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/alice' }
    : {
      Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: '2026-11-23T08:35:00Z' },
      AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLEID1234567:ci', Arn: 'arn:aws:sts::123456789012:assumed-role/app-role/ci' },
    }, seen));
  const identity = await client.send(new GetCallerIdentityCommand({}));
  assert.equal(identity.Arn, 'arn:aws:iam::123456789012:user/alice');
  const assumed = await client.send(new AssumeRoleCommand({
    RoleArn: 'arn:aws:iam::123456789012:role/app-role', RoleSessionName: 'ci', DurationSeconds: 900, Tags: [{ Key: 'project', Value: 'rolecall' }],
  }));
  assert.deepEqual(assumed.Credentials?.Expiration, new Date('2026-11-23T08:35:00Z'));
  assert.equal(assumed.AssumedRoleUser?.Arn, 'arn:aws:sts::123456789012:assumed-role/app-role/ci');
  assert.deepEqual(seen[1]?.input, {
    RoleArn: 'arn:aws:iam::123456789012:role/app-role', RoleSessionName: 'ci', DurationSeconds: 900, Tags: [{ Key: 'project', Value: 'rolecall' }],
  });
});

// The AWS JSON 1.1 protocol as Organizations speaks it (X-Amz-Target `AWSOrganizationsV20161128.<Op>`,
// `application/x-amz-json-1.1`, timestamps as epoch seconds, errors as `{"__type", "Message", "Reason"}`),
// model-driven from the vendored organizations-2016-11-28 model; and InvalidInputException's Reasons for
// input breaking the model's constraints (API_InvalidInputException.html). The AWS SDK for JavaScript v3
// checks the codec from the client side through a request handler in place of HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConstraintViolationException, DescribeCreateAccountStatusCommand, ListAccountsCommand, OrganizationsClient, type OrganizationsClientConfig,
} from '@aws-sdk/client-organizations';
import { OrganizationsError } from '../../src/organizations/errors.js';
import { invalidInputFromViolations } from '../../src/organizations/index.js';
import { AwsError } from '../../src/policy/errors.js';
import { decodeJsonRequest } from '../../src/protocol/json-decode.js';
import { encodeJsonResponse, jsonContentType } from '../../src/protocol/json-encode.js';
import { encodeJsonError } from '../../src/protocol/json-errors.js';
import { inputViolations, loadServiceModel } from '../../src/protocol/index.js';

const model = loadServiceModel('organizations');
const TARGET = 'AWSOrganizationsV20161128';

function throwsAws(work: () => unknown, code: string): void {
  assert.throws(work, (error: unknown) => error instanceof AwsError && error.code === code);
}

test('decode: X-Amz-Target names the operation; the body is read in the model\'s member names', () => {
  const decoded = decodeJsonRequest(model, `${TARGET}.AttachPolicy`, Buffer.from('{"PolicyId":"p-FullAWSAccess","TargetId":"123456789012","Extra":1}'));
  assert.equal(decoded.operation.name, 'AttachPolicy');
  // Members the model does not declare are ignored, as AWS's JSON services do.
  assert.deepEqual(decoded.input, { PolicyId: 'p-FullAWSAccess', TargetId: '123456789012' });
  assert.deepEqual(decodeJsonRequest(model, `${TARGET}.ListRoots`, Buffer.alloc(0)).input, {});
  assert.deepEqual(decodeJsonRequest(model, `${TARGET}.DescribeOrganization`, '{}').input, {});
  const tagged = decodeJsonRequest(model, `${TARGET}.CreateOrganizationalUnit`, '{"ParentId":"r-ab12","Name":"x","Tags":[{"Key":"team","Value":"a"}]}');
  assert.deepEqual(tagged.input, { ParentId: 'r-ab12', Name: 'x', Tags: [{ Key: 'team', Value: 'a' }] });
});

test('decode: timestamps arrive as epoch seconds and reach operations as ISO strings', () => {
  const decoded = decodeJsonRequest(model, `${TARGET}.TerminateResponsibilityTransfer`, '{"Id":"rt-abcdefgh","EndTimestamp":1735689600.5}');
  assert.equal(decoded.input.EndTimestamp, '2025-01-01T00:00:00.500Z');
});

test('decode: unknown targets are UnknownOperationException; unreadable bodies SerializationException', () => {
  throwsAws(() => decodeJsonRequest(model, `${TARGET}.NoSuchOperation`, '{}'), 'UnknownOperationException');
  throwsAws(() => decodeJsonRequest(model, 'AWSSecurityTokenServiceV20110615.GetCallerIdentity', '{}'), 'UnknownOperationException');
  throwsAws(() => decodeJsonRequest(model, `${TARGET}.ListRoots`, '{"MaxResults":'), 'SerializationException');
  throwsAws(() => decodeJsonRequest(model, `${TARGET}.ListRoots`, '[]'), 'SerializationException');
  throwsAws(() => decodeJsonRequest(model, `${TARGET}.ListRoots`, '{"MaxResults":"5"}'), 'SerializationException');
  throwsAws(() => decodeJsonRequest(model, `${TARGET}.ListRoots`, '{"MaxResults":1.5}'), 'SerializationException');
  throwsAws(() => decodeJsonRequest(model, `${TARGET}.CreateOrganizationalUnit`, '{"ParentId":"r-ab12","Name":"x","Tags":{}}'), 'SerializationException');
});

test('encode: output members of the model only, timestamps as epoch seconds; {} for operations without output', () => {
  assert.equal(jsonContentType(model), 'application/x-amz-json-1.1');
  const body = encodeJsonResponse(model, 'DescribeAccount', {
    Account: { Id: '111111111111', Name: 'dev', JoinedTimestamp: '2025-03-04T05:06:07.250Z', Internal: 'not in the model' },
    Stray: true,
  });
  assert.deepEqual(JSON.parse(body), { Account: { Id: '111111111111', Name: 'dev', JoinedTimestamp: 1741064767.25 } });
  assert.equal(encodeJsonResponse(model, 'AttachPolicy', {}), '{}');
  assert.equal(encodeJsonResponse(model, 'ListRoots', { Roots: [] }), '{"Roots":[]}');
});

test('errors: __type, Message and the Reason the shape declares, with the model\'s HTTP status', () => {
  const constraint = new OrganizationsError('ConstraintViolationException', 'too many', { Reason: 'OU_DEPTH_LIMIT_EXCEEDED', Secret: 'x' });
  const encoded = encodeJsonError(model, constraint);
  assert.equal(encoded.statusCode, 400);
  assert.deepEqual(JSON.parse(encoded.body), { __type: 'ConstraintViolationException', Message: 'too many', Reason: 'OU_DEPTH_LIMIT_EXCEEDED' });
  const failure = encodeJsonError(model, new AwsError('ServiceException', 'boom', 500, 'Receiver'));
  assert.equal(failure.statusCode, 500);
});

test('errors: auth/ failures take the names JSON services give them', () => {
  const denied = encodeJsonError(model, new AwsError('AccessDenied', 'User: arn:aws:iam::123456789012:user/bob is not authorized', 403));
  assert.equal(denied.code, 'AccessDeniedException');
  assert.equal(denied.statusCode, 400);
  assert.deepEqual(JSON.parse(denied.body), { __type: 'AccessDeniedException', Message: 'User: arn:aws:iam::123456789012:user/bob is not authorized' });
  const unknownKey = encodeJsonError(model, new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403));
  assert.equal(unknownKey.code, 'UnrecognizedClientException');
  assert.equal(unknownKey.statusCode, 400);
  assert.deepEqual(JSON.parse(unknownKey.body), { __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
  assert.equal(encodeJsonError(model, new AwsError('SignatureDoesNotMatch', 'x', 403)).code, 'InvalidSignatureException');
});

/** The InvalidInputException Organizations answers for an input, checked against the model. */
function invalidInputFor(operation: string, input: Record<string, unknown>): { message: string; reason: string | undefined } | undefined {
  const shape = model.operation(operation)!.input!.shape;
  const error = invalidInputFromViolations(inputViolations(model, shape, input));
  return error ? { message: error.message, reason: error.details?.Reason } : undefined;
}

test('Constraint violations are InvalidInputException with the Reason Organizations gives each', () => {
  assert.equal(invalidInputFor('AttachPolicy', { PolicyId: 'p-FullAWSAccess', TargetId: '123456789012' }), undefined);
  assert.deepEqual(invalidInputFor('DescribeAccount', { AccountId: '12345' }), {
    message: 'You provided a value that does not match the required pattern.', reason: 'INVALID_PATTERN',
  });
  assert.deepEqual(invalidInputFor('DescribePolicy', { PolicyId: 'policy-1' }), { message: 'You specified an invalid policy ID.', reason: 'INVALID_SYNTAX_POLICY_ID' });
  assert.deepEqual(invalidInputFor('AttachPolicy', { PolicyId: 'p-FullAWSAccess', TargetId: 'o-abcdefghij' }), {
    message: "You specified a policy target ID that doesn't match the required pattern.", reason: 'INVALID_PATTERN_TARGET_ID',
  });
  assert.deepEqual(invalidInputFor('ListPolicies', { Filter: 'IAM_POLICY' }), { message: 'You specified an invalid policy type string.', reason: 'INVALID_ENUM_POLICY_TYPE' });
  assert.deepEqual(invalidInputFor('ListChildren', { ParentId: 'r-ab12', ChildType: 'ROLE' }), { message: 'You specified an invalid value.', reason: 'INVALID_ENUM' });
  assert.deepEqual(invalidInputFor('CreateOrganizationalUnit', { ParentId: 'r-ab12' }), {
    message: 'You must include a value for all required parameters.', reason: 'INPUT_REQUIRED',
  });
  assert.equal(invalidInputFor('CreateOrganizationalUnit', { ParentId: 'r-ab12', Name: 'x'.repeat(129) })?.reason, 'MAX_LENGTH_EXCEEDED');
  assert.equal(invalidInputFor('CreateOrganizationalUnit', { ParentId: 'r-ab12', Name: '' })?.reason, 'MIN_LENGTH_EXCEEDED');
  assert.equal(invalidInputFor('ListRoots', { MaxResults: 21 })?.reason, 'MAX_VALUE_EXCEEDED');
  assert.equal(invalidInputFor('ListRoots', { MaxResults: 0 })?.reason, 'MIN_VALUE_EXCEEDED');
});

// ---- The SDK's own serializer and deserializer against the codec -----------------------------------

type Responder = (operation: string, input: Record<string, unknown>) => unknown;

function viaCodec(respond: Responder, seen: Array<{ target: string; contentType: string }>): OrganizationsClientConfig {
  const handler = {
    async handle(request: { headers: Record<string, string>; body?: unknown }) {
      const target = request.headers['x-amz-target']!;
      seen.push({ target, contentType: request.headers['content-type']! });
      let statusCode = 200;
      let body: string;
      try {
        const { operation, input } = decodeJsonRequest(model, target, String(request.body ?? ''));
        body = encodeJsonResponse(model, operation.name, respond(operation.name, input));
      } catch (error) {
        const encoded = encodeJsonError(model, error as AwsError);
        statusCode = encoded.statusCode;
        body = encoded.body;
      }
      return { response: { statusCode, headers: { 'content-type': jsonContentType(model) }, body: new TextEncoder().encode(body) } };
    },
  };
  return {
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    requestHandler: handler as unknown as OrganizationsClientConfig['requestHandler'],
    maxAttempts: 1,
  };
}

test('SDK v3: requests decode; epoch-second timestamps come back as Dates; modelled errors carry Reason', async () => {
  const seen: Array<{ target: string; contentType: string }> = [];
  const client = new OrganizationsClient(viaCodec((operation, input) => {
    if (operation === 'ListAccounts') {
      assert.deepEqual(input, { MaxResults: 5 });
      return { Accounts: [{ Id: '111111111111', Name: 'dev', JoinedTimestamp: '2025-03-04T05:06:07.000Z' }], NextToken: 'abc' };
    }
    throw new OrganizationsError('ConstraintViolationException', 'limit', { Reason: 'ACCOUNT_NUMBER_LIMIT_EXCEEDED' });
  }, seen));
  try {
    const listed = await client.send(new ListAccountsCommand({ MaxResults: 5 }));
    assert.equal(listed.Accounts![0]!.JoinedTimestamp!.toISOString(), '2025-03-04T05:06:07.000Z');
    assert.equal(listed.NextToken, 'abc');
    assert.deepEqual(seen[0], { target: `${TARGET}.ListAccounts`, contentType: 'application/x-amz-json-1.1' });
    await assert.rejects(client.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: 'car-abcdefgh' })), (error: unknown) => {
      assert.ok(error instanceof ConstraintViolationException);
      assert.equal(error.Reason, 'ACCOUNT_NUMBER_LIMIT_EXCEEDED');
      assert.equal(error.message, 'limit');
      return true;
    });
  } finally {
    client.destroy();
  }
});

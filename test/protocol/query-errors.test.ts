import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../src/policy/errors.js';
import { noSuchEntity } from '../../src/model/errors.js';
import { asAwsError, encodeQueryError, loadServiceModel, validationErrors } from '../../src/protocol/index.js';

// AWS Query errors: <ErrorResponse xmlns><Error><Type>Sender|Receiver</Type><Code/><Message/></Error>
// <RequestId/></ErrorResponse> (IAM response quoted in legion-platform/legion#530), with the HTTP status
// the model's awsQueryError declares for the code.

const iam = loadServiceModel('iam');
const sts = loadServiceModel('sts');

test('errors: IAM NoSuchEntity is 404 Sender in the IAM namespace', () => {
  assert.deepEqual(encodeQueryError(iam, noSuchEntity('The role with name missing cannot be found.'), 'req-1'), {
    statusCode: 404,
    body: '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>' +
      '<Message>The role with name missing cannot be found.</Message></Error><RequestId>req-1</RequestId></ErrorResponse>',
  });
});

test('errors: the model\'s declared status wins over the thrower\'s (EntityAlreadyExists is 409)', () => {
  assert.equal(encodeQueryError(iam, new AwsError('EntityAlreadyExists', 'Role with name r already exists.', 400), 'r').statusCode, 409);
});

test('errors: codes the model does not declare keep their own status (AccessDenied 403, ValidationError 400)', () => {
  const denied = encodeQueryError(iam, new AwsError('AccessDenied', 'User: arn:aws:iam::123456789012:user/bob is not authorized', 403), 'r');
  assert.equal(denied.statusCode, 403);
  assert.match(denied.body, /<Type>Sender<\/Type><Code>AccessDenied<\/Code>/);
  const invalid = encodeQueryError(iam, validationErrors(["Value null at 'roleName' failed to satisfy constraint: Member must not be null"]), 'r');
  assert.equal(invalid.statusCode, 400);
  assert.match(invalid.body, /<Code>ValidationError<\/Code><Message>1 validation error detected: Value null at &apos;roleName&apos;/);
});

test('errors: server faults are Receiver 500 (IAM ServiceFailure)', () => {
  const failure = encodeQueryError(iam, new AwsError('ServiceFailure', 'failed', 500, 'Receiver'), 'r');
  assert.equal(failure.statusCode, 500);
  assert.match(failure.body, /<Type>Receiver<\/Type><Code>ServiceFailure<\/Code>/);
});

test('errors: STS errors use the STS namespace and STS statuses (IDPRejectedClaim 403)', () => {
  const rejected = encodeQueryError(sts, new AwsError('IDPRejectedClaim', 'Incorrect token audience', 400), 'r');
  assert.equal(rejected.statusCode, 403);
  assert.match(rejected.body, /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
});

test('errors: messages are XML-escaped', () => {
  const body = encodeQueryError(iam, new AwsError('MalformedPolicyDocument', 'Syntax errors in policy: "<" & more', 400), 'r').body;
  assert.match(body, /<Message>Syntax errors in policy: &quot;&lt;&quot; &amp; more<\/Message>/);
});

test('errors: an unexpected exception becomes the service\'s own server error without leaking its text', () => {
  const internal = new Error('SQLITE_BUSY at /var/lib/rolecall/data.db');
  const forIam = asAwsError(internal, iam);
  assert.equal(forIam.code, 'ServiceFailure');
  assert.equal(forIam.httpStatus, 500);
  assert.equal(forIam.type, 'Receiver');
  assert.doesNotMatch(forIam.message, /SQLITE/);
  assert.equal(asAwsError(internal, sts).code, 'InternalFailure');
  const known = noSuchEntity('x');
  assert.equal(asAwsError(known, iam), known);
});

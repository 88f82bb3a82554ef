import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadServiceModel, MODEL_VERSIONS, type ServiceName } from '../../src/model/service-models.js';

// The vendored botocore models (models/README.md) are the single source of operations, shapes and errors.

test('service models: all five vendored models load with the API version and protocol AWS publishes', () => {
  const expected: Record<ServiceName, string> = { iam: 'query', sts: 'query', eks: 'rest-json', 'eks-auth': 'rest-json', organizations: 'json' };
  for (const [name, protocol] of Object.entries(expected) as Array<[ServiceName, string]>) {
    const model = loadServiceModel(name);
    assert.equal(model.metadata.apiVersion, MODEL_VERSIONS[name]);
    assert.equal(model.metadata.protocol, protocol);
    assert.ok(Object.keys(model.operations).length > 0);
  }
});

test('service models: loaded once per process (cached)', () => {
  assert.equal(loadServiceModel('iam'), loadServiceModel('iam'));
});

test('service models: IAM and STS carry the XML namespaces of their Query responses', () => {
  assert.equal(loadServiceModel('iam').metadata.xmlNamespace, 'https://iam.amazonaws.com/doc/2010-05-08/');
  assert.equal(loadServiceModel('sts').metadata.xmlNamespace, 'https://sts.amazonaws.com/doc/2011-06-15/');
});

test('service models: operations expose input, output and result wrapper (IAM CreateRole, DeleteRole)', () => {
  const iam = loadServiceModel('iam');
  const createRole = iam.operation('CreateRole');
  assert.equal(createRole?.input?.shape, 'CreateRoleRequest');
  assert.equal(createRole?.output?.resultWrapper, 'CreateRoleResult');
  assert.deepEqual(iam.shape('CreateRoleRequest').required, ['RoleName', 'AssumeRolePolicyDocument']);
  assert.equal(iam.operation('DeleteRole')?.output, undefined);
  // Action names are case-sensitive, and inherited object keys are not operations.
  assert.equal(iam.operation('createrole'), undefined);
  assert.equal(iam.operation('toString'), undefined);
});

test('service models: declared errors keep the awsQueryError code and HTTP status (IAM, STS)', () => {
  const iam = loadServiceModel('iam');
  assert.deepEqual(iam.errors.get('NoSuchEntity'), { shapeName: 'NoSuchEntityException', code: 'NoSuchEntity', httpStatusCode: 404, type: 'Sender' });
  assert.equal(iam.errors.get('EntityAlreadyExists')?.httpStatusCode, 409);
  assert.equal(iam.errors.get('DeleteConflict')?.httpStatusCode, 409);
  assert.equal(iam.errors.get('LimitExceeded')?.httpStatusCode, 409);
  assert.equal(iam.errors.get('MalformedPolicyDocument')?.httpStatusCode, 400);
  assert.deepEqual(iam.errors.get('ServiceFailure'), { shapeName: 'ServiceFailureException', code: 'ServiceFailure', httpStatusCode: 500, type: 'Receiver' });
  // The wire code differs from the shape name: ServiceNotSupportedException is NotSupportedService.
  assert.equal(iam.errors.get('NotSupportedService')?.shapeName, 'ServiceNotSupportedException');
  const sts = loadServiceModel('sts');
  assert.equal(sts.errors.get('IDPRejectedClaim')?.httpStatusCode, 403);
  assert.equal(sts.errors.get('ExpiredTokenException')?.httpStatusCode, 400);
});

test('service models: JSON-protocol errors are named by their shape, server faults are Receiver (EKS Auth)', () => {
  const eksAuth = loadServiceModel('eks-auth');
  assert.deepEqual(eksAuth.errors.get('ResourceNotFoundException'), {
    shapeName: 'ResourceNotFoundException', code: 'ResourceNotFoundException', httpStatusCode: 404, type: 'Sender',
  });
  assert.equal(eksAuth.errors.get('InternalServerException')?.type, 'Receiver');
});

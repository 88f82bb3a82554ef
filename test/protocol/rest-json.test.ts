/**
 * The REST-JSON codec, driven by `http` traits (Smithy's REST bindings: httpLabel and greedy labels,
 * httpQuery, httpHeader, httpPayload, httpResponseCode; aws.protocols#restJson1 errors with
 * `x-amzn-errortype`), on a model exercising every binding, and on the vendored EKS and EKS Auth models.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadServiceModel, ServiceModel } from '../../src/model/service-models.js';
import { AwsError } from '../../src/policy/errors.js';
import { decodeRestJsonRequest, encodeRestJsonError, encodeRestJsonResponse, matchRestRoute } from '../../src/protocol/rest-json.js';

const model = new ServiceModel('eks', {
  metadata: { apiVersion: '2020-01-01', protocol: 'rest-json', endpointPrefix: 'x', serviceId: 'X', signingName: 'x' },
  operations: {
    GetObject: { name: 'GetObject', http: { method: 'GET', requestUri: '/buckets/{bucket}/objects/{key+}' }, input: { shape: 'GetObjectRequest' }, output: { shape: 'GetObjectResponse' } },
    PutDocument: { name: 'PutDocument', http: { method: 'PUT', requestUri: '/documents/{id}', responseCode: 201 }, input: { shape: 'PutDocumentRequest' }, output: { shape: 'PutDocumentResponse' } },
    ListThings: { name: 'ListThings', http: { method: 'GET', requestUri: '/things' }, input: { shape: 'ListThingsRequest' } },
    GetThing: { name: 'GetThing', http: { method: 'GET', requestUri: '/things/{id}' }, input: { shape: 'IdRequest' } },
    GetThingPolicy: { name: 'GetThingPolicy', http: { method: 'GET', requestUri: '/things/policy' }, input: { shape: 'Empty' } },
  },
  shapes: {
    String: { type: 'string' },
    Integer: { type: 'integer' },
    Boolean: { type: 'boolean' },
    Timestamp: { type: 'timestamp' },
    StringList: { type: 'list', member: { shape: 'String' } },
    Empty: { type: 'structure', members: {} },
    IdRequest: { type: 'structure', members: { id: { shape: 'String', location: 'uri', locationName: 'id' } } },
    GetObjectRequest: {
      type: 'structure',
      members: {
        bucket: { shape: 'String', location: 'uri', locationName: 'bucket' },
        key: { shape: 'String', location: 'uri', locationName: 'key' },
        range: { shape: 'String', location: 'header', locationName: 'Range' },
        versions: { shape: 'Integer', location: 'header', locationName: 'x-versions' },
      },
    },
    GetObjectResponse: {
      type: 'structure',
      members: { etag: { shape: 'String', location: 'header', locationName: 'ETag' }, size: { shape: 'Integer' }, modified: { shape: 'Timestamp' } },
    },
    Document: { type: 'structure', members: { title: { shape: 'String' }, pages: { shape: 'Integer' } } },
    PutDocumentRequest: {
      type: 'structure',
      payload: 'document',
      members: { id: { shape: 'String', location: 'uri', locationName: 'id' }, document: { shape: 'Document' } },
    },
    PutDocumentResponse: { type: 'structure', payload: 'document', members: { document: { shape: 'Document' } } },
    ListThingsRequest: {
      type: 'structure',
      members: {
        tags: { shape: 'StringList', location: 'querystring', locationName: 'tag' },
        max: { shape: 'Integer', location: 'querystring', locationName: 'maxResults' },
        all: { shape: 'Boolean', location: 'querystring', locationName: 'all' },
      },
    },
  },
});

const parts = (labels: Record<string, string>, query = '', headers: Record<string, string> = {}, body = '') => ({
  labels, query: new URLSearchParams(query), headers, body: Buffer.from(body),
});

test('routing: labels decoded, a greedy label takes the rest of the path, literal segments beat labels, method matters', () => {
  const route = matchRestRoute(model, 'GET', '/buckets/my%20bucket/objects/a/b%2Fc.txt', new URLSearchParams());
  assert.equal(route?.operation.name, 'GetObject');
  assert.deepEqual(route?.labels, { bucket: 'my bucket', key: 'a/b/c.txt' });
  assert.equal(matchRestRoute(model, 'GET', '/things/policy', new URLSearchParams())?.operation.name, 'GetThingPolicy');
  assert.equal(matchRestRoute(model, 'GET', '/things/t-1', new URLSearchParams())?.operation.name, 'GetThing');
  assert.equal(matchRestRoute(model, 'DELETE', '/things/t-1', new URLSearchParams()), undefined);
  assert.equal(matchRestRoute(model, 'GET', '/things/t-1/extra/more', new URLSearchParams())?.labels.id, 't-1/extra/more');
  assert.equal(matchRestRoute(model, 'GET', '/buckets/b/objects', new URLSearchParams()), undefined);
  assert.equal(matchRestRoute(model, 'GET', '/things/%E0%A4%A', new URLSearchParams()), undefined);
});

test('decoding: header members by type, query lists and scalars, a structure payload', () => {
  const object = model.operation('GetObject')!;
  assert.deepEqual(decodeRestJsonRequest(model, object, parts({ bucket: 'b', key: 'k' }, '', { range: 'bytes=0-9', 'x-versions': '3' })), {
    bucket: 'b', key: 'k', range: 'bytes=0-9', versions: 3,
  });
  const list = model.operation('ListThings')!;
  assert.deepEqual(decodeRestJsonRequest(model, list, parts({}, 'tag=a&tag=b%20c&maxResults=5&all=true')), { tags: ['a', 'b c'], max: 5, all: true });
  assert.throws(() => decodeRestJsonRequest(model, list, parts({}, 'maxResults=five')), (error: AwsError) => error.code === 'SerializationException');
  assert.throws(() => decodeRestJsonRequest(model, list, parts({}, 'all=yes')), (error: AwsError) => error.code === 'SerializationException');
  const put = model.operation('PutDocument')!;
  assert.deepEqual(decodeRestJsonRequest(model, put, parts({ id: 'd1' }, '', {}, '{"title":"T","pages":2,"ignored":1}')), { id: 'd1', document: { title: 'T', pages: 2 } });
  assert.throws(() => decodeRestJsonRequest(model, put, parts({ id: 'd1' }, '', {}, '{not json')), (error: AwsError) => error.code === 'SerializationException');
});

test('encoding: the response code, header members as headers, the rest as JSON with epoch-second timestamps, a payload as the body', () => {
  const object = encodeRestJsonResponse(model, model.operation('GetObject')!, { etag: '"abc"', size: 10, modified: '2026-12-05T10:00:00.500Z' });
  assert.equal(object.status, 200);
  assert.equal(object.headers.etag, '"abc"');
  assert.deepEqual(JSON.parse(object.body), { size: 10, modified: 1796464800.5 });
  const put = encodeRestJsonResponse(model, model.operation('PutDocument')!, { document: { title: 'T', pages: 2 } });
  assert.equal(put.status, 201);
  assert.deepEqual(JSON.parse(put.body), { title: 'T', pages: 2 });
});

test('errors: the code in x-amzn-errortype, {message} and declared members in the body, the status the model declares (EKS, EKS Auth)', () => {
  const eks = loadServiceModel('eks');
  const notFound = Object.assign(new AwsError('ResourceNotFoundException', 'No cluster found for name: x.', 404), { details: { clusterName: 'x', undeclared: 'y' } });
  const encoded = encodeRestJsonError(eks, notFound);
  assert.equal(encoded.statusCode, 404);
  assert.equal(encoded.headers['x-amzn-errortype'], 'ResourceNotFoundException');
  assert.deepEqual(JSON.parse(encoded.body), { message: 'No cluster found for name: x.', clusterName: 'x' });
  // Authorization failures are each service's AccessDeniedException: 403 for EKS, 400 for EKS Auth.
  assert.equal(encodeRestJsonError(eks, new AwsError('AccessDenied', 'no', 403)).statusCode, 403);
  const auth = encodeRestJsonError(loadServiceModel('eks-auth'), new AwsError('AccessDenied', 'no', 403));
  assert.deepEqual([auth.code, auth.statusCode], ['AccessDeniedException', 400]);
});

test('the vendored models route as AWS serves them: EKS Auth, clusters, associations, tags with an ARN label', () => {
  const eks = loadServiceModel('eks');
  const none = new URLSearchParams();
  assert.equal(matchRestRoute(loadServiceModel('eks-auth'), 'POST', '/clusters/dev/assume-role-for-pod-identity', none)?.operation.name, 'AssumeRoleForPodIdentity');
  assert.equal(matchRestRoute(eks, 'GET', '/clusters/dev', none)?.operation.name, 'DescribeCluster');
  assert.equal(matchRestRoute(eks, 'POST', '/clusters/dev/pod-identity-associations/a-abcdefghijklmnop1', none)?.operation.name, 'UpdatePodIdentityAssociation');
  const arn = 'arn:aws:eks:us-east-1:123456789012:cluster/dev';
  assert.deepEqual(matchRestRoute(eks, 'GET', `/tags/${encodeURIComponent(arn)}`, none)?.labels, { resourceArn: arn });
  // A client that left the ARN's slash unencoded is understood too.
  assert.deepEqual(matchRestRoute(eks, 'GET', `/tags/${arn}`, none)?.labels, { resourceArn: arn });
  // Rolecall's own operations are in the EKS model, marked as such.
  assert.equal(eks.operation('CreateServiceAccountToken')?.rolecallExtension, true);
  assert.equal(eks.shape('CreateClusterRequest').members?.keyAlgorithm?.shape, 'RolecallKeyAlgorithm');
});

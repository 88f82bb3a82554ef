/**
 * One AWS REST-JSON call (EKS, EKS Auth), end to end, with the same steps as the Query and JSON endpoints
 * (call-pipeline.ts): the method and path name the operation through the models' `http` traits,
 * authenticate the SigV4 signature (signed for the service's signing name), decode the labels, query,
 * headers and body with the service model, authorize every permission through the policy engine, execute,
 * encode — and record the call in the audit trail, the metrics and the access log. The unauthenticated
 * issuer documents of Rolecall-issued clusters are served here too, before any of that.
 */
import { randomUUID } from 'node:crypto';
import { EKS_AUTH_OPERATIONS, EKS_OPERATIONS } from '../eks/operations.js';
import { discoveryDocument, JWKS_PATH, keySetDocument } from '../eks/issuer-documents.js';
import type { AnyOperation } from '../iam/operation.js';
import { AwsError } from '../policy/errors.js';
import { loadServiceModel, type ServiceModel } from '../protocol/index.js';
import { asJsonAwsError } from '../protocol/json-errors.js';
import { decodeRestJsonRequest, encodeRestJsonError, encodeRestJsonResponse, matchRestRoute, type RestRoute } from '../protocol/rest-json.js';
import type { ApiDependencies, ApiRequest, ApiResponse } from './api.js';
import { performSignedCall, recordCall, startCall, type FinishedCall } from './call-pipeline.js';

/** A service spoken over REST-JSON. */
interface RestJsonService {
  /** The SigV4 signing name, also the metrics and audit label. */
  signingName: string;
  model: ServiceModel;
  operations: ReadonlyMap<string, AnyOperation>;
}

const byName = (operations: readonly AnyOperation[]) => new Map(operations.map((operation) => [operation.name, operation]));

// EKS Auth first: its one path is more specific than anything EKS serves under /clusters/{name}/.
const SERVICES: readonly RestJsonService[] = [
  { signingName: 'eks-auth', model: loadServiceModel('eks-auth'), operations: byName(EKS_AUTH_OPERATIONS) },
  { signingName: 'eks', model: loadServiceModel('eks'), operations: byName(EKS_OPERATIONS) },
];

interface MatchedRequest {
  service: RestJsonService;
  route: RestRoute;
}

function matchRequest(method: string, path: string, query: string): MatchedRequest | undefined {
  if (path === '/' || path === '') return undefined;
  const params = new URLSearchParams(query);
  for (const service of SERVICES) {
    const route = matchRestRoute(service.model, method, path, params);
    if (route) return { service, route };
  }
  return undefined;
}

/** `/clusters/NAME/.well-known/openid-configuration` and `/clusters/NAME/keys`. */
const ISSUER_PATH = new RegExp(`^/clusters/([0-9A-Za-z][A-Za-z0-9_-]{0,99})(/\\.well-known/openid-configuration|${JWKS_PATH})$`);

/** Whether a request is for a REST-JSON service (EKS, EKS Auth) or an issuer document, by method and path. */
export function isRestJsonRequest(method: string, path: string, query: string): boolean {
  return (method === 'GET' && ISSUER_PATH.test(path)) || matchRequest(method, path, query) !== undefined;
}

/** Serves an issuer document (no authentication: relying parties fetch them anonymously), or undefined. */
async function issuerDocument(deps: ApiDependencies, request: ApiRequest): Promise<ApiResponse | undefined> {
  const match = request.method === 'GET' ? ISSUER_PATH.exec(request.path) : null;
  if (!match) return undefined;
  const [, name, which] = match;
  const document = await deps.store.read((reader) => (which === JWKS_PATH ? keySetDocument(reader, name!) : discoveryDocument(reader, name!)));
  if (!document) return { status: 404, headers: { 'content-type': 'application/json' }, body: '{"message":"Not Found"}' };
  return { status: 200, headers: { 'content-type': document.contentType, 'cache-control': document.cacheControl }, body: document.body };
}

/** A request refused before it was read (too large, too slow), answered in EKS's REST-JSON error form. */
export function restJsonRefusal(_headers: ApiRequest['headers'], error: AwsError): ApiResponse {
  const model = SERVICES[SERVICES.length - 1]!.model;
  const encoded = encodeRestJsonError(model, error);
  return { status: encoded.statusCode, headers: { ...encoded.headers, 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() }, body: encoded.body };
}

/** Handles one REST-JSON request (isRestJsonRequest said it is one). */
export async function handleRestJsonRequest(deps: ApiDependencies, request: ApiRequest): Promise<ApiResponse> {
  const published = await issuerDocument(deps, request);
  if (published) return published;
  const call = startCall();
  const { service, route } = matchRequest(request.method, request.path, request.query)!;
  const model = service.model;
  const operationName = route.operation.name;
  const outcome = await performSignedCall(deps, request, call, {
    signingName: service.signingName,
    regionFor: (_signedService, signedRegion) => signedRegion,
    decode: () => ({
      operationName,
      input: decodeRestJsonRequest(model, route.operation, { labels: route.labels, query: new URLSearchParams(request.query), headers: request.headers, body: request.body }),
    }),
    operation: (name) => {
      const operation = service.operations.get(name);
      if (!operation) throw new AwsError('InvalidRequestException', `The operation ${name} is not supported by Rolecall.`, 400);
      return operation;
    },
    asAwsError: (error) => asJsonAwsError(error, model),
  });

  let response: ApiResponse;
  let errorCode: string | undefined;
  if (outcome.failure) {
    const encoded = encodeRestJsonError(model, outcome.failure);
    errorCode = encoded.code;
    response = { status: encoded.statusCode, headers: { ...encoded.headers, 'x-amzn-requestid': call.requestId }, body: encoded.body };
  } else {
    const encoded = encodeRestJsonResponse(model, route.operation, outcome.output);
    response = { status: encoded.status, headers: { ...encoded.headers, 'x-amzn-requestid': call.requestId }, body: encoded.body };
  }
  const region = call.authentication.region ?? 'us-east-1';
  const finished: FinishedCall = { service: service.signingName, operation: operationName, region, request, outcome, status: response.status };
  if (errorCode) finished.errorCode = errorCode;
  await recordCall(deps, call, finished);
  return response;
}

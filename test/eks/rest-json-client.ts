/**
 * A REST-JSON client for tests that need the raw answer of any EKS or EKS Auth operation by name: the
 * request is built from the model's `http` trait (labels percent-encoded, querystring members, the rest as
 * the JSON body) and sent with the SigV4 client Rolecall's programs use (src/k8s/rolecall-endpoint.ts).
 */
import { loadServiceModel } from '../../src/model/service-models.js';
import { resolveRolecallEndpoint, RolecallApiError, signedJsonRequest, type JsonRequest } from '../../src/k8s/rolecall-endpoint.js';
import type { Credentials } from '../e2e/harness.js';

export interface RestAnswer {
  status: number;
  body?: unknown;
  code?: string;
  message?: string;
}

/** Calls `operation` of `service` with the input (model member names), signed with the credentials. */
export async function restJsonCall(url: string, service: 'eks' | 'eks-auth', operation: string, input: Record<string, unknown>, credentials: Credentials): Promise<RestAnswer> {
  const model = loadServiceModel(service);
  const op = model.operation(operation);
  if (!op?.http) throw new Error(`${service} has no operation ${operation}`);
  const members = op.input ? (model.shape(op.input.shape).members ?? {}) : {};
  let path = op.http.requestUri;
  const query: Record<string, string | string[]> = {};
  const body: Record<string, unknown> = {};
  for (const [member, ref] of Object.entries(members)) {
    const value = input[member];
    if (value === undefined) continue;
    const wire = ref.locationName ?? member;
    if (ref.location === 'uri') path = path.replace(`{${wire}}`, encodeURIComponent(String(value)));
    else if (ref.location === 'querystring') query[wire] = Array.isArray(value) ? value.map(String) : String(value);
    else body[wire] = value;
  }
  const endpoint = await resolveRolecallEndpoint(service, { endpointUrl: url, region: 'us-east-1', credentials });
  const request: JsonRequest = { method: op.http.method as JsonRequest['method'], path, query, ...(Object.keys(body).length > 0 ? { body } : {}) };
  try {
    const answer = await signedJsonRequest(endpoint, request);
    return { status: answer.status, body: answer.body };
  } catch (error) {
    if (!(error instanceof RolecallApiError)) throw error;
    return { status: error.status, code: error.code, message: error.message };
  }
}

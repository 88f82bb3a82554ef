/**
 * The AWS REST-JSON protocol (EKS, EKS Auth), driven by each operation's `http` trait in the service
 * model: the method and `requestUri` route a request to its operation, `{label}` and greedy `{label+}`
 * segments, `querystring` and `header` members bind parts of the request to input members, the rest of
 * the input is the JSON body (or the `payload` member is). Responses carry the operation's status code,
 * header-bound output members as headers and the rest as a JSON body; errors carry their code in
 * `x-amzn-errortype` and `{"message": ...}` in the body, with the status the model gives the error.
 */
import { AwsError } from '../policy/errors.js';
import type { OperationModel, ServiceModel, Shape, ShapeRef } from '../model/service-models.js';
import { readJsonValue, serializationError } from './json-decode.js';
import { writeValue } from './json-encode.js';
import { encodeJsonError, type EncodedJsonError } from './json-errors.js';

type Segment = { literal: string } | { label: string; greedy: boolean };

interface Route {
  operation: OperationModel;
  method: string;
  segments: Segment[];
  /** Query parameters the requestUri itself fixes (`/path?tagging`): they must be present. */
  fixedQuery: string[];
}

/** A request matched to an operation, with its URI labels decoded. */
export interface RestRoute {
  operation: OperationModel;
  labels: Record<string, string>;
}

const routeTables = new WeakMap<ServiceModel, Route[]>();

/** The model's routes, most specific first (more literal segments win over labels). */
function routesOf(model: ServiceModel): Route[] {
  let routes = routeTables.get(model);
  if (!routes) {
    routes = [];
    for (const operation of Object.values(model.operations)) {
      if (!operation.http) continue;
      const [pathPart = '', queryPart = ''] = operation.http.requestUri.split('?');
      const segments: Segment[] = pathPart.split('/').filter((part) => part !== '').map((part) => {
        const label = /^\{([^}+]+)(\+?)\}$/.exec(part);
        return label ? { label: label[1]!, greedy: label[2] === '+' } : { literal: part };
      });
      const fixedQuery = queryPart === '' ? [] : queryPart.split('&').map((item) => item.split('=')[0]!);
      routes.push({ operation, method: operation.http.method, segments, fixedQuery });
    }
    const literals = (route: Route) => route.segments.filter((segment) => 'literal' in segment).length;
    routes.sort((a, b) => literals(b) - literals(a) || b.fixedQuery.length - a.fixedQuery.length);
    routeTables.set(model, routes);
  }
  return routes;
}

/**
 * The operation a method and raw path (percent-encoded, without the query) address, or undefined. A
 * client that did not encode a `/` inside the last label (an ARN in `/tags/{resourceArn}`) is still
 * understood: a trailing label takes the remaining segments when nothing else matches.
 */
export function matchRestRoute(model: ServiceModel, method: string, rawPath: string, query: URLSearchParams): RestRoute | undefined {
  let parts: string[];
  try {
    parts = rawPath.split('/').filter((part) => part !== '').map((part) => decodeURIComponent(part));
  } catch {
    return undefined;
  }
  const candidates = routesOf(model).filter((route) => route.method === method && route.fixedQuery.every((name) => query.has(name)));
  for (const lenient of [false, true]) {
    for (const route of candidates) {
      const labels = matchSegments(route.segments, parts, lenient);
      if (labels) return { operation: route.operation, labels };
    }
  }
  return undefined;
}

function matchSegments(segments: readonly Segment[], parts: readonly string[], lenient: boolean): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!;
    const last = index === segments.length - 1;
    if ('literal' in segment) {
      if (parts[index] !== segment.literal) return undefined;
      continue;
    }
    if (segment.greedy || (lenient && last)) {
      const rest = parts.slice(index);
      if (rest.length === 0) return undefined;
      labels[segment.label] = rest.join('/');
      return labels;
    }
    const part = parts[index];
    if (part === undefined || part === '') return undefined;
    labels[segment.label] = part;
  }
  return parts.length === segments.length ? labels : undefined;
}

/** The parts of an HTTP request the protocol reads. */
export interface RestRequestParts {
  labels: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Decodes a matched request into the operation's input, in the model's member names. */
export function decodeRestJsonRequest(model: ServiceModel, operation: OperationModel, request: RestRequestParts): Record<string, unknown> {
  if (!operation.input) return {};
  const shape = model.shape(operation.input.shape);
  const input: Record<string, unknown> = {};
  const bodyMembers: Record<string, ShapeRef> = {};
  for (const [member, ref] of Object.entries(shape.members ?? {})) {
    const wireName = ref.locationName ?? member;
    switch (ref.location) {
      case 'uri':
        if (request.labels[wireName] !== undefined) input[member] = readScalarText(model, ref, request.labels[wireName]!, member);
        break;
      case 'querystring': {
        const value = readQueryMember(model, ref, request.query, wireName, member);
        if (value !== undefined) input[member] = value;
        break;
      }
      case 'header': {
        const raw = request.headers[wireName.toLowerCase()];
        const text = Array.isArray(raw) ? raw.join(',') : raw;
        if (text !== undefined) input[member] = readScalarText(model, ref, text, member);
        break;
      }
      default:
        bodyMembers[member] = ref;
    }
  }
  const payloadMember = shape.payload;
  const text = request.body.toString('utf8');
  if (payloadMember !== undefined) {
    const ref = bodyMembers[payloadMember]!;
    const payloadShape = model.shape(ref.shape);
    if (payloadShape.type === 'structure') {
      const value = readJsonValue(model, ref, parseBody(text), payloadMember);
      if (value !== undefined) input[payloadMember] = value;
    } else if (request.body.length > 0) {
      input[payloadMember] = payloadShape.type === 'blob' ? request.body : text;
    }
    return input;
  }
  const body = parseBody(text);
  if (body === undefined) return input;
  const decoded = readJsonValue(model, operation.input, body, '') as Record<string, unknown> | undefined;
  for (const member of Object.keys(bodyMembers)) {
    if (decoded?.[member] !== undefined) input[member] = decoded[member];
  }
  return input;
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw serializationError('The request body is not valid JSON.');
  }
}

function readQueryMember(model: ServiceModel, ref: ShapeRef, query: URLSearchParams, wireName: string, member: string): unknown {
  const shape = model.shape(ref.shape);
  if (shape.type === 'list') {
    const values = query.getAll(wireName);
    return values.length === 0 ? undefined : values.map((value) => readScalarText(model, shape.member as ShapeRef, value, member));
  }
  if (shape.type === 'map') {
    // A map bound to the query string takes every parameter no other member names (Smithy httpQueryParams).
    const out: Record<string, string> = {};
    for (const [key, value] of query) out[key] ??= value;
    return Object.keys(out).length === 0 ? undefined : out;
  }
  const value = query.get(wireName);
  return value === null ? undefined : readScalarText(model, ref, value, member);
}

/** A label, query or header value read as the member's scalar type. */
function readScalarText(model: ServiceModel, ref: ShapeRef, text: string, member: string): unknown {
  const shape = model.shape(ref.shape);
  const mismatch = (expected: string) => serializationError(`Expected ${expected} for '${member}'.`);
  switch (shape.type) {
    case 'integer':
    case 'long': {
      if (!/^-?\d+$/.test(text.trim())) throw mismatch('an integer');
      const value = Number(text.trim());
      if (!Number.isSafeInteger(value)) throw mismatch('an integer');
      return value;
    }
    case 'float':
    case 'double': {
      const value = Number(text);
      if (text.trim() === '' || Number.isNaN(value)) throw mismatch('a number');
      return value;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw mismatch('a boolean');
      return text === 'true';
    case 'timestamp': {
      const date = /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
      if (Number.isNaN(date.getTime())) throw mismatch('a timestamp');
      return date.toISOString();
    }
    default:
      return text;
  }
}

/** An encoded response. */
export interface EncodedRestResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The response of an operation: its status code, header-bound members as headers, the rest as JSON. */
export function encodeRestJsonResponse(model: ServiceModel, operation: OperationModel, output: unknown): EncodedRestResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  let status = operation.http?.responseCode ?? 200;
  if (!operation.output) return { status, headers, body: '{}' };
  const shape = model.shape(operation.output.shape);
  const source = (output ?? {}) as Record<string, unknown>;
  const bodyShape: Shape = { ...shape, members: {} };
  for (const [member, ref] of Object.entries(shape.members ?? {})) {
    const value = source[member];
    if (ref.location === 'header') {
      if (value !== undefined && value !== null) headers[(ref.locationName ?? member).toLowerCase()] = headerText(model, ref, value);
    } else if (ref.location === 'statusCode') {
      if (typeof value === 'number') status = value;
    } else if (ref.location === undefined) {
      bodyShape.members![member] = ref;
    }
  }
  if (shape.payload !== undefined) {
    const ref = shape.members![shape.payload]!;
    const encoded = writeValue(model, ref, source[shape.payload]);
    return { status, headers, body: encoded === undefined ? '{}' : typeof encoded === 'string' ? encoded : JSON.stringify(encoded) };
  }
  const body = writeStructure(model, bodyShape, source);
  return { status, headers, body: JSON.stringify(body) };
}

function writeStructure(model: ServiceModel, shape: Shape, source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [member, ref] of Object.entries(shape.members ?? {})) {
    const encoded = writeValue(model, ref, source[member]);
    if (encoded !== undefined) out[ref.locationName ?? member] = encoded;
  }
  return out;
}

function headerText(model: ServiceModel, ref: ShapeRef, value: unknown): string {
  const shape = model.shape(ref.shape);
  // Header timestamps are HTTP dates (Smithy's default timestampFormat for headers).
  if (shape.type === 'timestamp') return new Date(value as string).toUTCString();
  return String(value);
}

/** An error as the service's REST-JSON answer: `x-amzn-errortype` and a body with `message` and declared members. */
export function encodeRestJsonError(model: ServiceModel, error: AwsError): EncodedJsonError & { headers: Record<string, string> } {
  const encoded = encodeJsonError(model, error, { typeInBody: false });
  return { ...encoded, headers: { 'content-type': 'application/json', 'x-amzn-errortype': encoded.code } };
}

/**
 * The official AWS service models (botocore's service-2.json, vendored gzipped in models/) as typed data:
 * operations, shapes, metadata and declared errors. Every wire codec in protocol/ is driven by them, so no
 * operation needs hand-written encoding, and every operation's input is checked against them
 * (input-validation.ts), so no operation restates a constraint by hand.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export type ServiceName = 'iam' | 'sts' | 'eks' | 'eks-auth' | 'organizations';

/** The API version of each vendored model (the file is models/<name>-<version>.json.gz). */
export const MODEL_VERSIONS: Readonly<Record<ServiceName, string>> = {
  iam: '2010-05-08',
  sts: '2011-06-15',
  eks: '2017-11-01',
  'eks-auth': '2023-11-26',
  organizations: '2016-11-28',
};

export type ShapeType =
  | 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'timestamp' | 'blob';

/** A reference to a shape from a member, a list member, a map key/value, or an operation's input/output. */
export interface ShapeRef {
  shape: string;
  /** Wire name when it differs from the member name. */
  locationName?: string;
  flattened?: boolean;
  /** REST bindings (header, uri, querystring) of rest-json services. */
  location?: string;
  idempotencyToken?: boolean;
}

export interface Shape {
  type: ShapeType;
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
  flattened?: boolean;
  locationName?: string;
  timestampFormat?: 'iso8601' | 'unixTimestamp' | 'rfc822';
  /** Present on error shapes of query services: AWS's error code and HTTP status. */
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  exception?: boolean;
  fault?: boolean;
  /** REST protocols: the member that is the whole HTTP body. */
  payload?: string;
}

export interface OperationModel {
  name: string;
  /** An operation Rolecall adds to the service (models/rolecall-<service>-extensions.json); AWS has none such. */
  rolecallExtension?: boolean;
  http?: { method: string; requestUri: string; responseCode?: number };
  input?: ShapeRef;
  output?: ShapeRef & { resultWrapper?: string };
  errors?: ShapeRef[];
}

export interface ServiceMetadata {
  apiVersion: string;
  protocol: 'query' | 'json' | 'rest-json' | 'rest-xml' | 'ec2';
  endpointPrefix: string;
  serviceId: string;
  /** Query services only: the namespace of every XML response. */
  xmlNamespace?: string;
  signingName?: string;
  targetPrefix?: string;
  jsonVersion?: string;
  globalEndpoint?: string;
}

/** An error shape as clients recognise it: the code on the wire, its HTTP status and who is at fault. */
export interface ModelError {
  shapeName: string;
  code: string;
  httpStatusCode: number;
  type: 'Sender' | 'Receiver';
}

/** A service-2.json document as botocore ships it (the fields the codecs read). */
export interface ServiceModelDocument {
  metadata: ServiceMetadata;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

/** One service's model with lookups by operation, shape and error code. */
export class ServiceModel {
  readonly name: ServiceName;
  readonly metadata: ServiceMetadata;
  readonly operations: Readonly<Record<string, OperationModel>>;
  readonly shapes: Readonly<Record<string, Shape>>;
  /** Declared errors by their wire code (`NoSuchEntity`, `MalformedPolicyDocument`, ...). */
  readonly errors: ReadonlyMap<string, ModelError>;

  constructor(name: ServiceName, json: ServiceModelDocument) {
    this.name = name;
    this.metadata = json.metadata;
    this.operations = json.operations;
    this.shapes = json.shapes;
    this.errors = collectErrors(json.shapes);
  }

  /** The named shape; throws when the model does not define it (a bug in the model or the caller). */
  shape(shapeName: string): Shape {
    const shape = this.shapes[shapeName];
    if (!shape) throw new Error(`${this.name} model has no shape ${shapeName}`);
    return shape;
  }

  /** The operation with exactly this name (AWS action names are case-sensitive), if the model has it. */
  operation(operationName: string): OperationModel | undefined {
    return Object.hasOwn(this.operations, operationName) ? this.operations[operationName] : undefined;
  }
}

const cache = new Map<ServiceName, ServiceModel>();

/**
 * Limits AWS documents that its published models leave out, added to the shapes so input validation
 * refuses them first and for their length alone: "You can pass up to 10 managed policy ARNs"
 * (STS AssumeRole*, PolicyArns). Without the bound, 20,000 `PolicyArns.member.N` were checked one by
 * one into 20,000 violations.
 */
const DOCUMENTED_LIMITS: Partial<Record<ServiceName, Record<string, { max: number }>>> = {
  sts: { policyDescriptorListType: { max: 10 } },
};

/** Loads (once per process) the vendored model of a service. */
export function loadServiceModel(name: ServiceName): ServiceModel {
  let model = cache.get(name);
  if (!model) {
    const path = findModelFile(`${name}-${MODEL_VERSIONS[name]}.json.gz`);
    const json = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as ServiceModelDocument;
    for (const [shapeName, limit] of Object.entries(DOCUMENTED_LIMITS[name] ?? {})) Object.assign(json.shapes[shapeName]!, limit);
    model = new ServiceModel(name, withExtensions(name, json));
    cache.set(name, model);
  }
  return model;
}

/** Services to which Rolecall adds operations of its own, in the model's format (models/README.md). */
const EXTENSIONS: Partial<Record<ServiceName, string>> = { eks: 'rolecall-eks-extensions.json' };

/**
 * The vendored model with Rolecall's own operations and shapes added; an extension never replaces an
 * operation or shape AWS defines (that would silently change AWS's API), it only adds.
 */
function withExtensions(name: ServiceName, json: ServiceModelDocument): ServiceModelDocument {
  const fileName = EXTENSIONS[name];
  if (!fileName) return json;
  const extension = JSON.parse(readFileSync(findModelFile(fileName), 'utf8')) as Pick<ServiceModelDocument, 'operations' | 'shapes'> & {
    /** Optional members added to AWS's structures, by shape name. */
    members?: Record<string, Record<string, ShapeRef>>;
  };
  for (const key of [...Object.keys(extension.operations), ...Object.keys(extension.shapes)]) {
    if (Object.hasOwn(json.operations, key) || Object.hasOwn(json.shapes, key)) throw new Error(`${fileName} redefines ${key} of the ${name} model`);
  }
  const shapes: Record<string, Shape> = { ...json.shapes, ...extension.shapes };
  for (const [shapeName, added] of Object.entries(extension.members ?? {})) {
    const shape = shapes[shapeName];
    if (!shape?.members || Object.keys(added).some((member) => Object.hasOwn(shape.members!, member))) throw new Error(`${fileName} cannot add members to ${shapeName}`);
    shapes[shapeName] = { ...shape, members: { ...shape.members, ...added } };
  }
  return { ...json, operations: { ...json.operations, ...extension.operations }, shapes };
}

/**
 * The models sit in models/ at the repository (or installed package) root. The compiled module runs from
 * dist/src/model/ and the source from src/model/, so look upwards rather than assume a depth.
 */
function findModelFile(fileName: string): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(directory, 'models', fileName);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`service model ${fileName} not found above ${fileURLToPath(import.meta.url)}`);
    directory = parent;
  }
}

function collectErrors(shapes: Record<string, Shape>): Map<string, ModelError> {
  const errors = new Map<string, ModelError>();
  for (const [shapeName, shape] of Object.entries(shapes)) {
    if (!shape.exception && !shape.error) continue;
    // JSON-protocol models declare no `error.code`: their wire code is the shape name.
    const code = shape.error?.code ?? shapeName;
    // Query models mark client errors `senderFault`; JSON models mark server errors `fault`. A 5xx status
    // is a server error either way.
    const httpStatusCode = shape.error?.httpStatusCode ?? (shape.fault ? 500 : 400);
    const receiverFault = shape.fault === true || httpStatusCode >= 500;
    errors.set(code, { shapeName, code, httpStatusCode, type: receiverFault ? 'Receiver' : 'Sender' });
  }
  return errors;
}

/**
 * The AWS JSON 1.0/1.1 protocol, request side: `X-Amz-Target: <targetPrefix>.<Operation>` names the
 * operation, the body is a JSON object in the model's member names. Values are read by their model shape
 * (timestamps as epoch seconds, blobs as base64); unknown members are ignored, as AWS's JSON services do.
 */
import { AwsError } from '../policy/errors.js';
import type { OperationModel, ServiceModel, ShapeRef } from '../model/service-models.js';
import { countWork } from '../policy/work-meter.js';

export interface DecodedJsonRequest {
  operation: OperationModel;
  input: Record<string, unknown>;
}

/** AWS's answer to a target naming no operation of the service. */
export function unknownOperation(target: string): AwsError {
  return new AwsError('UnknownOperationException', `The operation ${target} is not recognized by this service.`, 400);
}

/** AWS's answer to a body that is not the JSON the operation expects. */
export function serializationError(message: string): AwsError {
  return new AwsError('SerializationException', message, 400);
}

/** The operation a target header names, or UnknownOperationException. */
export function operationOfTarget(model: ServiceModel, target: string): OperationModel {
  const prefix = `${model.metadata.targetPrefix}.`;
  const operation = target.startsWith(prefix) ? model.operation(target.slice(prefix.length)) : undefined;
  if (!operation) throw unknownOperation(target);
  return operation;
}

/** Decodes one JSON-protocol request into the operation and its typed input. */
export function decodeJsonRequest(model: ServiceModel, target: string, body: Buffer | string): DecodedJsonRequest {
  const operation = operationOfTarget(model, target);
  const text = typeof body === 'string' ? body : body.toString('utf8');
  let parsed: unknown = {};
  if (text.trim() !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      throw serializationError('The request body is not valid JSON.');
    }
  }
  if (!operation.input) return { operation, input: {} };
  const input = readJsonValue(model, operation.input, parsed, '');
  return { operation, input: (input ?? {}) as Record<string, unknown> };
}

/** A JSON value read by its model shape (`path` names it in errors); undefined for null or absent. */
export function readJsonValue(model: ServiceModel, ref: ShapeRef, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  countWork(1);
  const shape = model.shape(ref.shape);
  const mismatch = (expected: string) => serializationError(`Expected ${expected} at '${path || '$'}'.`);
  switch (shape.type) {
    case 'structure': {
      if (!isObject(value)) throw mismatch('an object');
      const out: Record<string, unknown> = {};
      for (const [member, memberRef] of Object.entries(shape.members ?? {})) {
        const decoded = readJsonValue(model, memberRef, value[memberRef.locationName ?? member], path ? `${path}.${member}` : member);
        if (decoded !== undefined) out[member] = decoded;
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) throw mismatch('a list');
      return value.map((item, index) => readJsonValue(model, shape.member as ShapeRef, item, `${path}[${index}]`));
    }
    case 'map': {
      if (!isObject(value)) throw mismatch('a map');
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = readJsonValue(model, shape.value as ShapeRef, item, `${path}.${key}`);
      return out;
    }
    case 'string':
      if (typeof value !== 'string') throw mismatch('a string');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch('a boolean');
      return value;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw mismatch('an integer');
      return value;
    case 'float':
    case 'double':
      if (typeof value !== 'number') throw mismatch('a number');
      return value;
    case 'timestamp':
      return readTimestamp(value, mismatch);
    case 'blob':
      if (typeof value !== 'string') throw mismatch('a base64 string');
      return Buffer.from(value, 'base64');
  }
}

/** JSON timestamps are epoch seconds (fractions allowed); operations take ISO strings. */
function readTimestamp(value: unknown, mismatch: (expected: string) => AwsError): string {
  const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw mismatch('a timestamp');
  return date.toISOString();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The AWS JSON 1.0/1.1 protocol, response side: the operation's output as a JSON object in the model's
 * member names, with only the members the model declares. Operations hand over ISO timestamps; the wire
 * carries epoch seconds (fractions for milliseconds), blobs as base64.
 */
import type { ServiceModel, ShapeRef } from '../model/service-models.js';

/** The Content-Type of the protocol version a model speaks (`application/x-amz-json-1.1`). */
export function jsonContentType(model: ServiceModel): string {
  return `application/x-amz-json-${model.metadata.jsonVersion ?? '1.0'}`;
}

/** The response body of an operation; `{}` when it has no output. */
export function encodeJsonResponse(model: ServiceModel, operationName: string, output: unknown): string {
  const operation = model.operation(operationName);
  if (!operation?.output) return '{}';
  return JSON.stringify(writeValue(model, operation.output, output) ?? {});
}

/** A value shaped by the model, or undefined when absent. */
export function writeValue(model: ServiceModel, ref: ShapeRef, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  const shape = model.shape(ref.shape);
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object') return undefined;
      const source = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [member, memberRef] of Object.entries(shape.members ?? {})) {
        const encoded = writeValue(model, memberRef, source[member]);
        if (encoded !== undefined) out[memberRef.locationName ?? member] = encoded;
      }
      return out;
    }
    case 'list':
      return Array.isArray(value) ? value.map((item) => writeValue(model, shape.member as ShapeRef, item) ?? null) : undefined;
    case 'map': {
      if (typeof value !== 'object') return undefined;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) out[key] = writeValue(model, shape.value as ShapeRef, item) ?? null;
      return out;
    }
    case 'timestamp':
      return epochSeconds(value);
    case 'blob':
      return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : String(value);
    default:
      return value;
  }
}

function epochSeconds(value: unknown): number | undefined {
  const date = value instanceof Date ? value : new Date(value as string | number);
  const millis = date.getTime();
  return Number.isNaN(millis) ? undefined : millis / 1000;
}

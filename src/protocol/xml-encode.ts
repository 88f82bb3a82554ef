/**
 * Encodes an operation's output as AWS Query XML, walking the output shape in the service model:
 *   <CreateRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
 *     <CreateRoleResult><Role>…</Role></CreateRoleResult>
 *     <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata>
 *   </CreateRoleResponse>
 * Only the shape's members are written, in the shape's order, so entity fields the API does not expose
 * (an entity's account id, its inline policies) never reach the wire.
 */
import type { ServiceModel, Shape, ShapeRef } from '../model/service-models.js';

/** The Content-Type AWS's Query services answer with. */
export const QUERY_CONTENT_TYPE = 'text/xml';

/**
 * IAM returns policy documents URL-encoded (RFC 3986) and declares them all with this shape; botocore
 * recognises them by the same name and decodes them back to JSON.
 */
const POLICY_DOCUMENT_SHAPE = 'policyDocumentType';

/** The XML body of a successful Query response; operations without an output shape get no Result element. */
export function encodeQueryResponse(model: ServiceModel, operationName: string, output: unknown, requestId: string): string {
  const operation = model.operation(operationName);
  if (!operation) throw new Error(`${model.name} model has no operation ${operationName}`);
  const namespace = model.metadata.xmlNamespace;
  let result = '';
  if (operation.output) {
    const wrapper = operation.output.resultWrapper ?? `${operationName}Result`;
    const members = isRecord(output) ? encodeMembers(model, model.shape(operation.output.shape), output) : '';
    result = `<${wrapper}>${members}</${wrapper}>`;
  }
  return `<${operationName}Response${namespace ? ` xmlns="${escapeXml(namespace)}"` : ''}>${result}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${operationName}Response>`;
}

function encodeMembers(model: ServiceModel, shape: Shape, value: Record<string, unknown>): string {
  let xml = '';
  for (const [memberName, ref] of Object.entries(shape.members ?? {})) {
    const memberValue = value[memberName];
    if (memberValue === undefined || memberValue === null) continue;
    xml += encodeValue(model, ref, memberValue, ref.locationName ?? memberName);
  }
  return xml;
}

function encodeValue(model: ServiceModel, ref: ShapeRef, value: unknown, element: string): string {
  const shape = model.shape(ref.shape);
  switch (shape.type) {
    case 'structure':
      return isRecord(value) ? `<${element}>${encodeMembers(model, shape, value)}</${element}>` : '';
    case 'list':
      return Array.isArray(value) ? encodeList(model, ref, shape, value, element) : '';
    case 'map':
      return isRecord(value) ? encodeMap(model, ref, shape, value, element) : '';
    default:
      return `<${element}>${escapeXml(scalarText(ref, shape, value))}</${element}>`;
  }
}

/** Items as `<member>` (or the member's locationName); flattened lists repeat the element itself. */
function encodeList(model: ServiceModel, ref: ShapeRef, shape: Shape, items: unknown[], element: string): string {
  const memberRef = shape.member as ShapeRef;
  const present = items.filter((item) => item !== undefined && item !== null);
  if (ref.flattened || shape.flattened) {
    return present.map((item) => encodeValue(model, memberRef, item, memberRef.locationName ?? element)).join('');
  }
  const itemElement = memberRef.locationName ?? 'member';
  return `<${element}>${present.map((item) => encodeValue(model, memberRef, item, itemElement)).join('')}</${element}>`;
}

/** Entries as `<entry><key/><value/></entry>`; flattened maps repeat the element around key and value. */
function encodeMap(model: ServiceModel, ref: ShapeRef, shape: Shape, map: Record<string, unknown>, element: string): string {
  const keyRef = shape.key as ShapeRef;
  const valueRef = shape.value as ShapeRef;
  const entries = Object.entries(map)
    .filter(([, item]) => item !== undefined && item !== null)
    .map(([key, item]) =>
      encodeValue(model, keyRef, key, keyRef.locationName ?? 'key') + encodeValue(model, valueRef, item, valueRef.locationName ?? 'value'));
  if (ref.flattened || shape.flattened) return entries.map((entry) => `<${element}>${entry}</${element}>`).join('');
  return `<${element}>${entries.map((entry) => `<entry>${entry}</entry>`).join('')}</${element}>`;
}

function scalarText(ref: ShapeRef, shape: Shape, value: unknown): string {
  switch (shape.type) {
    case 'string':
      return ref.shape === POLICY_DOCUMENT_SHAPE ? encodeRfc3986(String(value)) : String(value);
    case 'boolean':
      return value === true || value === 'true' ? 'true' : 'false';
    case 'timestamp':
      return shape.timestampFormat === 'unixTimestamp' ? String(toDate(value).getTime() / 1000) : formatTimestamp(value);
    case 'blob':
      return typeof value === 'string' ? Buffer.from(value).toString('base64') : Buffer.from(value as Uint8Array).toString('base64');
    default:
      return String(value);
  }
}

/** AWS's Query timestamp: ISO 8601 in UTC to the second, `2026-11-23T07:35:00Z`. */
export function formatTimestamp(value: unknown): string {
  return toDate(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function toDate(value: unknown): Date {
  const date = value instanceof Date ? value : new Date(typeof value === 'number' ? value : String(value));
  if (Number.isNaN(date.getTime())) throw new Error(`not a timestamp: ${String(value)}`);
  return date;
}

/** Percent-encodes everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`), as IAM does. */
export function encodeRfc3986(text: string): string {
  // encodeURIComponent throws on a lone surrogate; such a character cannot be stored text anyway.
  const wellFormed = text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return encodeURIComponent(wellFormed).replace(/[!'()*]/g, (character) =>
    `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Escapes text for XML content and attributes. Carriage returns become `&#xD;` because XML parsers
 * otherwise normalise them away, and clients must read back exactly what was stored.
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (character) => XML_ENTITIES[character] ?? character);
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#xD;',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * protocol/: AWS wire formats driven by the vendored service models. The Query codec (IAM, STS) decodes
 * `Action=...` requests, validates them against the model's constraints, and encodes results and errors
 * as AWS's XML.
 */
export { loadServiceModel, MODEL_VERSIONS, ServiceModel } from './service-model.js';
export type {
  ModelError, OperationModel, ServiceMetadata, ServiceModelDocument, ServiceName, Shape, ShapeRef, ShapeType,
} from './service-model.js';
export { decodeQueryRequest } from './query-decode.js';
export type { DecodedQueryRequest } from './query-decode.js';
export { inputViolations, validateInput } from './validate-input.js';
export { encodeQueryResponse, encodeRfc3986, escapeXml, formatTimestamp, QUERY_CONTENT_TYPE } from './xml-encode.js';
export {
  asAwsError, encodeQueryError, invalidAction, invalidParameterValue, missingAction, NO_VERSION_SPECIFIED, validationErrors,
} from './query-errors.js';
export type { EncodedQueryError } from './query-errors.js';

/**
 * protocol/: AWS wire formats driven by the vendored service models. The Query codec (IAM, STS) decodes
 * `Action=...` requests and encodes results and errors as AWS's XML. The models themselves and the input
 * constraints they state live in model/ (every operation checks its input there, whoever calls it); they
 * are re-exported here for the codecs' users.
 */
export { loadServiceModel, MODEL_VERSIONS, ServiceModel } from '../model/service-models.js';
export type {
  ModelError, OperationModel, ServiceMetadata, ServiceModelDocument, ServiceName, Shape, ShapeRef, ShapeType,
} from '../model/service-models.js';
export { decodeQueryRequest } from './query-decode.js';
export type { DecodedQueryRequest } from './query-decode.js';
export { inputViolations, validateInput } from '../model/input-validation.js';
export { validationErrors } from '../model/errors.js';
export { encodeQueryResponse, encodeRfc3986, escapeXml, formatTimestamp, QUERY_CONTENT_TYPE } from './xml-encode.js';
export {
  asAwsError, encodeQueryError, invalidAction, invalidParameterValue, missingAction, NO_VERSION_SPECIFIED,
} from './query-errors.js';
export type { EncodedQueryError } from './query-errors.js';

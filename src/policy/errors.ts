/**
 * The one error family of Rolecall: every failure carries AWS's error code, HTTP status and message,
 * is thrown by the layer that knows what went wrong and rendered once by protocol/.
 * It lives in policy/ because that is the innermost layer and every other layer may import it.
 */
export class AwsError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  /** "Sender" for client faults, "Receiver" for ours, as in AWS's Query error XML. */
  readonly type: 'Sender' | 'Receiver';

  constructor(code: string, message: string, httpStatus = 400, type: 'Sender' | 'Receiver' = 'Sender') {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    this.httpStatus = httpStatus;
    this.type = type;
  }

  toJSON(): { code: string; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** AWS's MalformedPolicyDocument (HTTP 400): the document is not a valid policy of its kind. */
export class MalformedPolicyDocumentError extends AwsError {
  constructor(message: string) {
    super('MalformedPolicyDocument', message, 400);
  }
}

/** AWS's LimitExceeded (HTTP 409), e.g. a document over its size quota. */
export class LimitExceededError extends AwsError {
  constructor(message: string) {
    super('LimitExceeded', message, 409);
  }
}

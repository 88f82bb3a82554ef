/** Kubernetes `Status` failures: the reason, HTTP code and message text the API server uses. */

/** Identifies a resource in messages: `serviceaccounts`, `iamroles.rolecall.dev`. */
export interface ResourceName {
  group: string;
  plural: string;
  kind: string;
}

/** A request the API server refuses, answered as a `Status` object. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  /** The `metav1.Status` body of this failure. */
  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** `serviceaccounts` for the core group, `iamroles.rolecall.dev` otherwise. */
export function qualifiedResource(resource: ResourceName): string {
  return resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
}

function details(resource: ResourceName, name: string): Record<string, unknown> {
  return { name, ...(resource.group ? { group: resource.group } : {}), kind: resource.plural };
}

export function notFound(resource: ResourceName, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource(resource)} "${name}" not found`, details(resource, name));
}

export function alreadyExists(resource: ResourceName, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource(resource)} "${name}" already exists`, details(resource, name));
}

export function conflict(resource: ResourceName, name: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    details(resource, name),
  );
}

/** One field error of an Invalid (422) answer, e.g. `spec.x: Invalid value: 3: must be at least 5`. */
export interface FieldError {
  field: string;
  type: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueForbidden' | 'FieldValueNotSupported' | 'FieldValueTypeInvalid';
  text: string;
}

export function invalid(resource: ResourceName, name: string, errors: FieldError[]): ApiError {
  const kind = resource.group === '' ? resource.kind : `${resource.kind}.${resource.group}`;
  const texts = errors.map((error) => `${error.field}: ${error.text}`);
  const summary = texts.length === 1 ? texts[0]! : `[${texts.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${kind} "${name}" is invalid: ${summary}`, {
    ...details(resource, name),
    kind: resource.kind,
    causes: errors.map((error) => ({ reason: error.type, message: error.text, field: error.field })),
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

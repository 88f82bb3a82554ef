/**
 * AWS Organizations' errors (API Reference, "Errors" of each operation; all HTTP 400 but ServiceException).
 * Messages are the ones AWS sends where bug reports quote them (AWSOrganizationsNotInUseException,
 * AccessDeniedException, AccountNotFoundException, InvalidInputException INVALID_PATTERN), otherwise the
 * exception's documented description. ConstraintViolationException and InvalidInputException carry a
 * `Reason` member, rendered by the JSON protocol from `details`.
 */
import { AwsError } from '../policy/errors.js';

/** An Organizations error, with the extra members (`Reason`) its shape declares. */
export class OrganizationsError extends AwsError {
  readonly details?: Readonly<Record<string, string>>;

  constructor(code: string, message: string, details?: Record<string, string>) {
    super(code, message, 400);
    if (details) this.details = details;
  }
}

const error = (code: string, message: string) => new OrganizationsError(code, message);

export const notInUse = () => error('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
export const alreadyInOrganization = () => error('AlreadyInOrganizationException', 'The AWS account is already a member of an organization.');
/** What a member account gets for an operation only the management account may call. */
export const accessDeniedException = () => error('AccessDeniedException', "You don't have permissions to access this resource.");
export const accountNotFound = () => error('AccountNotFoundException', "You specified an account that doesn't exist.");
export const organizationNotEmpty = () =>
  error('OrganizationNotEmptyException', 'The organization isn\'t empty. To delete an organization, you must first remove all member accounts.');
export const rootNotFound = () => error('RootNotFoundException', "We can't find a root with the RootId that you specified.");
export const parentNotFound = () => error('ParentNotFoundException', "We can't find a root or OU with the ParentId that you specified.");
export const sourceParentNotFound = () =>
  error('SourceParentNotFoundException', "We can't find a source root or OU with the ParentId that you specified.");
export const destinationParentNotFound = () =>
  error('DestinationParentNotFoundException', "We can't find the destination container (a root or OU) with the ParentId that you specified.");
export const duplicateAccount = () => error('DuplicateAccountException', 'That account is already present in the specified destination.');
export const childNotFound = () =>
  error('ChildNotFoundException', "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.");
export const organizationalUnitNotFound = () =>
  error('OrganizationalUnitNotFoundException', "We can't find an OU with the OrganizationalUnitId that you specified.");
export const organizationalUnitNotEmpty = () =>
  error(
    'OrganizationalUnitNotEmptyException',
    'The specified OU is not empty. Move all accounts to another root or to other OUs, remove all child OUs, and try the operation again.',
  );
export const duplicateOrganizationalUnit = () => error('DuplicateOrganizationalUnitException', 'An OU with the same name already exists.');
export const createAccountStatusNotFound = () =>
  error('CreateAccountStatusNotFoundException', "We can't find an create account request with the CreateAccountRequestId that you specified.");
export const policyNotFound = () => error('PolicyNotFoundException', "We can't find a policy with the PolicyId that you specified.");
export const duplicatePolicy = () => error('DuplicatePolicyException', 'A policy with the same name already exists.');
export const duplicatePolicyAttachment = () =>
  error('DuplicatePolicyAttachmentException', 'The selected policy is already attached to the specified target.');
export const policyNotAttached = () =>
  error('PolicyNotAttachedException', "The policy isn't attached to the specified target in the specified root.");
export const policyInUse = () =>
  error(
    'PolicyInUseException',
    'The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.',
  );
export const policyTypeNotEnabled = () =>
  error(
    'PolicyTypeNotEnabledException',
    "The specified policy type isn't currently enabled in this root. You can't attach policies of the specified type to entities in a root until you enable that type in the root.",
  );
export const policyTypeAlreadyEnabled = () =>
  error('PolicyTypeAlreadyEnabledException', 'The specified policy type is already enabled in the specified root.');
export const policyTypeNotAvailable = () =>
  error(
    'PolicyTypeNotAvailableForOrganizationException',
    "You can't use the specified policy type with the feature set currently enabled for this organization.",
  );
export const targetNotFound = () =>
  error('TargetNotFoundException', "We can't find a root, OU, account, or policy with the TargetId that you specified.");
export const malformedPolicyDocument = (message: string) => error('MalformedPolicyDocumentException', message);

/** The reasons of ConstraintViolationException Rolecall enforces, with AWS's documented explanation. */
const CONSTRAINTS = {
  ACCOUNT_NUMBER_LIMIT_EXCEEDED: 'You attempted to exceed the limit on the number of accounts in an organization.',
  OU_NUMBER_LIMIT_EXCEEDED: 'You attempted to exceed the number of OUs that you can have in an organization.',
  OU_DEPTH_LIMIT_EXCEEDED: 'You attempted to create an OU tree that is too many levels deep.',
  POLICY_NUMBER_LIMIT_EXCEEDED: 'You attempted to exceed the number of policies that you can have in an organization.',
  POLICY_CONTENT_LIMIT_EXCEEDED: 'You attempted to create a policy that is larger than the maximum size.',
  MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED:
    'You attempted to exceed the number of policies of a certain type that can be attached to an entity at one time.',
  MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED:
    'You attempted to detach a policy from an entity that would cause the entity to have fewer than the minimum number of policies of a certain type required.',
} as const;

export type ConstraintReason = keyof typeof CONSTRAINTS;

/** ConstraintViolationException with its Reason. */
export function constraintViolation(reason: ConstraintReason, message: string = CONSTRAINTS[reason]): OrganizationsError {
  return new OrganizationsError('ConstraintViolationException', message, { Reason: reason });
}

/** The reasons of InvalidInputException Rolecall reports, with AWS's wording. */
const INVALID_INPUTS = {
  INVALID_PATTERN: 'You provided a value that does not match the required pattern.',
  INVALID_PATTERN_TARGET_ID: "You specified a policy target ID that doesn't match the required pattern.",
  INVALID_SYNTAX_POLICY_ID: 'You specified an invalid policy ID.',
  INVALID_ENUM: 'You specified an invalid value.',
  INVALID_ENUM_POLICY_TYPE: 'You specified an invalid policy type string.',
  INPUT_REQUIRED: 'You must include a value for all required parameters.',
  MAX_LENGTH_EXCEEDED: 'You provided a string parameter that is longer than allowed.',
  MIN_LENGTH_EXCEEDED: 'You provided a string parameter that is shorter than allowed.',
  MAX_VALUE_EXCEEDED: 'You provided a numeric parameter that has a larger value than allowed.',
  MIN_VALUE_EXCEEDED: 'You provided a numeric parameter that has a smaller value than allowed.',
  INVALID_NEXT_TOKEN: 'You specified an invalid value for nextToken. You must get the value from the response to a previous call to the API.',
  IMMUTABLE_POLICY: "You specified a policy that is managed by AWS and can't be modified.",
  NON_DETACHABLE_POLICY: "You can't detach this AWS Managed Policy.",
  INVALID_ROLE_NAME: "You provided a role name that isn't valid. A role name can't begin with the reserved prefix 'AWSServiceRoleFor'.",
  DUPLICATE_TAG_KEY: 'Tag keys must be unique among the tags attached to the same entity.',
  TARGET_NOT_SUPPORTED: "You can't perform the specified operation on that target entity.",
} as const;

export type InvalidInputReason = keyof typeof INVALID_INPUTS;

/** InvalidInputException with its Reason. */
export function invalidInput(reason: InvalidInputReason): OrganizationsError {
  return new OrganizationsError('InvalidInputException', INVALID_INPUTS[reason], { Reason: reason });
}

/**
 * The IAM operations the reconciler uses, called through the AWS SDK and recorded one by one, so every
 * apply can report exactly which calls it made and how many wrote (a second apply must write none).
 */
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  ListRolesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { CommandImpl } from '@smithy/core/client';

const COMMANDS = {
  GetAccountAuthorizationDetails: GetAccountAuthorizationDetailsCommand,
  GetRole: GetRoleCommand,
  GetRolePolicy: GetRolePolicyCommand,
  ListAttachedRolePolicies: ListAttachedRolePoliciesCommand,
  ListRolePolicies: ListRolePoliciesCommand,
  ListRoleTags: ListRoleTagsCommand,
  ListRoles: ListRolesCommand,
  ListInstanceProfilesForRole: ListInstanceProfilesForRoleCommand,
  CreateRole: CreateRoleCommand,
  UpdateRole: UpdateRoleCommand,
  UpdateAssumeRolePolicy: UpdateAssumeRolePolicyCommand,
  AttachRolePolicy: AttachRolePolicyCommand,
  DetachRolePolicy: DetachRolePolicyCommand,
  PutRolePolicy: PutRolePolicyCommand,
  DeleteRolePolicy: DeleteRolePolicyCommand,
  TagRole: TagRoleCommand,
  UntagRole: UntagRoleCommand,
  PutRolePermissionsBoundary: PutRolePermissionsBoundaryCommand,
  DeleteRolePermissionsBoundary: DeleteRolePermissionsBoundaryCommand,
  RemoveRoleFromInstanceProfile: RemoveRoleFromInstanceProfileCommand,
  AddRoleToInstanceProfile: AddRoleToInstanceProfileCommand,
  DeleteRole: DeleteRoleCommand,
} as const;

type Commands = typeof COMMANDS;
export type IamOperation = keyof Commands;
export type IamInput<Op extends IamOperation> = ConstructorParameters<Commands[Op]>[0];
export type IamOutput<Op extends IamOperation> =
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- only the output type is inferred
  InstanceType<Commands[Op]> extends CommandImpl<any, infer Output, any, any, any> ? Output : never;

/** The operations that change nothing (the rest write). */
const READS: ReadonlySet<IamOperation> = new Set([
  'GetAccountAuthorizationDetails',
  'GetRole',
  'GetRolePolicy',
  'ListAttachedRolePolicies',
  'ListRolePolicies',
  'ListRoleTags',
  'ListRoles',
  'ListInstanceProfilesForRole',
]);

/** Whether an operation changes IAM state. */
export function isWrite(operation: IamOperation): boolean {
  return !READS.has(operation);
}

/** One IAM call as made: the operation, the role it concerned, and AWS's error code when it failed. */
export interface ApiCall {
  operation: string;
  write: boolean;
  roleName?: string;
  error?: string;
}

/** An AWS error as the reconciler reports it: the code (reason) and AWS's message. */
export interface CallFailure {
  code: string;
  message: string;
}

/**
 * The AWS error code and message of a failed call. The SDK names modeled errors by class
 * (NoSuchEntityException) and keeps the wire code (NoSuchEntity) in `Code`; network failures and other
 * client-side errors get the code RequestFailed.
 */
export function failureOf(error: unknown): CallFailure {
  if (error instanceof Error) {
    const code = (error as { Code?: unknown }).Code;
    if (typeof code === 'string' && code !== '') return { code, message: error.message };
    const fromAws = '$metadata' in error || '$fault' in error;
    return { code: fromAws && error.name !== 'Error' ? error.name : 'RequestFailed', message: error.message };
  }
  return { code: 'RequestFailed', message: String(error) };
}

/** Calls IAM and records each call; one recorder per reconcile, so each object's calls are its own. */
export class RecordingIam {
  readonly calls: ApiCall[] = [];

  constructor(readonly client: IAMClient) {}

  /** Sends one operation and records it (also when it fails). */
  async call<Op extends IamOperation>(operation: Op, input: IamInput<Op>): Promise<IamOutput<Op>> {
    const record: ApiCall = { operation, write: isWrite(operation) };
    const roleName = (input as { RoleName?: unknown }).RoleName;
    if (typeof roleName === 'string') record.roleName = roleName;
    this.calls.push(record);
    const Command = COMMANDS[operation] as unknown as new (input: IamInput<Op>) => Parameters<IAMClient['send']>[0];
    try {
      return (await this.client.send(new Command(input))) as IamOutput<Op>;
    } catch (error) {
      record.error = failureOf(error).code;
      throw error;
    }
  }

  /** Number of calls that changed state. */
  writes(): number {
    return this.calls.filter((call) => call.write).length;
  }
}

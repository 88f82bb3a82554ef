/**
 * The IAM operations the reconciler uses, called through the AWS SDK and recorded one by one
 * (recording-client.ts), so every apply can report exactly which calls it made and how many wrote.
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
import { RecordingClient, type CommandInput, type CommandOutput } from './recording-client.js';

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
export type IamInput<Op extends IamOperation> = CommandInput<Commands[Op]>;
export type IamOutput<Op extends IamOperation> = CommandOutput<Commands[Op]>;

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

/** Calls IAM and records each call; one recorder per reconcile, so each object's calls are its own. */
export class RecordingIam extends RecordingClient<Commands, IAMClient> {
  constructor(client: IAMClient) {
    super(client, COMMANDS, READS);
  }
}

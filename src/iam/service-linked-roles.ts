/**
 * Deleting service-linked roles (API_DeleteServiceLinkedRole.html, API_GetServiceLinkedRoleDeletionStatus.html,
 * using-service-linked-roles.html): IAM answers a deletion with a task id
 * `task/aws-service-role/<service-principal-name>/<role-name>/<task-uuid>` whose status can be asked
 * afterwards. No linked service holds resources in Rolecall, so the deletion completes at once and its
 * task is recorded as SUCCEEDED: the latest task of each role name is kept in the store (as a setting of
 * the account), and an older or unknown one is NoSuchEntity, as AWS answers for tasks it has purged.
 * Where Rolecall chose for AWS: docs/iam-api.md.
 */
import { randomUUID } from 'node:crypto';
import type { Role } from '../model/entities.js';
import { roleArn } from '../model/arns.js';
import { invalidInput, noSuchEntity } from '../model/errors.js';
import type { StoreWriter } from '../store/types.js';
import { requireRole } from './lookup.js';
import { recordAttachment, recordBoundaryUsage } from './managed-policies.js';
import { defineOperation, requestPartition, type AnyOperation } from './operation.js';
import { isServiceLinkedRole, roleTarget } from './roles.js';
import { SERVICE_ROLE_PATH } from './service-linked-role-catalog.js';

export type DeletionTaskStatus = 'SUCCEEDED' | 'IN_PROGRESS' | 'FAILED' | 'NOT_STARTED';

export interface GetServiceLinkedRoleDeletionStatusOutput {
  Status: DeletionTaskStatus;
  Reason?: { Reason?: string; RoleUsageList?: Array<{ Region?: string; Resources?: string[] }> };
}

/** A deletion task as stored: one per role name, the latest. */
interface DeletionTaskSetting {
  Kind: 'serviceLinkedRoleDeletion';
  DeletionTaskId: string;
  RoleArn: string;
  Status: DeletionTaskStatus;
  CreateDate: string;
}

const TASK_KEY_PREFIX = 'serviceLinkedRoleDeletion:';
const TASK_ID = /^task\/aws-service-role\/(.+)\/([\w+=,.@-]+)\/[^/]+$/;

/** DeleteServiceLinkedRole: deletes the role with its policies and returns the (completed) task's id. */
export const deleteServiceLinkedRole = defineOperation<{ RoleName: string }, { DeletionTaskId: string }>({
  service: 'iam',
  name: 'DeleteServiceLinkedRole',
  authorize: (context, input) => roleTarget(context, 'iam:DeleteServiceLinkedRole', input.RoleName),
  async execute(context, input) {
    return context.store.write(async (writer) => {
      const role = await requireRole(writer, context.accountId, input.RoleName);
      // The wording is Rolecall's; the model lists NoSuchEntity as the operation's error for a missing role.
      if (!isServiceLinkedRole(role)) throw noSuchEntity(`The role with name ${role.RoleName} is not a service-linked role.`);
      await deleteWithPolicies(writer, role);
      const task: DeletionTaskSetting = {
        Kind: 'serviceLinkedRoleDeletion',
        DeletionTaskId: `task${role.Path}${role.RoleName}/${randomUUID()}`,
        RoleArn: role.Arn,
        Status: 'SUCCEEDED',
        CreateDate: context.now.toISOString(),
      };
      await writer.put('setting', context.accountId, TASK_KEY_PREFIX + role.RoleName, task);
      return { DeletionTaskId: task.DeletionTaskId };
    });
  },
});

/** GetServiceLinkedRoleDeletionStatus: the status of a task DeleteServiceLinkedRole returned. */
export const getServiceLinkedRoleDeletionStatus = defineOperation<{ DeletionTaskId: string }, GetServiceLinkedRoleDeletionStatusOutput>({
  service: 'iam',
  name: 'GetServiceLinkedRoleDeletionStatus',
  // Authorized on the role the task deletes, which its id names; an id naming none only matches "*".
  authorize: (context, input) => [{ action: 'iam:GetServiceLinkedRoleDeletionStatus', resource: taskRoleArn(requestPartition(context), context.accountId, input.DeletionTaskId) ?? '*' }],
  async execute(context, input) {
    const match = TASK_ID.exec(input.DeletionTaskId);
    if (!match) throw invalidInput(`Invalid deletion task id ${input.DeletionTaskId}: expected task/aws-service-role/<service-principal-name>/<role-name>/<task-uuid>.`);
    const task = await context.store.read((reader) => reader.get<Partial<DeletionTaskSetting>>('setting', context.accountId, TASK_KEY_PREFIX + match[2]!));
    if (task?.Kind !== 'serviceLinkedRoleDeletion' || task.DeletionTaskId !== input.DeletionTaskId || !task.Status) {
      throw noSuchEntity(`The deletion task with id ${input.DeletionTaskId} cannot be found.`);
    }
    return { Status: task.Status };
  },
});

/** The service-linked role deletion operations, for the IAM registry. */
export const SERVICE_LINKED_ROLE_DELETION_OPERATIONS: AnyOperation[] = [deleteServiceLinkedRole, getServiceLinkedRoleDeletionStatus];

/** The ARN of the role a task id names, if the id has the task format. */
function taskRoleArn(partition: string, account: string, taskId: string | undefined): string | undefined {
  const match = TASK_ID.exec(taskId ?? '');
  return match ? roleArn(partition, account, `${SERVICE_ROLE_PATH}${match[1]!}/`, match[2]!) : undefined;
}

/**
 * The linked service owns the role's policies, so they go with it (DeleteRole would refuse instead): the
 * attached policies' attachment records and a boundary's usage count are released too.
 */
async function deleteWithPolicies(writer: StoreWriter, role: Role): Promise<void> {
  await writer.delete('role', role.AccountId, role.RoleName);
  for (const arn of role.AttachedPolicyArns) await recordAttachment(writer, role.AccountId, arn, { type: 'role', name: role.RoleName }, false);
  if (role.PermissionsBoundaryArn) await recordBoundaryUsage(writer, role.AccountId, role.PermissionsBoundaryArn, -1);
}

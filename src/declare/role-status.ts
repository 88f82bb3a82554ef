/**
 * The status of an IAMRole as the seed documents it (roleArn, roleId, createDate, ready) plus the
 * Kubernetes conventions: Ready and Synced conditions with a reason and AWS's message on failure,
 * observedGeneration and lastSyncTime. A condition keeps its lastTransitionTime while its status holds.
 */
import type { Condition, IAMRoleStatus } from './resources.js';

export interface StatusInput {
  role?: { arn: string; roleId: string; createDate?: string };
  ready: { status: boolean; reason: string; message: string };
  synced: { status: boolean | 'Unknown'; reason: string; message: string };
  generation?: number;
  now: Date;
  previous?: IAMRoleStatus;
}

export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One condition; it keeps its lastTransitionTime while its status holds. */
export function condition(
  type: Condition['type'],
  status: boolean | 'Unknown',
  reason: string,
  message: string,
  input: Pick<StatusInput, 'generation' | 'now'> & { previous?: { conditions: Condition[] } },
): Condition {
  const text: Condition['status'] = status === 'Unknown' ? 'Unknown' : status ? 'True' : 'False';
  const before = input.previous?.conditions.find((candidate) => candidate.type === type);
  return {
    type,
    status: text,
    reason,
    message,
    lastTransitionTime: before && before.status === text ? before.lastTransitionTime : isoSeconds(input.now),
    ...(input.generation !== undefined ? { observedGeneration: input.generation } : {}),
  };
}

/** Builds an IAMRole status. */
export function roleStatus(input: StatusInput): IAMRoleStatus {
  return {
    ...(input.role ? { roleArn: input.role.arn, roleId: input.role.roleId } : {}),
    ...(input.role?.createDate ? { createDate: input.role.createDate } : {}),
    ready: input.ready.status,
    message: input.synced.status === true ? input.ready.message : input.synced.message,
    ...(input.generation !== undefined ? { observedGeneration: input.generation } : {}),
    lastSyncTime: isoSeconds(input.now),
    conditions: [
      condition('Ready', input.ready.status, input.ready.reason, input.ready.message, input),
      condition('Synced', input.synced.status, input.synced.reason, input.synced.message, input),
    ],
  };
}

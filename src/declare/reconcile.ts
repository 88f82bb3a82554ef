/**
 * The reconcile core shared by `rolecall apply` and `rolecall operator`: read the actual role, check
 * ownership, plan the fewest writes that make it match the desired role (role-plan.ts), perform them
 * (or only report them in a dry run), and compute the object's status. A role IAM cannot change in
 * place (path, or a renamed roleName) is replaced explicitly: the old one is deleted cleanly and the
 * result says so. Failures never throw: they become a Synced=False condition with AWS's code and message.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { DesiredRole } from './desired-role.js';
import { RecordingIam } from './iam-calls.js';
import { failureOf, type ApiCall, type CallFailure } from './recording-client.js';
import { instanceProfilesOf, observeRole, type ObservedRole } from './observed-role.js';
import { OWNER_TAG_KEY, ownershipProblem } from './ownership.js';
import type { IAMRoleStatus } from './resources.js';
import { creationActions, deletionActions, instanceProfileActions, updateActions, type RoleAction } from './role-plan.js';
import { roleStatus } from './role-status.js';

export type ReconcileOutcome = 'created' | 'configured' | 'unchanged' | 'replaced' | 'failed';

export interface ReconcileOptions {
  /** Plan only: read, compare and report what apply would do, without writing. */
  dryRun?: boolean;
  now?: () => Date;
  /** The object's status from before, so conditions keep their lastTransitionTime. */
  previousStatus?: IAMRoleStatus;
  /**
   * Names of roles that carry this object's ownership tag (the role under an earlier roleName), asked
   * only when the desired name does not exist yet: such a role is replaced, not orphaned.
   */
  rolesOwnedBy?: (owner: string) => Promise<string[]>;
}

export interface RoleReconcileResult {
  outcome: ReconcileOutcome;
  status: IAMRoleStatus;
  /** The writes performed, or in a dry run the writes apply would perform. */
  actions: RoleAction[];
  /** Every IAM call made, reads included. */
  calls: ApiCall[];
  /** Explanations a user must see (replacements). */
  notes: string[];
  failure?: CallFailure & { operation?: string };
  /** The role as it was before this reconcile; undefined when it did not exist. */
  live?: ObservedRole;
}

interface Plan {
  outcome: Exclude<ReconcileOutcome, 'failed'>;
  actions: RoleAction[];
  notes: string[];
}

/** Makes the role match `desired` (or, in a dry run, reports what that would take). */
export async function reconcileRole(desired: DesiredRole, client: IAMClient, options: ReconcileOptions = {}): Promise<RoleReconcileResult> {
  const iam = new RecordingIam(client);
  const now = options.now ?? (() => new Date());
  const statusOf = (input: Omit<Parameters<typeof roleStatus>[0], 'now' | 'generation' | 'previous'>) =>
    roleStatus({ ...input, now: now(), ...(desired.generation !== undefined ? { generation: desired.generation } : {}), ...(options.previousStatus ? { previous: options.previousStatus } : {}) });
  const failed = (failure: CallFailure & { operation?: string }, live: ObservedRole | undefined, actions: RoleAction[], notes: string[]): RoleReconcileResult => {
    const where = failure.operation ? `${failure.operation} failed: ` : '';
    return {
      outcome: 'failed',
      status: {
        ...statusOf({
          ...(live ? { role: live } : {}),
          ready: { status: false, reason: failure.code, message: `${where}${failure.message}` },
          synced: { status: false, reason: failure.code, message: failure.message },
        }),
        message: `${where}${failure.code}: ${failure.message}`,
      },
      actions,
      calls: iam.calls,
      notes,
      failure,
      ...(live ? { live } : {}),
    };
  };

  let live: ObservedRole | undefined;
  let plan: Plan;
  try {
    live = await observeRole(iam, desired.roleName);
    if (live) {
      const problem = ownershipProblem(desired, live.tags[OWNER_TAG_KEY]);
      if (problem) return failed({ code: problem.reason, message: problem.message }, live, [], []);
    }
    plan = await planReconcile(iam, desired, live, options);
  } catch (error) {
    return failed(failureOf(error), live, [], []);
  }

  if (options.dryRun) return { ...dryRunResult(desired, live, plan, statusOf), calls: iam.calls };

  let created: { arn: string; roleId: string; createDate?: string } | undefined;
  const performed: RoleAction[] = [];
  for (const step of plan.actions) {
    try {
      const output = await iam.call(step.operation, step.input as never);
      if (step.operation === 'CreateRole') {
        const role = (output as { Role?: { Arn?: string; RoleId?: string; CreateDate?: Date } }).Role;
        created = { arn: role?.Arn ?? '', roleId: role?.RoleId ?? '', ...(role?.CreateDate ? { createDate: role.CreateDate.toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}) };
      }
      performed.push(step);
    } catch (error) {
      return failed({ ...failureOf(error), operation: step.operation }, live, performed, plan.notes);
    }
  }
  const role = created ?? live;
  const changes = performed.length;
  return {
    outcome: plan.outcome,
    status: statusOf({
      ...(role ? { role } : {}),
      ready: { status: true, reason: 'Available', message: `role ${desired.roleName} matches the spec` },
      synced: {
        status: true,
        reason: 'ReconcileSuccess',
        message: plan.outcome === 'unchanged' ? 'no changes needed' : `${plan.outcome}: ${changes} change${changes === 1 ? '' : 's'} applied`,
      },
    }),
    actions: performed,
    calls: iam.calls,
    notes: plan.notes,
    ...(live ? { live } : {}),
  };
}

async function planReconcile(iam: RecordingIam, desired: DesiredRole, live: ObservedRole | undefined, options: ReconcileOptions): Promise<Plan> {
  if (live && live.path === desired.path) {
    const actions = updateActions(desired, live);
    return { outcome: actions.length === 0 ? 'unchanged' : 'configured', actions, notes: [] };
  }
  if (live) {
    // IAM has no call that changes a path: the role is deleted and created again under the new one.
    const profiles = await instanceProfilesOf(iam, live.roleName);
    return {
      outcome: 'replaced',
      actions: [...deletionActions(live, profiles), ...creationActions(desired), ...instanceProfileActions(desired.roleName, profiles)],
      notes: [`replaced: path ${live.path} -> ${desired.path} (IAM cannot change the path of a role; it gets a new role id)`],
    };
  }
  const actions = creationActions(desired);
  const notes: string[] = [];
  const formerNames = options.rolesOwnedBy ? await options.rolesOwnedBy(desired.owner) : [];
  for (const name of formerNames) {
    if (name.toLowerCase() === desired.roleName.toLowerCase()) continue;
    const former = await observeRole(iam, name);
    if (!former || former.tags[OWNER_TAG_KEY] !== desired.owner) continue;
    // The new role exists before the old one goes, so whatever used the old one can move over.
    const profiles = await instanceProfilesOf(iam, name);
    actions.push(...deletionActions(former, profiles), ...instanceProfileActions(desired.roleName, profiles));
    notes.push(`replaced: roleName ${name} -> ${desired.roleName} (role ${name} deleted)`);
  }
  return { outcome: notes.length > 0 ? 'replaced' : 'created', actions, notes };
}

function dryRunResult(
  desired: DesiredRole,
  live: ObservedRole | undefined,
  plan: Plan,
  statusOf: (input: Omit<Parameters<typeof roleStatus>[0], 'now' | 'generation' | 'previous'>) => IAMRoleStatus,
): Omit<RoleReconcileResult, 'calls'> {
  const pending = plan.actions.map((step) => step.summary).join('; ');
  const status =
    !live
      ? statusOf({
          ready: { status: false, reason: 'NotFound', message: `role ${desired.roleName} does not exist` },
          synced: { status: false, reason: 'NotFound', message: 'apply would create it' },
        })
      : plan.actions.length === 0
        ? statusOf({
            role: live,
            ready: { status: true, reason: 'Available', message: `role ${desired.roleName} matches the spec` },
            synced: { status: true, reason: 'InSync', message: 'role matches the spec' },
          })
        : statusOf({
            role: live,
            ready: { status: false, reason: 'Drifted', message: `role ${desired.roleName} differs from the spec` },
            synced: { status: false, reason: 'Drifted', message: `apply would ${pending}` },
          });
  return { outcome: plan.outcome, status, actions: plan.actions, notes: plan.notes, ...(live ? { live } : {}) };
}

export type DeleteOutcome = 'deleted' | 'retained' | 'not found' | 'failed';

export interface RoleDeleteResult {
  outcome: DeleteOutcome;
  actions: RoleAction[];
  calls: ApiCall[];
  message: string;
  failure?: CallFailure & { operation?: string };
}

/**
 * Deletes the role of an object as its deletionPolicy says: Delete removes it from its instance
 * profiles, detaches and deletes its policies, then deletes it; Retain and Orphan keep it and remove the
 * ownership tag, so the role is released (a later object adopts it explicitly). Only the owner deletes.
 */
export async function deleteDesiredRole(desired: DesiredRole, client: IAMClient, options: { dryRun?: boolean } = {}): Promise<RoleDeleteResult> {
  const iam = new RecordingIam(client);
  let live: ObservedRole | undefined;
  try {
    live = await observeRole(iam, desired.roleName);
  } catch (error) {
    const failure = failureOf(error);
    return { outcome: 'failed', actions: [], calls: iam.calls, message: `${failure.code}: ${failure.message}`, failure };
  }
  if (!live) return { outcome: 'not found', actions: [], calls: iam.calls, message: `role ${desired.roleName} does not exist` };
  const problem = ownershipProblem(desired, live.tags[OWNER_TAG_KEY]);
  if (problem) return { outcome: 'failed', actions: [], calls: iam.calls, message: problem.message, failure: { code: problem.reason, message: problem.message } };
  if (desired.deletionPolicy !== 'Delete') {
    const actions =
      live.tags[OWNER_TAG_KEY] === undefined
        ? []
        : [{ operation: 'UntagRole', input: { RoleName: live.roleName, TagKeys: [OWNER_TAG_KEY] }, summary: `release role (untag ${OWNER_TAG_KEY})` } as RoleAction];
    return finishDelete(iam, actions, options, 'retained', `role ${desired.roleName} kept (deletionPolicy ${desired.deletionPolicy}) and released`);
  }
  try {
    const actions = deletionActions(live, await instanceProfilesOf(iam, live.roleName));
    return finishDelete(iam, actions, options, 'deleted', `role ${desired.roleName} deleted`);
  } catch (error) {
    const failure = failureOf(error);
    return { outcome: 'failed', actions: [], calls: iam.calls, message: `${failure.code}: ${failure.message}`, failure };
  }
}

/** Deletes a role found carrying `owner`'s tag whose object is gone (`apply --prune`). */
export async function pruneOwnedRole(roleName: string, owner: string, client: IAMClient, options: { dryRun?: boolean } = {}): Promise<RoleDeleteResult> {
  return deleteDesiredRole({ roleName, owner, adopt: false, deletionPolicy: 'Delete' } as DesiredRole, client, options);
}

async function finishDelete(iam: RecordingIam, actions: RoleAction[], options: { dryRun?: boolean }, outcome: DeleteOutcome, message: string): Promise<RoleDeleteResult> {
  if (!options.dryRun) {
    for (const step of actions) {
      try {
        await iam.call(step.operation, step.input as never);
      } catch (error) {
        const failure = { ...failureOf(error), operation: step.operation };
        return { outcome: 'failed', actions, calls: iam.calls, message: `${step.operation} failed: ${failure.code}: ${failure.message}`, failure };
      }
    }
  }
  return { outcome, actions, calls: iam.calls, message };
}

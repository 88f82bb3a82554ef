/**
 * The reconcile core of PodIdentityAssociation objects, shared by `rolecall apply` and the operator, with
 * the conventions of roles (reconcile.ts): read the association EKS has for the object's cluster,
 * namespace and service account; check ownership (the tag `rolecall.dev/owner` on the association);
 * plan the fewest writes — one UpdatePodIdentityAssociation for role, target role and session tags
 * together, one TagResource and one UntagResource — and perform them, or only report them in a dry run.
 * EKS cannot move an association to another cluster, namespace or service account (they are immutable):
 * the object's earlier association, found by its ownership tag, is replaced explicitly — the new one is
 * created, then the old one deleted — and the result says so. Failures never throw: they become the
 * object's Synced=False condition with EKS's error and message.
 */
import type { EKSClient } from '@aws-sdk/client-eks';
import type { IAMClient } from '@aws-sdk/client-iam';
import { RecordingEks, allEksPages, type EksOperation } from './eks-calls.js';
import { RecordingIam } from './iam-calls.js';
import { failureOf, type ApiCall, type CallFailure } from './recording-client.js';
import { OWNER_TAG_KEY, mayAdopt, ownerOf, ownershipProblem } from './ownership.js';
import type { DeletionPolicy, PodIdentityAssociation, PodIdentityAssociationStatus } from './resources.js';
import { describeObject } from './resources.js';
import { condition, isoSeconds } from './role-status.js';
import type { ReconcileOutcome, DeleteOutcome } from './reconcile.js';

/** What a PodIdentityAssociation object asks for, defaults filled in. */
export interface DesiredAssociation {
  /** `PodIdentityAssociation namespace/name`: for messages. */
  object: string;
  /** The ownership tag's value. */
  owner: string;
  adopt: boolean;
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  /** The role by ARN, or by name in the provider's account (resolved with GetRole). */
  roleArn?: string;
  roleName?: string;
  targetRoleArn?: string;
  disableSessionTags: boolean;
  /** The object's tags and the ownership tag. */
  tags: Record<string, string>;
  deletionPolicy: DeletionPolicy;
  generation?: number;
}

export function desiredAssociationOf(object: PodIdentityAssociation): DesiredAssociation {
  const { spec } = object;
  return {
    object: describeObject(object),
    owner: ownerOf(object),
    adopt: mayAdopt(object),
    clusterName: spec.clusterName,
    namespace: spec.namespace,
    serviceAccount: spec.serviceAccount,
    ...(spec.roleArn !== undefined ? { roleArn: spec.roleArn } : {}),
    ...(spec.roleName !== undefined ? { roleName: spec.roleName } : {}),
    ...(spec.targetRoleArn !== undefined ? { targetRoleArn: spec.targetRoleArn } : {}),
    disableSessionTags: spec.disableSessionTags ?? false,
    tags: { ...spec.tags, [OWNER_TAG_KEY]: ownerOf(object) },
    deletionPolicy: spec.deletionPolicy ?? 'Delete',
    ...(object.metadata.generation !== undefined ? { generation: object.metadata.generation } : {}),
  };
}

/** An association as EKS describes it. */
export interface ObservedAssociation {
  associationId: string;
  associationArn: string;
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  targetRoleArn?: string;
  disableSessionTags: boolean;
  tags: Record<string, string>;
  createdAt?: string;
  /** Set when an EKS add-on owns the association. */
  ownerArn?: string;
}

/** `cluster/namespace/serviceAccount`: EKS allows one association per such key. */
export function associationKeyOf(association: { clusterName: string; namespace: string; serviceAccount: string }): string {
  return `${association.clusterName}/${association.namespace}/${association.serviceAccount}`;
}

/** `cluster namespace/serviceAccount`, as messages name an association. */
function label(association: { clusterName: string; namespace: string; serviceAccount: string }): string {
  return `association ${association.namespace}/${association.serviceAccount} of cluster ${association.clusterName}`;
}

/** Finds the id of the association of a service account, or undefined. */
export type AssociationFinder = (eks: RecordingEks, clusterName: string, namespace: string, serviceAccount: string) => Promise<string | undefined>;

/** One ListPodIdentityAssociations filtered by namespace and service account (the operator's way). */
export const findAssociationByFilter: AssociationFinder = async (eks, clusterName, namespace, serviceAccount) =>
  (await eks.call('ListPodIdentityAssociations', { clusterName, namespace, serviceAccount })).associations?.[0]?.associationId;

/** Describes an association; undefined when it is gone. */
export async function describeAssociation(eks: RecordingEks, clusterName: string, associationId: string): Promise<ObservedAssociation | undefined> {
  let association;
  try {
    association = (await eks.call('DescribePodIdentityAssociation', { clusterName, associationId })).association;
  } catch (error) {
    if (failureOf(error).code === 'ResourceNotFoundException') return undefined;
    throw error;
  }
  if (!association) return undefined;
  return {
    associationId: association.associationId ?? associationId,
    associationArn: association.associationArn ?? '',
    clusterName: association.clusterName ?? clusterName,
    namespace: association.namespace ?? '',
    serviceAccount: association.serviceAccount ?? '',
    roleArn: association.roleArn ?? '',
    ...(association.targetRoleArn ? { targetRoleArn: association.targetRoleArn } : {}),
    disableSessionTags: association.disableSessionTags ?? false,
    tags: { ...association.tags },
    ...(association.createdAt ? { createdAt: isoSeconds(association.createdAt) } : {}),
    ...(association.ownerArn ? { ownerArn: association.ownerArn } : {}),
  };
}

/** One planned EKS write, with what it changes in words. */
export interface AssociationAction {
  operation: EksOperation;
  input: Record<string, unknown>;
  summary: string;
}

export interface AssociationReconcileOptions {
  dryRun?: boolean;
  now?: () => Date;
  previousStatus?: PodIdentityAssociationStatus;
  /** How the live association is found (default: a filtered ListPodIdentityAssociations). */
  find?: AssociationFinder;
  /** Associations carrying this object's ownership tag elsewhere (an earlier cluster, namespace or service account). */
  ownedBy?: (owner: string) => Promise<ObservedAssociation[]>;
  /** The ARN of a role by name when known without a call (a role of the same apply); GetRole otherwise. */
  roleArnOf?: (roleName: string) => string | undefined;
  /** Set when the association's role failed to apply in the same run: nothing is called, the object fails with this. */
  blockedBy?: string;
}

export interface AssociationReconcileResult {
  outcome: ReconcileOutcome;
  status: PodIdentityAssociationStatus;
  actions: AssociationAction[];
  calls: ApiCall[];
  notes: string[];
  failure?: CallFailure & { operation?: string };
  /** The association as it was before this reconcile; undefined when there was none. */
  live?: ObservedAssociation;
  /** The role ARN the association names (resolved from roleName when given so). */
  roleArn?: string;
}

interface StatusParts {
  association?: { associationArn: string; associationId: string; roleArn: string; createdAt?: string };
  ready: { status: boolean; reason: string; message: string };
  synced: { status: boolean; reason: string; message: string };
}

/** The object's status (the role's conventions: Ready and Synced, observedGeneration, lastSyncTime). */
export function associationStatus(parts: StatusParts, input: { now: Date; generation?: number; previous?: PodIdentityAssociationStatus }): PodIdentityAssociationStatus {
  const { association } = parts;
  return {
    ...(association ? { associationArn: association.associationArn, associationId: association.associationId, roleArn: association.roleArn } : {}),
    ...(association?.createdAt ? { createdAt: association.createdAt } : {}),
    ready: parts.ready.status,
    message: parts.synced.status ? parts.ready.message : parts.synced.message,
    ...(input.generation !== undefined ? { observedGeneration: input.generation } : {}),
    lastSyncTime: isoSeconds(input.now),
    conditions: [
      condition('Ready', parts.ready.status, parts.ready.reason, parts.ready.message, input),
      condition('Synced', parts.synced.status, parts.synced.reason, parts.synced.message, input),
    ],
  };
}

/** The writes that turn `live` into `desired` (same cluster, namespace and service account). */
export function associationUpdateActions(desired: DesiredAssociation & { roleArn: string }, live: ObservedAssociation): AssociationAction[] {
  const actions: AssociationAction[] = [];
  const update: Record<string, unknown> = {};
  const changes: string[] = [];
  if (live.roleArn !== desired.roleArn) {
    update.roleArn = desired.roleArn;
    changes.push(`role ${desired.roleArn}`);
  }
  if ((live.targetRoleArn ?? '') !== (desired.targetRoleArn ?? '')) {
    // An empty targetRoleArn removes the target role.
    update.targetRoleArn = desired.targetRoleArn ?? '';
    changes.push(desired.targetRoleArn ? `target role ${desired.targetRoleArn}` : 'remove target role');
  }
  if (live.disableSessionTags !== desired.disableSessionTags) {
    update.disableSessionTags = desired.disableSessionTags;
    changes.push(`disableSessionTags ${desired.disableSessionTags}`);
  }
  if (changes.length > 0)
    actions.push({ operation: 'UpdatePodIdentityAssociation', input: { clusterName: live.clusterName, associationId: live.associationId, ...update }, summary: `update ${changes.join(', ')}` });
  const added = Object.entries(desired.tags).filter(([key, value]) => live.tags[key] !== value);
  if (added.length > 0)
    actions.push({ operation: 'TagResource', input: { resourceArn: live.associationArn, tags: Object.fromEntries(added) }, summary: `tag ${added.map(([k, v]) => `${k}=${v}`).join(', ')}` });
  // Tags under aws: are AWS's own and cannot be removed.
  const removed = Object.keys(live.tags).filter((key) => !(key in desired.tags) && !key.toLowerCase().startsWith('aws:'));
  if (removed.length > 0) actions.push({ operation: 'UntagResource', input: { resourceArn: live.associationArn, tagKeys: removed }, summary: `untag ${removed.join(', ')}` });
  return actions;
}

function creationAction(desired: DesiredAssociation & { roleArn: string }): AssociationAction {
  return {
    operation: 'CreatePodIdentityAssociation',
    input: {
      clusterName: desired.clusterName,
      namespace: desired.namespace,
      serviceAccount: desired.serviceAccount,
      roleArn: desired.roleArn,
      ...(desired.targetRoleArn ? { targetRoleArn: desired.targetRoleArn } : {}),
      ...(desired.disableSessionTags ? { disableSessionTags: true } : {}),
      tags: desired.tags,
    },
    summary: `create ${label(desired)} with role ${desired.roleArn}`,
  };
}

function deletionAction(live: ObservedAssociation): AssociationAction {
  return { operation: 'DeletePodIdentityAssociation', input: { clusterName: live.clusterName, associationId: live.associationId }, summary: `delete ${label(live)} (${live.associationId})` };
}

/** Why the object may not manage an existing association, or undefined when it may. */
function associationOwnershipProblem(desired: Pick<DesiredAssociation, 'owner' | 'adopt'>, live: ObservedAssociation): { reason: string; message: string } | undefined {
  if (live.ownerArn) return { reason: 'OwnershipConflict', message: `${label(live)} is owned by ${live.ownerArn} (an EKS add-on); rolecall does not change it` };
  return ownershipProblem({ roleName: '', owner: desired.owner, adopt: desired.adopt }, live.tags[OWNER_TAG_KEY], {
    resource: label(live),
    kind: 'PodIdentityAssociation',
    noun: 'association',
    fields: 'its role, target role, session tags and tags',
  });
}

/** The ARN of the association's role: as given, known from the same apply, or read with GetRole. */
async function resolveRoleArn(desired: DesiredAssociation, iam: RecordingIam, options: AssociationReconcileOptions): Promise<string> {
  if (desired.roleArn !== undefined) return desired.roleArn;
  const name = desired.roleName!;
  const known = options.roleArnOf?.(name);
  if (known) return known;
  return (await iam.call('GetRole', { RoleName: name })).Role?.Arn ?? '';
}

/** Makes the association match `desired` (or, in a dry run, reports what that would take). */
export async function reconcileAssociation(desired: DesiredAssociation, clients: { eks: EKSClient; iam: IAMClient }, options: AssociationReconcileOptions = {}): Promise<AssociationReconcileResult> {
  const eks = new RecordingEks(clients.eks);
  const iam = new RecordingIam(clients.iam);
  const calls = () => [...iam.calls, ...eks.calls];
  const now = options.now ?? (() => new Date());
  const statusOf = (parts: StatusParts) =>
    associationStatus(parts, { now: now(), ...(desired.generation !== undefined ? { generation: desired.generation } : {}), ...(options.previousStatus ? { previous: options.previousStatus } : {}) });
  const failed = (failure: CallFailure & { operation?: string }, live: ObservedAssociation | undefined, actions: AssociationAction[], notes: string[]): AssociationReconcileResult => {
    const where = failure.operation ? `${failure.operation} failed: ` : '';
    return {
      outcome: 'failed',
      status: {
        ...statusOf({
          ...(live ? { association: live } : {}),
          ready: { status: false, reason: failure.code, message: `${where}${failure.message}` },
          synced: { status: false, reason: failure.code, message: failure.message },
        }),
        message: `${where}${failure.code}: ${failure.message}`,
      },
      actions,
      calls: calls(),
      notes,
      failure,
      ...(live ? { live } : {}),
    };
  };

  if (options.blockedBy) return failed({ code: 'RoleNotApplied', message: `${options.blockedBy}; the association waits for it` }, undefined, [], []);
  let live: ObservedAssociation | undefined;
  let roleArn: string;
  const notes: string[] = [];
  let actions: AssociationAction[];
  let outcome: Exclude<ReconcileOutcome, 'failed'>;
  try {
    roleArn = await resolveRoleArn(desired, iam, options);
    const id = await (options.find ?? findAssociationByFilter)(eks, desired.clusterName, desired.namespace, desired.serviceAccount);
    live = id === undefined ? undefined : await describeAssociation(eks, desired.clusterName, id);
    const wanted = { ...desired, roleArn };
    if (live) {
      const problem = associationOwnershipProblem(desired, live);
      if (problem) return failed({ code: problem.reason, message: problem.message }, live, [], []);
      actions = associationUpdateActions(wanted, live);
      outcome = actions.length === 0 ? 'unchanged' : 'configured';
    } else {
      actions = [creationAction(wanted)];
      outcome = 'created';
      const former = (options.ownedBy ? await options.ownedBy(desired.owner) : []).filter((other) => associationKeyOf(other) !== associationKeyOf(desired));
      for (const other of former) {
        // Cluster, namespace and service account are immutable: the new association comes first, so pods can move over.
        actions.push(deletionAction(other));
        notes.push(`replaced: ${label(other)} -> ${label(desired)} (EKS cannot move an association; ${other.associationId} deleted)`);
        outcome = 'replaced';
      }
    }
  } catch (error) {
    return failed(failureOf(error), live, [], []);
  }

  const ready = { status: true, reason: 'Available', message: `${label(desired)} matches the spec` };
  if (options.dryRun) {
    const pending = actions.map((action) => action.summary).join('; ');
    const status = !live
      ? statusOf({ ready: { status: false, reason: 'NotFound', message: `${label(desired)} does not exist` }, synced: { status: false, reason: 'NotFound', message: 'apply would create it' } })
      : actions.length === 0
        ? statusOf({ association: live, ready, synced: { status: true, reason: 'InSync', message: 'association matches the spec' } })
        : statusOf({
            association: live,
            ready: { status: false, reason: 'Drifted', message: `${label(desired)} differs from the spec` },
            synced: { status: false, reason: 'Drifted', message: `apply would ${pending}` },
          });
    return { outcome, status, actions, calls: calls(), notes, roleArn, ...(live ? { live } : {}) };
  }

  let current: StatusParts['association'] = live;
  const performed: AssociationAction[] = [];
  for (const step of actions) {
    try {
      const output = (await eks.call(step.operation, step.input as never)) as { association?: { associationArn?: string; associationId?: string; roleArn?: string; createdAt?: Date } };
      if (step.operation === 'CreatePodIdentityAssociation' || step.operation === 'UpdatePodIdentityAssociation') {
        const made = output.association;
        current = {
          associationArn: made?.associationArn ?? '',
          associationId: made?.associationId ?? '',
          roleArn: made?.roleArn ?? roleArn,
          ...(made?.createdAt ? { createdAt: isoSeconds(made.createdAt) } : {}),
        };
      }
      performed.push(step);
    } catch (error) {
      return failed({ ...failureOf(error), operation: step.operation }, live, performed, notes);
    }
  }
  const changes = performed.length;
  return {
    outcome,
    status: statusOf({
      ...(current ? { association: { ...current, roleArn } } : {}),
      ready,
      synced: { status: true, reason: 'ReconcileSuccess', message: outcome === 'unchanged' ? 'no changes needed' : `${outcome}: ${changes} change${changes === 1 ? '' : 's'} applied` },
    }),
    actions: performed,
    calls: calls(),
    notes,
    roleArn,
    ...(live ? { live } : {}),
  };
}

export interface AssociationDeleteResult {
  outcome: DeleteOutcome;
  actions: AssociationAction[];
  calls: ApiCall[];
  message: string;
  failure?: CallFailure & { operation?: string };
}

/**
 * Deletes the association of an object as its deletionPolicy says: Delete deletes it; Retain and Orphan
 * keep it and remove the ownership tag (released). Only the owner deletes.
 */
export async function deleteDesiredAssociation(
  desired: DesiredAssociation,
  client: EKSClient,
  options: { dryRun?: boolean; find?: AssociationFinder } = {},
): Promise<AssociationDeleteResult> {
  const eks = new RecordingEks(client);
  const failedWith = (error: unknown, operation?: string): AssociationDeleteResult => {
    const failure = { ...failureOf(error), ...(operation ? { operation } : {}) };
    return { outcome: 'failed', actions: [], calls: eks.calls, message: `${operation ? `${operation} failed: ` : ''}${failure.code}: ${failure.message}`, failure };
  };
  let live: ObservedAssociation | undefined;
  try {
    const id = await (options.find ?? findAssociationByFilter)(eks, desired.clusterName, desired.namespace, desired.serviceAccount);
    live = id === undefined ? undefined : await describeAssociation(eks, desired.clusterName, id);
  } catch (error) {
    // No such cluster: then there is no association either.
    if (failureOf(error).code !== 'ResourceNotFoundException') return failedWith(error);
  }
  if (!live) return { outcome: 'not found', actions: [], calls: eks.calls, message: `${label(desired)} does not exist` };
  const problem = associationOwnershipProblem(desired, live);
  if (problem) return { outcome: 'failed', actions: [], calls: eks.calls, message: problem.message, failure: { code: problem.reason, message: problem.message } };
  const retained = desired.deletionPolicy !== 'Delete';
  const actions: AssociationAction[] = retained
    ? live.tags[OWNER_TAG_KEY] === undefined
      ? []
      : [{ operation: 'UntagResource', input: { resourceArn: live.associationArn, tagKeys: [OWNER_TAG_KEY] }, summary: `release association (untag ${OWNER_TAG_KEY})` }]
    : [deletionAction(live)];
  if (!options.dryRun) {
    for (const step of actions) {
      try {
        await eks.call(step.operation, step.input as never);
      } catch (error) {
        return { ...failedWith(error, step.operation), actions };
      }
    }
  }
  return retained
    ? { outcome: 'retained', actions, calls: eks.calls, message: `${label(desired)} kept (deletionPolicy ${desired.deletionPolicy}) and released` }
    : { outcome: 'deleted', actions, calls: eks.calls, message: `${label(desired)} deleted` };
}

/** Deletes an association found carrying `owner`'s tag whose object is gone (`apply --prune`). */
export async function pruneOwnedAssociation(live: ObservedAssociation, client: EKSClient, options: { dryRun?: boolean } = {}): Promise<AssociationDeleteResult> {
  const eks = new RecordingEks(client);
  const action = deletionAction(live);
  if (!options.dryRun) {
    try {
      await eks.call(action.operation, action.input as never);
    } catch (error) {
      const failure = { ...failureOf(error), operation: action.operation };
      return { outcome: 'failed', actions: [action], calls: eks.calls, message: `${action.operation} failed: ${failure.code}: ${failure.message}`, failure };
    }
  }
  return { outcome: 'deleted', actions: [action], calls: eks.calls, message: `${label(live)} deleted` };
}

/**
 * The associations of a provider's account as one apply needs them, each listing made once: the id of
 * a service account's association (one ListPodIdentityAssociations per cluster, shared by every object
 * of that cluster), and, when an object's association must be created or `--prune` asks, every
 * association carrying the ownership tag (ListClusters, then DescribePodIdentityAssociation of each
 * association the applied files do not declare, since listings carry no tags).
 */
export class AssociationInventory {
  private readonly eks: RecordingEks;
  private readonly clusters = new Map<string, Promise<Map<string, string>>>();
  private scan: Promise<Map<string, ObservedAssociation[]>> | undefined;

  constructor(
    client: EKSClient,
    private readonly declaredKeys: ReadonlySet<string>,
  ) {
    this.eks = new RecordingEks(client);
  }

  get calls(): readonly ApiCall[] {
    return this.eks.calls;
  }

  /** The finder reconcileAssociation uses: the cluster's listing, made once. */
  readonly find: AssociationFinder = async (_eks, clusterName, namespace, serviceAccount) =>
    (await this.listing(clusterName)).get(associationKeyOf({ clusterName, namespace, serviceAccount }));

  private listing(clusterName: string): Promise<Map<string, string>> {
    let listing = this.clusters.get(clusterName);
    if (!listing) {
      listing = allEksPages(
        (token) => this.eks.call('ListPodIdentityAssociations', { clusterName, maxResults: 100, ...token }),
        (page) => page.associations,
      ).then((summaries) => new Map(summaries.map((summary) => [associationKeyOf({ clusterName, namespace: summary.namespace ?? '', serviceAccount: summary.serviceAccount ?? '' }), summary.associationId ?? ''])));
      this.clusters.set(clusterName, listing);
    }
    return listing;
  }

  /** Owner → the associations tagged with it, outside the declared ones. */
  owned(): Promise<Map<string, ObservedAssociation[]>> {
    this.scan ??= (async () => {
      const clusterNames = await allEksPages((token) => this.eks.call('ListClusters', { maxResults: 100, ...token }), (page) => page.clusters);
      const owned = new Map<string, ObservedAssociation[]>();
      for (const clusterName of clusterNames) {
        for (const [key, id] of await this.listing(clusterName)) {
          if (this.declaredKeys.has(key)) continue;
          const live = await describeAssociation(this.eks, clusterName, id);
          const owner = live?.tags[OWNER_TAG_KEY];
          if (live && owner !== undefined) owned.set(owner, [...(owned.get(owner) ?? []), live]);
        }
      }
      return owned;
    })();
    return this.scan;
  }

  async ownedBy(owner: string): Promise<ObservedAssociation[]> {
    return [...((await this.owned()).get(owner) ?? [])];
  }
}

/**
 * Running the reconciler over a validated manifest set, as `rolecall apply`, `diff`, `get`, `describe`
 * and `delete` do: one connection per AWSProvider, every IAMRole reconciled against its provider's
 * endpoint (several at a time, results reported in file order), then with `prune` the roles this tool
 * created for objects of the same namespaces that the files no longer declare. Without a cluster,
 * nothing is kept on the side: the files are the desired state and the endpoint the actual one.
 */
import {
  AssociationInventory,
  associationKeyOf,
  deleteDesiredAssociation,
  desiredAssociationOf,
  pruneOwnedAssociation,
  reconcileAssociation,
  type AssociationDeleteResult,
  type AssociationReconcileResult,
  type DesiredAssociation,
  type ObservedAssociation,
} from './association-reconcile.js';
import { mapInOrder } from './concurrency.js';
import { desiredRoleOf, type DesiredRole } from './desired-role.js';
import type { ApiCall } from './recording-client.js';
import { OwnershipScan } from './ownership-scan.js';
import { connectProvider, type ConnectOptions, type ProviderConnection } from './providers.js';
import { deleteDesiredRole, pruneOwnedRole, reconcileRole, type RoleDeleteResult, type RoleReconcileResult } from './reconcile.js';
import type { AWSProvider, IAMRole, PodIdentityAssociation } from './resources.js';
import { objectKey } from './resources.js';
import { secretsOf } from './secrets.js';
import type { DeclaredSet } from './validation.js';

export interface RunOptions extends ConnectOptions {
  /** Roles reconciled at the same time (default 8). */
  concurrency?: number;
  now?: () => Date;
}

export interface ApplyOptions extends RunOptions {
  /** Report what apply would do without writing (diff, get, describe). */
  dryRun?: boolean;
  /** Delete roles this tool created for objects of the applied namespaces that the files no longer declare. */
  prune?: boolean;
  /** Sees each object's result in file order as soon as it is known (progress, streaming output). */
  onResult?: (report: RoleReport, index: number, total: number) => void;
  /** The same for each PodIdentityAssociation (reconciled after every role). */
  onAssociation?: (report: AssociationReport, index: number, total: number) => void;
}

/** One PodIdentityAssociation's result. */
export interface AssociationReport {
  object: PodIdentityAssociation;
  desired: DesiredAssociation;
  result: AssociationReconcileResult;
}

/** An association deleted by --prune. */
export interface AssociationPruneReport {
  association: ObservedAssociation;
  owner: string;
  result: AssociationDeleteResult;
}

/** One IAMRole's result. */
export interface RoleReport {
  object: IAMRole;
  desired: DesiredRole;
  provider: AWSProvider;
  result: RoleReconcileResult;
}

/** A role deleted by --prune. */
export interface PruneReport {
  roleName: string;
  owner: string;
  result: RoleDeleteResult;
}

export interface RunSummary {
  created: number;
  configured: number;
  unchanged: number;
  replaced: number;
  failed: number;
  pruned: number;
  /** IAM and EKS calls made (reads and writes). */
  calls: number;
  writes: number;
}

export interface ApplyReport {
  roles: RoleReport[];
  associations: AssociationReport[];
  pruned: PruneReport[];
  prunedAssociations: AssociationPruneReport[];
  summary: RunSummary;
  /** Every IAM call of the run, ownership scans included. */
  calls: ApiCall[];
}

/** Opens one connection per AWSProvider of the set. */
export function connectProviders(set: DeclaredSet, options: ConnectOptions): Map<string, ProviderConnection> {
  const secrets = secretsOf(set.secrets);
  return new Map(set.providers.map((provider) => [objectKey(provider.metadata), connectProvider(provider, secrets, options)]));
}

function providerKeyOf(object: IAMRole | PodIdentityAssociation): string {
  return `${object.spec.providerRef.namespace ?? object.metadata.namespace}/${object.spec.providerRef.name}`;
}

/** Reconciles every IAMRole of the set (apply; with dryRun, the plan for diff/get/describe). */
export async function applySet(set: DeclaredSet, options: ApplyOptions = {}): Promise<ApplyReport> {
  const connections = connectProviders(set, options);
  const providers = new Map(set.providers.map((provider) => [objectKey(provider.metadata), provider]));
  const declaredNames = new Set(set.roles.map((role) => role.spec.roleName.toLowerCase()));
  const scans = new Map<string, OwnershipScan>();
  const scanOf = (key: string) => {
    let scan = scans.get(key);
    if (!scan) {
      scan = new OwnershipScan(connections.get(key)!.iam, declaredNames, options.concurrency ?? 8);
      scans.set(key, scan);
    }
    return scan;
  };
  const roles = await mapInOrder(
    set.roles,
    options.concurrency ?? 8,
    async (object): Promise<RoleReport> => {
      const key = providerKeyOf(object);
      const provider = providers.get(key)!;
      const desired = desiredRoleOf(object, provider);
      const result = await reconcileRole(desired, connections.get(key)!.iam, {
        ...(options.dryRun ? { dryRun: true } : {}),
        ...(options.now ? { now: options.now } : {}),
        rolesOwnedBy: (owner) => scanOf(key).rolesOwnedBy(owner),
      });
      return { object, desired, provider, result };
    },
    (report, index) => options.onResult?.(report, index, set.roles.length),
  );
  const inventories = new Map<string, AssociationInventory>();
  const associations = await applyAssociations(set, roles, connections, inventories, options);
  const pruned = options.prune ? await pruneUndeclared(set, connections, options) : { reports: [], calls: [] };
  const prunedAssociations = options.prune ? await pruneUndeclaredAssociations(set, connections, inventories, options) : { reports: [], calls: [] };
  const calls = [
    ...roles.flatMap((report) => report.result.calls),
    ...[...scans.values()].flatMap((scan) => scan.calls),
    ...associations.flatMap((report) => report.result.calls),
    ...[...inventories.values()].flatMap((inventory) => inventory.calls),
    ...pruned.calls,
    ...prunedAssociations.calls,
  ];
  return {
    roles,
    associations,
    pruned: pruned.reports,
    prunedAssociations: prunedAssociations.reports,
    summary: summarize([...roles, ...associations], [...pruned.reports, ...prunedAssociations.reports], calls),
    calls,
  };
}

/** The roles of the set by provider and lower-case name, with their results (an association names one). */
function roleResultsByName(roles: readonly RoleReport[]): Map<string, RoleReport> {
  return new Map(roles.map((report) => [`${providerKeyOf(report.object)} ${report.object.spec.roleName.toLowerCase()}`, report]));
}

/** The role name of a role ARN (the part after the last `/`). */
function roleNameOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** Reconciles every association after every role, so each names a role that exists. */
async function applyAssociations(
  set: DeclaredSet,
  roles: readonly RoleReport[],
  connections: Map<string, ProviderConnection>,
  inventories: Map<string, AssociationInventory>,
  options: ApplyOptions,
): Promise<AssociationReport[]> {
  const roleResults = roleResultsByName(roles);
  const inventoryOf = (key: string) => {
    let inventory = inventories.get(key);
    if (!inventory) {
      const declared = new Set(set.associations.filter((association) => providerKeyOf(association) === key).map((association) => associationKeyOf(association.spec)));
      inventory = new AssociationInventory(connections.get(key)!.eks, declared);
      inventories.set(key, inventory);
    }
    return inventory;
  };
  return mapInOrder(
    set.associations,
    options.concurrency ?? 8,
    async (object): Promise<AssociationReport> => {
      const key = providerKeyOf(object);
      const desired = desiredAssociationOf(object);
      const role = roleResults.get(`${key} ${(desired.roleName ?? roleNameOfArn(desired.roleArn ?? '')).toLowerCase()}`);
      const inventory = inventoryOf(key);
      const result = await reconcileAssociation(desired, connections.get(key)!, {
        ...(options.dryRun ? { dryRun: true } : {}),
        ...(options.now ? { now: options.now } : {}),
        find: inventory.find,
        ownedBy: (owner) => inventory.ownedBy(owner),
        roleArnOf: (name) => roleResults.get(`${key} ${name.toLowerCase()}`)?.result.status.roleArn,
        ...(role?.result.outcome === 'failed' ? { blockedBy: `role ${role.object.spec.roleName} (${role.object.kind} ${objectKey(role.object.metadata)}) failed to apply` } : {}),
      });
      return { object, desired, result };
    },
    (report, index) => options.onAssociation?.(report, index, set.associations.length),
  );
}

/** Deletes associations this tool created for objects of the applied namespaces that the files no longer declare. */
async function pruneUndeclaredAssociations(
  set: DeclaredSet,
  connections: Map<string, ProviderConnection>,
  inventories: Map<string, AssociationInventory>,
  options: ApplyOptions,
): Promise<{ reports: AssociationPruneReport[]; calls: ApiCall[] }> {
  const declaredOwners = new Set(set.associations.map((association) => objectKey(association.metadata)));
  const reports: AssociationPruneReport[] = [];
  const calls: ApiCall[] = [];
  for (const [key, connection] of connections) {
    // Only providers the files declare associations through: the others may not have EKS permissions at all.
    const inventory = inventories.get(key);
    if (!inventory) continue;
    const namespaces = new Set([...set.roles, ...set.associations].filter((object) => providerKeyOf(object) === key).map((object) => object.metadata.namespace));
    let owned: Map<string, ObservedAssociation[]>;
    try {
      owned = await inventory.owned();
    } catch {
      // The scan's failed call is in the inventory's calls; the associations themselves reported their own errors.
      continue;
    }
    for (const [owner, found] of owned) {
      if (declaredOwners.has(owner) || !namespaces.has(owner.slice(0, owner.indexOf('/')))) continue;
      for (const association of found) {
        const result = await pruneOwnedAssociation(association, connection.eks, options.dryRun ? { dryRun: true } : {});
        reports.push({ association, owner, result });
        calls.push(...result.calls);
      }
    }
  }
  return { reports, calls };
}

async function pruneUndeclared(
  set: DeclaredSet,
  connections: Map<string, ProviderConnection>,
  options: ApplyOptions,
): Promise<{ reports: PruneReport[]; calls: ApiCall[] }> {
  const declaredOwners = new Set(set.roles.map((role) => objectKey(role.metadata)));
  const reports: PruneReport[] = [];
  const calls: ApiCall[] = [];
  for (const [key, connection] of connections) {
    // kubectl's scope: only objects of the namespaces this apply touches through this provider.
    const namespaces = new Set(set.roles.filter((role) => providerKeyOf(role) === key).map((role) => role.metadata.namespace));
    if (namespaces.size === 0) continue;
    const scan = new OwnershipScan(connection.iam, new Set(), options.concurrency ?? 8);
    const owned = await scan.owned();
    calls.push(...scan.calls);
    for (const [owner, names] of owned) {
      if (declaredOwners.has(owner) || !namespaces.has(owner.slice(0, owner.indexOf('/')))) continue;
      for (const roleName of names) {
        const result = await pruneOwnedRole(roleName, owner, connection.iam, options.dryRun ? { dryRun: true } : {});
        reports.push({ roleName, owner, result });
        calls.push(...result.calls);
      }
    }
  }
  return { reports, calls };
}

function summarize(objects: Array<{ result: { outcome: RoleReconcileResult['outcome'] } }>, pruned: Array<{ result: { outcome: string } }>, calls: ApiCall[]): RunSummary {
  const count = (outcome: RoleReconcileResult['outcome']) => objects.filter((report) => report.result.outcome === outcome).length;
  return {
    created: count('created'),
    configured: count('configured'),
    unchanged: count('unchanged'),
    replaced: count('replaced'),
    failed: count('failed') + pruned.filter((report) => report.result.outcome === 'failed').length,
    pruned: pruned.filter((report) => report.result.outcome === 'deleted').length,
    calls: calls.length,
    writes: calls.filter((call) => call.write).length,
  };
}

/** One IAMRole's deletion. */
export interface DeleteReport {
  object: IAMRole;
  desired: DesiredRole;
  result: RoleDeleteResult;
}

/** Deletes (or, per deletionPolicy, releases) the role of every IAMRole of the set. */
export async function deleteSet(
  set: DeclaredSet,
  options: RunOptions & { dryRun?: boolean; onResult?: (report: DeleteReport, index: number, total: number) => void } = {},
): Promise<DeleteReport[]> {
  const connections = connectProviders(set, options);
  const providers = new Map(set.providers.map((provider) => [objectKey(provider.metadata), provider]));
  return mapInOrder(
    set.roles,
    options.concurrency ?? 8,
    async (object) => {
      const key = providerKeyOf(object);
      const desired = desiredRoleOf(object, providers.get(key));
      return { object, desired, result: await deleteDesiredRole(desired, connections.get(key)!.iam, options.dryRun ? { dryRun: true } : {}) };
    },
    (report, index) => options.onResult?.(report, index, set.roles.length),
  );
}

/** One PodIdentityAssociation's deletion. */
export interface AssociationDeleteReport {
  object: PodIdentityAssociation;
  desired: DesiredAssociation;
  result: AssociationDeleteResult;
}

/** Deletes (or, per deletionPolicy, releases) the association of every PodIdentityAssociation of the set. */
export async function deleteAssociationSet(
  set: DeclaredSet,
  options: RunOptions & { dryRun?: boolean; onResult?: (report: AssociationDeleteReport, index: number, total: number) => void } = {},
): Promise<AssociationDeleteReport[]> {
  const connections = connectProviders(set, options);
  return mapInOrder(
    set.associations,
    options.concurrency ?? 8,
    async (object) => {
      const desired = desiredAssociationOf(object);
      return { object, desired, result: await deleteDesiredAssociation(desired, connections.get(providerKeyOf(object))!.eks, options.dryRun ? { dryRun: true } : {}) };
    },
    (report, index) => options.onResult?.(report, index, set.associations.length),
  );
}

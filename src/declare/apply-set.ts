/**
 * Running the reconciler over a validated manifest set, as `rolecall apply`, `diff`, `get`, `describe`
 * and `delete` do: one connection per AWSProvider, every IAMRole reconciled against its provider's
 * endpoint (several at a time, results reported in file order), then with `prune` the roles this tool
 * created for objects of the same namespaces that the files no longer declare. Without a cluster,
 * nothing is kept on the side: the files are the desired state and the endpoint the actual one.
 */
import { mapInOrder } from './concurrency.js';
import { desiredRoleOf, type DesiredRole } from './desired-role.js';
import type { ApiCall } from './iam-calls.js';
import { OwnershipScan } from './ownership-scan.js';
import { connectProvider, type ConnectOptions, type ProviderConnection } from './providers.js';
import { deleteDesiredRole, pruneOwnedRole, reconcileRole, type RoleDeleteResult, type RoleReconcileResult } from './reconcile.js';
import type { AWSProvider, IAMRole } from './resources.js';
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
  /** IAM calls made (reads and writes). */
  calls: number;
  writes: number;
}

export interface ApplyReport {
  roles: RoleReport[];
  pruned: PruneReport[];
  summary: RunSummary;
  /** Every IAM call of the run, ownership scans included. */
  calls: ApiCall[];
}

/** Opens one connection per AWSProvider of the set. */
export function connectProviders(set: DeclaredSet, options: ConnectOptions): Map<string, ProviderConnection> {
  const secrets = secretsOf(set.secrets);
  return new Map(set.providers.map((provider) => [objectKey(provider.metadata), connectProvider(provider, secrets, options)]));
}

function providerKeyOf(role: IAMRole): string {
  return `${role.spec.providerRef.namespace ?? role.metadata.namespace}/${role.spec.providerRef.name}`;
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
  const pruned = options.prune ? await pruneUndeclared(set, connections, options) : { reports: [], calls: [] };
  const calls = [...roles.flatMap((report) => report.result.calls), ...[...scans.values()].flatMap((scan) => scan.calls), ...pruned.calls];
  return { roles, pruned: pruned.reports, summary: summarize(roles, pruned.reports, calls), calls };
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

function summarize(roles: RoleReport[], pruned: Array<PruneReport>, calls: ApiCall[]): RunSummary {
  const count = (outcome: RoleReconcileResult['outcome']) => roles.filter((report) => report.result.outcome === outcome).length;
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

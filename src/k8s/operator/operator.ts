/**
 * `rolecall operator`: the declare reconcile core as a Kubernetes controller. While it holds the Lease
 * (leader-election.ts) it runs one informer per custom resource type (AWSProvider and IAMRole of both
 * groups, RoleBlueprint, PodIdentityAssociation), feeds a work queue with per-object keys and processes them with the role and
 * blueprint reconcilers; when it loses the Lease it stops everything at once, so two replicas never act
 * together. Status-only updates (its own writes) are not reconciled again; drift is found by the
 * period each successful reconcile asks to be repeated after.
 */
import { ApiException, CoordinationV1Api, makeInformer, type Informer, type KubeConfig, type KubernetesListObject, type KubernetesObject, type ObjectCache } from '@kubernetes/client-node';
import { ROLECALL_GROUP, type ConnectOptions } from '../../declare/index.js';
import { BLUEPRINT_LABEL } from '../../declare/blueprint/render.js';
import { BlueprintReconciler } from './blueprint-reconciler.js';
import { ClusterWrites, type ClusterObject } from './cluster-writes.js';
import { CUSTOM_RESOURCE_TYPES, type CustomResourceType } from './custom-resources.js';
import { LeaderElector } from './leader-election.js';
import { RoleReconciler, type ClusterView } from './role-reconciler.js';
import { WorkQueue, type ProcessResult } from './work-queue.js';

export interface OperatorOptions {
  kubeConfig: KubeConfig;
  /** This replica's identity in the Lease and in Events (the pod name). */
  identity: string;
  /** Watch one namespace only; all namespaces when unset. */
  namespace?: string;
  lease: { namespace: string; name: string; durationSeconds?: number; renewDeadlineMs?: number; retryPeriodMs?: number };
  /** How often each synced IAMRole is compared with IAM again (default 10 minutes). */
  driftPeriodMs?: number;
  /** Retry backoff after failures (defaults 1 s doubling to 5 minutes). */
  backoff?: { baseDelayMs?: number; maxDelayMs?: number };
  connect?: ConnectOptions;
  log?: (line: string) => void;
  /** Called when leadership is lost after having been held (the command exits so it restarts clean). */
  onLeadershipLost?: () => void;
}

type CachedInformer = Informer<KubernetesObject> & ObjectCache<KubernetesObject>;

const INFORMER_RESTART_MS = 2000;

/** One line for a failed call: the API server's Status message when there is one. */
function describeError(error: unknown): string {
  if (error instanceof ApiException) {
    let body: { reason?: string; message?: string } | undefined;
    try {
      body = typeof error.body === 'string' ? (JSON.parse(error.body) as typeof body) : (error.body as typeof body);
    } catch {
      body = { message: String(error.body) };
    }
    return `HTTP ${error.code} ${body?.reason ?? ''}: ${body?.message ?? 'no message'}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Everything but status and the write stamps: what a reconcile depends on. */
function reconcileRelevant(object: KubernetesObject): string {
  const { status: _status, ...rest } = object as KubernetesObject & { status?: unknown };
  const { resourceVersion: _rv, managedFields: _mf, ...metadata } = rest.metadata ?? {};
  return JSON.stringify({ ...rest, metadata });
}

/** One operator replica. */
export class Operator {
  private readonly writes: ClusterWrites;
  private readonly elector: LeaderElector;
  private informers = new Map<CustomResourceType, CachedInformer>();
  private queue: WorkQueue | undefined;
  private readonly log: (line: string) => void;
  private stopping = false;
  private restartTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: OperatorOptions) {
    this.log = options.log ?? (() => undefined);
    this.writes = new ClusterWrites(options.kubeConfig, options.identity);
    this.elector = new LeaderElector(
      options.kubeConfig.makeApiClient(CoordinationV1Api),
      {
        namespace: options.lease.namespace,
        name: options.lease.name,
        identity: options.identity,
        ...(options.lease.durationSeconds !== undefined ? { leaseDurationSeconds: options.lease.durationSeconds } : {}),
        ...(options.lease.renewDeadlineMs !== undefined ? { renewDeadlineMs: options.lease.renewDeadlineMs } : {}),
        ...(options.lease.retryPeriodMs !== undefined ? { retryPeriodMs: options.lease.retryPeriodMs } : {}),
      },
      { onStartedLeading: () => this.startControllers(), onStoppedLeading: () => this.leadershipLost() },
    );
  }

  /** Whether this replica leads (and so acts). */
  isLeader(): boolean {
    return this.elector.isLeader();
  }

  /** Joins the election; controllers start once this replica leads. */
  start(): void {
    this.elector.start();
  }

  /** Stops acting and releases the Lease. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.elector.stop();
    await this.stopControllers();
  }

  private view(): ClusterView {
    const cache = (type: CustomResourceType) => this.informers.get(type);
    return {
      get: (type, namespace, name) => cache(type)?.get(name, namespace) as ClusterObject | undefined,
      list: (type, namespace) => (cache(type)?.list(namespace) ?? []) as unknown as ClusterObject[],
      provider: (group, namespace, name) => {
        const providers = CUSTOM_RESOURCE_TYPES.filter((t) => t.kind === 'AWSProvider');
        const providerTypes = [...providers.filter((t) => t.group === group), ...providers.filter((t) => t.group !== group)];
        for (const type of providerTypes) {
          const object = cache(type)?.get(name, namespace) as ClusterObject | undefined;
          if (object) return { type, object };
        }
        return undefined;
      },
    };
  }

  private async startControllers(): Promise<void> {
    this.log(`${this.options.identity}: leading; starting controllers`);
    const view = this.view();
    const roles = new RoleReconciler(view, this.writes, { connect: this.options.connect ?? {}, driftPeriodMs: this.options.driftPeriodMs ?? 600_000, log: this.log });
    const childType = CUSTOM_RESOURCE_TYPES.find((t) => t.kind === 'IAMRole' && t.group === ROLECALL_GROUP)!;
    const associationType = CUSTOM_RESOURCE_TYPES.find((t) => t.kind === 'PodIdentityAssociation' && t.group === ROLECALL_GROUP)!;
    const blueprints = new BlueprintReconciler(view, this.writes, childType, associationType);
    const byKey = new Map(CUSTOM_RESOURCE_TYPES.map((type) => [`${type.kind}.${type.group}`, type]));
    this.queue = new WorkQueue(
      async (key): Promise<ProcessResult> => {
        const [typeKey, namespace, name] = key.split('/') as [string, string, string];
        const type = byKey.get(typeKey)!;
        switch (type.kind) {
          case 'AWSProvider':
            return roles.reconcileProvider(type, namespace, name);
          case 'IAMRole':
            return roles.reconcileRole(type, namespace, name);
          case 'RoleBlueprint':
            return blueprints.reconcile(type, namespace, name);
          case 'PodIdentityAssociation':
            return roles.reconcileAssociation(type, namespace, name);
        }
      },
      { ...this.options.backoff, concurrency: 4 },
      (key, error) => this.log(`${key}: ${describeError(error)}; retrying with backoff`),
    );
    for (const type of CUSTOM_RESOURCE_TYPES) this.startInformer(type);
  }

  private keyOf(type: CustomResourceType, object: KubernetesObject): string {
    return `${type.kind}.${type.group}/${object.metadata?.namespace ?? 'default'}/${object.metadata?.name ?? ''}`;
  }

  private enqueue(type: CustomResourceType, object: KubernetesObject): void {
    const queue = this.queue;
    if (!queue) return;
    queue.add(this.keyOf(type, object));
    const namespace = object.metadata?.namespace ?? 'default';
    if (type.kind === 'IAMRole' || type.kind === 'PodIdentityAssociation') {
      // A blueprint's child changed or went: the blueprint restores it.
      const parent = object.metadata?.labels?.[BLUEPRINT_LABEL];
      if (parent !== undefined && type.group === ROLECALL_GROUP) queue.add(`RoleBlueprint.${ROLECALL_GROUP}/${namespace}/${parent}`);
    }
    if (type.kind === 'AWSProvider') {
      // Roles and associations managed through a provider are reconciled again when it changes (endpoint, credentials).
      for (const roleType of CUSTOM_RESOURCE_TYPES.filter((t) => t.kind === 'IAMRole' || t.kind === 'PodIdentityAssociation')) {
        for (const role of this.informers.get(roleType)?.list() ?? []) {
          const ref = (role as ClusterObject).spec?.providerRef as { name?: string; namespace?: string } | undefined;
          if (ref?.name === object.metadata?.name && (ref?.namespace ?? role.metadata?.namespace) === namespace) queue.add(this.keyOf(roleType, role));
        }
      }
    }
  }

  private startInformer(type: CustomResourceType): void {
    const namespace = this.options.namespace;
    const path = namespace ? `/apis/${type.group}/${type.version}/namespaces/${namespace}/${type.plural}` : `/apis/${type.group}/${type.version}/${type.plural}`;
    const list = () =>
      (namespace
        ? this.writes.custom.listNamespacedCustomObject({ group: type.group, version: type.version, plural: type.plural, namespace })
        : this.writes.custom.listClusterCustomObject({ group: type.group, version: type.version, plural: type.plural })) as Promise<KubernetesListObject<KubernetesObject>>;
    const informer = makeInformer(this.options.kubeConfig, path, list);
    informer.on('add', (object) => {
      this.lastSeen.set(this.keyOf(type, object), reconcileRelevant(object));
      this.enqueue(type, object);
    });
    informer.on('update', (object) => {
      // The informer passes only the new object; compare with what was last reconciled-relevant.
      const key = this.keyOf(type, object);
      const relevant = reconcileRelevant(object);
      if (this.lastSeen.get(key) === relevant) return;
      this.lastSeen.set(key, relevant);
      this.enqueue(type, object);
    });
    informer.on('delete', (object) => {
      this.lastSeen.delete(this.keyOf(type, object));
      this.enqueue(type, object);
    });
    informer.on('error', (error: unknown) => {
      if (this.stopping || !this.informers.has(type)) return;
      this.log(`watch of ${type.plural}.${type.group}: ${describeError(error)}; restarting`);
      const timer = setTimeout(() => {
        this.restartTimers.delete(timer);
        if (this.informers.get(type) === informer) void informer.start().catch(() => undefined);
      }, INFORMER_RESTART_MS);
      this.restartTimers.add(timer);
    });
    this.informers.set(type, informer);
    void informer.start().catch(() => undefined);
  }

  private readonly lastSeen = new Map<string, string>();

  private async stopControllers(): Promise<void> {
    for (const timer of this.restartTimers) clearTimeout(timer);
    this.restartTimers.clear();
    const informers = [...this.informers.values()];
    this.informers = new Map();
    await Promise.all(informers.map((informer) => informer.stop()));
    const queue = this.queue;
    this.queue = undefined;
    await queue?.stop();
    this.lastSeen.clear();
  }

  private async leadershipLost(): Promise<void> {
    this.log(`${this.options.identity}: ${this.stopping ? 'stopping' : 'lost leadership; stopping controllers'}`);
    await this.stopControllers();
    if (!this.stopping) this.options.onLeadershipLost?.();
  }
}

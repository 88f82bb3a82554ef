/**
 * The operator's reconcile of AWSProvider, IAMRole and PodIdentityAssociation objects: the reconcile core
 * `rolecall apply` uses (validateManifests, desiredRoleOf, reconcileRole, deleteDesiredRole,
 * reconcileAssociation, deleteDesiredAssociation, providerStatus), fed from the cluster instead of files.
 * IAMRoles and PodIdentityAssociations carry a finalizer so the role is deleted (or retained, per
 * deletionPolicy) before the object goes; status gets Ready/Synced conditions; every outcome is an Event.
 * A successful reconcile asks to be repeated after the drift period: a role changed behind the
 * operator's back (same generation as last synced, yet actions needed) is restored and the restoration
 * recorded as a DriftRepaired Event listing what was put back.
 */
import { ApiException, type V1Secret } from '@kubernetes/client-node';
import {
  OWNER_TAG_KEY,
  SecretValue,
  associationStatus,
  connectProvider,
  deleteDesiredAssociation,
  describeAssociation,
  desiredAssociationOf,
  reconcileAssociation,
  deleteDesiredRole,
  desiredRoleOf,
  providerStatus,
  reconcileRole,
  roleStatus,
  validateManifests,
  type AWSProvider,
  type ConnectOptions,
  type DeclaredSecret,
  type IAMRoleStatus,
  type PodIdentityAssociationStatus,
  type ProviderConnection,
  type ValidationProblem,
} from '../../declare/index.js';
import { decodeSecretData } from '../../declare/secrets.js';
import { RecordingEks } from '../../declare/eks-calls.js';
import { FINALIZER, type ClusterObject, type ClusterWrites } from './cluster-writes.js';
import type { CustomResourceType } from './custom-resources.js';
import type { ProcessResult } from './work-queue.js';

/** What the reconcilers read: the informers' caches. */
export interface ClusterView {
  get(type: CustomResourceType, namespace: string, name: string): ClusterObject | undefined;
  list(type: CustomResourceType, namespace?: string): ClusterObject[];
  /** The AWSProvider an IAMRole of `group` names: same group first, then the other. */
  provider(group: string, namespace: string, name: string): { type: CustomResourceType; object: ClusterObject } | undefined;
}

export interface RoleReconcilerOptions {
  connect: ConnectOptions;
  /** How often a synced role is compared with IAM again (drift detection). */
  driftPeriodMs: number;
  log: (line: string) => void;
}

/** Validation problems without the file location (the object is in the cluster, not a file). */
function describeProblems(problems: readonly ValidationProblem[]): string {
  return problems.map((problem) => `${problem.object}: ${problem.field}: ${problem.message}`).join('; ');
}

function apiStatusCode(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** Reconciles AWSProviders and IAMRoles. */
export class RoleReconciler {
  private readonly connections = new Map<string, { fingerprint: string; connection: ProviderConnection }>();

  constructor(
    private readonly view: ClusterView,
    private readonly writes: ClusterWrites,
    private readonly options: RoleReconcilerOptions,
  ) {}

  /** The Secrets an AWSProvider refers to, read from the API (absent ones are left out). */
  private async secretsOf(provider: ClusterObject): Promise<DeclaredSecret[]> {
    const spec = (provider.spec ?? {}) as Record<string, { name?: string; namespace?: string } | undefined>;
    const references = [spec.credentialsSecret, spec.accessKeyIDRef, spec.secretAccessKeyRef, spec.sessionTokenRef].filter(
      (reference): reference is { name: string; namespace?: string } => typeof reference?.name === 'string',
    );
    const wanted = new Map(references.map((reference) => [`${reference.namespace ?? provider.metadata.namespace}/${reference.name}`, reference]));
    const secrets: DeclaredSecret[] = [];
    for (const [key, reference] of wanted) {
      const namespace = reference.namespace ?? provider.metadata.namespace;
      let secret: V1Secret;
      try {
        secret = await this.writes.core.readNamespacedSecret({ name: reference.name, namespace });
      } catch (error) {
        if (apiStatusCode(error) === 404) continue;
        throw error;
      }
      const values = new Map<string, SecretValue>();
      for (const [name, encoded] of Object.entries(secret.data ?? {})) {
        const decoded = decodeSecretData(encoded);
        if (decoded !== undefined) values.set(name, new SecretValue(decoded));
      }
      secrets.push({ name: reference.name, namespace, values, origin: `Secret ${key}` });
    }
    return secrets;
  }

  /** Validates an IAMRole (or, without one, an AWSProvider) with its provider, as apply validates files. */
  private async declared(role: ClusterObject | undefined, provider: ClusterObject) {
    const secrets = await this.secretsOf(provider);
    const lookup = (namespace: string, name: string) => secrets.find((secret) => secret.namespace === namespace && secret.name === name);
    const documents = [...(role ? [role] : []), provider].map((object, index) => ({
      source: `${object.kind} ${object.metadata.namespace}/${object.metadata.name}`,
      document: index + 1,
      object: object as unknown as Record<string, unknown>,
    }));
    const result = validateManifests(documents, { clusterSecrets: lookup });
    return { result, lookup, fingerprint: [provider.metadata.uid, provider.metadata.resourceVersion, ...secrets.map((s) => s.origin)].join('|') };
  }

  private connectionFor(provider: AWSProvider, lookup: (namespace: string, name: string) => DeclaredSecret | undefined, fingerprint: string): ProviderConnection {
    const key = `${provider.metadata.namespace}/${provider.metadata.name}`;
    const cached = this.connections.get(key);
    if (cached?.fingerprint === fingerprint) return cached.connection;
    const connection = connectProvider(provider, lookup, this.options.connect);
    this.connections.set(key, { fingerprint, connection });
    return connection;
  }

  /** Reconciles one AWSProvider: authenticates and reports who it is (or why it cannot) in its status. */
  async reconcileProvider(type: CustomResourceType, namespace: string, name: string): Promise<ProcessResult> {
    const object = this.view.get(type, namespace, name);
    if (!object || object.metadata.deletionTimestamp) return {};
    const { result, lookup, fingerprint } = await this.declared(undefined, object);
    if (!result.valid) {
      const message = describeProblems(result.problems);
      await this.writes.writeStatus(type, object, {
        ready: false,
        conditions: [{ type: 'Ready', status: 'False', reason: 'InvalidSpec', message, lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') }],
      });
      await this.writes.recordEvent(object, 'Warning', 'InvalidSpec', message);
      return {};
    }
    const provider = result.set.providers[0]!;
    const status = await providerStatus(this.connectionFor(provider, lookup, fingerprint), object.metadata.generation);
    const before = object.status as { ready?: boolean } | undefined;
    await this.writes.writeStatus(type, object, status);
    if (!status.ready) {
      await this.writes.recordEvent(object, 'Warning', 'AuthenticationFailed', status.conditions[0]!.message);
      return { retry: true };
    }
    if (before?.ready !== true) await this.writes.recordEvent(object, 'Normal', 'AuthenticationSucceeded', status.conditions[0]!.message);
    return { requeueAfterMs: this.options.driftPeriodMs };
  }

  /** Reconciles one IAMRole: finalizer, create/converge or delete, status, Events. */
  async reconcileRole(type: CustomResourceType, namespace: string, name: string): Promise<ProcessResult> {
    const object = this.view.get(type, namespace, name);
    if (!object) return {};
    const previous = object.status as IAMRoleStatus | undefined;
    const fail = (reason: string, message: string) => this.failStatus(type, object, previous, reason, message);
    const admitted = await this.admit(type, namespace, object, 'role', fail);
    if ('done' in admitted) return admitted.done;
    const { result, provider, connection } = admitted;
    const desired = desiredRoleOf(result.set.roles[0]!, provider);
    if (object.metadata.deletionTimestamp !== undefined) return this.finishDeletion(type, object, await deleteDesiredRole(desired, connection.iam), fail);

    const formerName = previous?.roleArn?.slice(previous.roleArn.lastIndexOf('/') + 1);
    const synced = await reconcileRole(desired, connection.iam, {
      ...(previous ? { previousStatus: previous } : {}),
      // A renamed role is found through the name this object last reported, and replaced, not orphaned.
      rolesOwnedBy: async () => (formerName && formerName !== desired.roleName ? [formerName] : []),
    });
    await this.writes.writeStatus(type, object, synced.status);
    const summaries = synced.actions.map((action) => action.summary).join('; ');
    switch (synced.outcome) {
      case 'failed': {
        const message = `${synced.failure?.code ?? 'Error'}: ${synced.failure?.message ?? 'reconcile failed'}`;
        await this.writes.recordEvent(object, 'Warning', 'SyncFailed', message);
        this.options.log(`IAMRole ${namespace}/${name}: ${message}`);
        return { retry: true };
      }
      case 'created':
        await this.writes.recordEvent(object, 'Normal', 'Created', `created role ${desired.roleName}: ${summaries}`);
        break;
      case 'replaced':
        await this.writes.recordEvent(object, 'Normal', 'Replaced', [...synced.notes, summaries].join('; '));
        break;
      case 'configured': {
        // Same generation as last synced: nobody changed the spec, so IAM was changed behind our back.
        const drift = previous?.observedGeneration !== undefined && previous.observedGeneration === object.metadata.generation;
        if (drift) await this.writes.recordEvent(object, 'Warning', 'DriftRepaired', `role ${desired.roleName} was changed outside rolecall; restored: ${summaries}`);
        else await this.writes.recordEvent(object, 'Normal', 'Updated', summaries);
        break;
      }
      case 'unchanged':
        break;
    }
    return { requeueAfterMs: this.options.driftPeriodMs };
  }

  /**
   * Reconciles one PodIdentityAssociation as an IAMRole is: finalizer, create/converge or delete through
   * EKS, status, Events, drift repair. Its earlier association (another namespace or service account) is
   * the one its status last reported, replaced rather than orphaned.
   */
  async reconcileAssociation(type: CustomResourceType, namespace: string, name: string): Promise<ProcessResult> {
    const object = this.view.get(type, namespace, name);
    if (!object) return {};
    const previous = object.status as PodIdentityAssociationStatus | undefined;
    const fail = (reason: string, message: string) =>
      this.writes.writeStatus(
        type,
        object,
        associationStatus(
          { ready: { status: false, reason, message }, synced: { status: false, reason, message } },
          { now: new Date(), ...(object.metadata.generation !== undefined ? { generation: object.metadata.generation } : {}), ...(previous ? { previous } : {}) },
        ),
      );
    const admitted = await this.admit(type, namespace, object, 'association', fail);
    if ('done' in admitted) return admitted.done;
    const { result, connection } = admitted;
    const desired = desiredAssociationOf(result.set.associations[0]!);
    if (object.metadata.deletionTimestamp !== undefined) return this.finishDeletion(type, object, await deleteDesiredAssociation(desired, connection.eks), fail);

    const synced = await reconcileAssociation(desired, connection, {
      ...(previous ? { previousStatus: previous } : {}),
      // The association this object last reported, if it was for another cluster, namespace or service account.
      ownedBy: async () => {
        const [clusterName, associationId] = (previous?.associationArn ?? '').split(':podidentityassociation/')[1]?.split('/') ?? [];
        if (!clusterName || !associationId) return [];
        const former = await describeAssociation(new RecordingEks(connection.eks), clusterName, associationId);
        return former && former.tags[OWNER_TAG_KEY] === desired.owner ? [former] : [];
      },
    });
    await this.writes.writeStatus(type, object, synced.status);
    const summaries = synced.actions.map((action) => action.summary).join('; ');
    switch (synced.outcome) {
      case 'failed': {
        const message = `${synced.failure?.code ?? 'Error'}: ${synced.failure?.message ?? 'reconcile failed'}`;
        await this.writes.recordEvent(object, 'Warning', 'SyncFailed', message);
        this.options.log(`PodIdentityAssociation ${namespace}/${name}: ${message}`);
        return { retry: true };
      }
      case 'created':
        await this.writes.recordEvent(object, 'Normal', 'Created', summaries);
        break;
      case 'replaced':
        await this.writes.recordEvent(object, 'Normal', 'Replaced', [...synced.notes, summaries].join('; '));
        break;
      case 'configured': {
        const drift = previous?.observedGeneration !== undefined && previous.observedGeneration === object.metadata.generation;
        if (drift) await this.writes.recordEvent(object, 'Warning', 'DriftRepaired', `association was changed outside rolecall; restored: ${summaries}`);
        else await this.writes.recordEvent(object, 'Normal', 'Updated', summaries);
        break;
      }
      case 'unchanged':
        break;
    }
    return { requeueAfterMs: this.options.driftPeriodMs };
  }

  /**
   * What an IAMRole and a PodIdentityAssociation go through before their own work: the finalizer put on
   * (the update brings the object back through the queue), the provider found, the object validated with
   * it (an invalid one being deleted is released rather than wedged, and says so), and the provider's
   * connection. Either what the caller works with, or the result to return now.
   */
  private async admit(
    type: CustomResourceType,
    namespace: string,
    object: ClusterObject,
    what: 'role' | 'association',
    fail: (reason: string, message: string) => Promise<void>,
  ): Promise<{ done: ProcessResult } | { result: Extract<Awaited<ReturnType<RoleReconciler['declared']>>['result'], { valid: true }>; provider: AWSProvider; connection: ProviderConnection }> {
    const finalizers = object.metadata.finalizers ?? [];
    const deleting = object.metadata.deletionTimestamp !== undefined;
    if (!finalizers.includes(FINALIZER)) {
      if (!deleting) await this.writes.setFinalizers(type, object, [...finalizers, FINALIZER]);
      return { done: {} };
    }
    const ref = (object.spec?.providerRef ?? {}) as { name?: string; namespace?: string };
    const providerEntry = typeof ref.name === 'string' ? this.view.provider(type.group, ref.namespace ?? namespace, ref.name) : undefined;
    if (!providerEntry) {
      await fail('ProviderNotFound', `AWSProvider ${ref.namespace ?? namespace}/${String(ref.name)} not found`);
      return { done: { retry: true } };
    }
    const { result, lookup, fingerprint } = await this.declared(object, providerEntry.object);
    if (!result.valid) {
      const message = describeProblems(result.problems);
      if (deleting) {
        await this.writes.recordEvent(object, 'Warning', 'InvalidSpec', `released without deleting any ${what}: ${message}`);
        await this.writes.setFinalizers(type, object, finalizers.filter((f) => f !== FINALIZER));
        return { done: {} };
      }
      await fail('InvalidSpec', message);
      await this.writes.recordEvent(object, 'Warning', 'InvalidSpec', message);
      return { done: {} };
    }
    const provider = result.set.providers.find((p) => p.metadata.name === providerEntry.object.metadata.name && p.metadata.namespace === providerEntry.object.metadata.namespace)!;
    return { result, provider, connection: this.connectionFor(provider, lookup, fingerprint) };
  }

  /** After a delete in AWS: the Event, and the finalizer taken off — or, when it failed, the status and a retry. */
  private async finishDeletion(
    type: CustomResourceType,
    object: ClusterObject,
    deletion: { outcome: string; message: string; failure?: { code?: string; message?: string } | undefined },
    fail: (reason: string, message: string) => Promise<void>,
  ): Promise<ProcessResult> {
    if (deletion.outcome === 'failed') {
      const message = `${deletion.failure?.code ?? 'Error'}: ${deletion.failure?.message ?? deletion.message}`;
      await this.writes.recordEvent(object, 'Warning', 'DeleteFailed', message);
      await fail(deletion.failure?.code ?? 'DeleteFailed', message);
      return { retry: true };
    }
    await this.writes.recordEvent(object, 'Normal', deletion.outcome === 'retained' ? 'Retained' : 'Deleted', deletion.message);
    await this.writes.setFinalizers(type, object, (object.metadata.finalizers ?? []).filter((f) => f !== FINALIZER));
    return {};
  }

  private async failStatus(type: CustomResourceType, object: ClusterObject, previous: IAMRoleStatus | undefined, reason: string, message: string): Promise<void> {
    const status = roleStatus({
      ...(previous?.roleArn && previous.roleId ? { role: { arn: previous.roleArn, roleId: previous.roleId, ...(previous.createDate ? { createDate: previous.createDate } : {}) } } : {}),
      ready: { status: false, reason, message },
      synced: { status: false, reason, message },
      ...(object.metadata.generation !== undefined ? { generation: object.metadata.generation } : {}),
      now: new Date(),
      ...(previous ? { previous } : {}),
    });
    await this.writes.writeStatus(type, object, status);
  }
}

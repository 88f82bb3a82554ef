/**
 * The operator's writes to the Kubernetes API: finalizers (merge patches carrying the resourceVersion,
 * so a stale view conflicts instead of overwriting), status through the /status subresource, and
 * Events as client-go's recorder writes them (name `OBJECT.HEX-NANOS`, involvedObject, source).
 */
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import type { CustomResourceType } from './custom-resources.js';

/** A custom object as the informers hold it. */
export interface ClusterObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    deletionTimestamp?: string;
    finalizers?: string[];
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Record<string, unknown>[];
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/** The finalizer the operator puts on IAMRoles and RoleBlueprints it manages. */
export const FINALIZER = 'rolecall.dev/finalizer';

const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Writes of one operator replica. */
export class ClusterWrites {
  readonly custom: CustomObjectsApi;
  readonly core: CoreV1Api;

  constructor(
    config: KubeConfig,
    private readonly identity: string,
  ) {
    this.custom = config.makeApiClient(CustomObjectsApi);
    this.core = config.makeApiClient(CoreV1Api);
  }

  private address(type: CustomResourceType, object: ClusterObject) {
    return { group: type.group, version: type.version, plural: type.plural, namespace: object.metadata.namespace, name: object.metadata.name };
  }

  /** Sets the object's finalizers (conflicts if the object changed since it was read). */
  async setFinalizers(type: CustomResourceType, object: ClusterObject, finalizers: string[]): Promise<void> {
    await this.custom.patchNamespacedCustomObject(
      { ...this.address(type, object), body: { metadata: { finalizers, resourceVersion: object.metadata.resourceVersion } } },
      MERGE_PATCH,
    );
  }

  /** Replaces the object's status (the /status subresource). */
  async writeStatus(type: CustomResourceType, object: ClusterObject, status: unknown): Promise<void> {
    // A merge patch of `status: null` first would race; the whole status is replaced by its keys, and
    // keys the new status lacks are nulled out so nothing stale stays behind.
    const stale = Object.fromEntries(Object.keys(object.status ?? {}).filter((key) => !(key in (status as object))).map((key) => [key, null]));
    await this.custom.patchNamespacedCustomObjectStatus({ ...this.address(type, object), body: { status: { ...stale, ...(status as object) } } }, MERGE_PATCH);
  }

  /** Records a Kubernetes Event about the object. */
  async recordEvent(object: ClusterObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const now = new Date();
    const nanos = BigInt(now.getTime()) * 1_000_000n + process.hrtime.bigint() % 1_000_000n;
    await this.core.createNamespacedEvent({
      namespace: object.metadata.namespace,
      body: {
        metadata: { name: `${object.metadata.name}.${nanos.toString(16)}`, namespace: object.metadata.namespace },
        involvedObject: {
          apiVersion: object.apiVersion,
          kind: object.kind,
          name: object.metadata.name,
          namespace: object.metadata.namespace,
          ...(object.metadata.uid ? { uid: object.metadata.uid } : {}),
          ...(object.metadata.resourceVersion ? { resourceVersion: object.metadata.resourceVersion } : {}),
        },
        reason,
        // The API server limits an Event message to 1 KiB.
        message: message.length > 1024 ? `${message.slice(0, 1021)}...` : message,
        type,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: { component: 'rolecall-operator' },
        reportingComponent: 'rolecall.dev/operator',
        reportingInstance: this.identity,
      },
    });
  }
}

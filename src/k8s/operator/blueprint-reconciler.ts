/**
 * The operator's reconcile of RoleBlueprint objects: render with `spec.values` (the same renderer as
 * `rolecall blueprint render`), then make the blueprint's child IAMRoles (label rolecall.dev/blueprint,
 * ownerReference to the blueprint) exactly the rendered ones — create missing, replace changed ones
 * (children edited by hand are restored), delete those no longer rendered. The children are ordinary
 * IAMRoles the role reconciler manages. A finalizer makes deleting the blueprint delete its children
 * first (so their roles are deleted through their own finalizers) whether or not the cluster runs
 * garbage collection.
 */
import { ManifestError } from '../../declare/index.js';
import { renderBlueprintDocument } from '../../declare/blueprint/expansion.js';
import { BLUEPRINT_LABEL } from '../../declare/blueprint/render.js';
import { FINALIZER, type ClusterObject, type ClusterWrites } from './cluster-writes.js';
import type { CustomResourceType } from './custom-resources.js';
import type { ClusterView } from './role-reconciler.js';
import type { ProcessResult } from './work-queue.js';

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Reconciles RoleBlueprints into their child IAMRoles and PodIdentityAssociations. */
export class BlueprintReconciler {
  constructor(
    private readonly view: ClusterView,
    private readonly writes: ClusterWrites,
    /** Where the children live: IAMRole of the blueprint's own group. */
    private readonly roleType: CustomResourceType,
    /** PodIdentityAssociation of the blueprint's group: the rendered associations. */
    private readonly associationType?: CustomResourceType,
  ) {}

  private childTypes(): CustomResourceType[] {
    return [this.roleType, ...(this.associationType ? [this.associationType] : [])];
  }

  private childrenOf(blueprint: ClusterObject, type: CustomResourceType): ClusterObject[] {
    return this.view.list(type, blueprint.metadata.namespace).filter((child) => child.metadata.labels?.[BLUEPRINT_LABEL] === blueprint.metadata.name);
  }

  private collection(type: CustomResourceType, namespace: string) {
    return { group: type.group, version: type.version, plural: type.plural, namespace };
  }

  private child(type: CustomResourceType, namespace: string, name: string) {
    return { ...this.collection(type, namespace), name };
  }

  /** Reconciles one RoleBlueprint. */
  async reconcile(type: CustomResourceType, namespace: string, name: string): Promise<ProcessResult> {
    const blueprint = this.view.get(type, namespace, name);
    if (!blueprint) return {};
    const finalizers = blueprint.metadata.finalizers ?? [];
    if (blueprint.metadata.deletionTimestamp) {
      if (!finalizers.includes(FINALIZER)) return {};
      let remaining = 0;
      for (const childType of this.childTypes()) {
        for (const child of this.childrenOf(blueprint, childType)) {
          remaining++;
          if (!child.metadata.deletionTimestamp) await this.writes.custom.deleteNamespacedCustomObject(this.child(childType, namespace, child.metadata.name));
        }
      }
      // Each child's own deletion brings the blueprint back here; the last one lets it go.
      if (remaining === 0) await this.writes.setFinalizers(type, blueprint, finalizers.filter((f) => f !== FINALIZER));
      return {};
    }
    if (!finalizers.includes(FINALIZER)) {
      await this.writes.setFinalizers(type, blueprint, [...finalizers, FINALIZER]);
      return {};
    }

    const previous = blueprint.status as { conditions?: { type: string; status: string; lastTransitionTime?: string }[] } | undefined;
    const condition = (status: 'True' | 'False', reason: string, message: string) => {
      const before = previous?.conditions?.find((c) => c.type === 'Rendered');
      return {
        type: 'Rendered',
        status,
        reason,
        message,
        lastTransitionTime: before?.status === status && before.lastTransitionTime ? before.lastTransitionTime : isoSeconds(new Date()),
        ...(blueprint.metadata.generation !== undefined ? { observedGeneration: blueprint.metadata.generation } : {}),
      };
    };
    let rendered;
    try {
      rendered = renderBlueprintDocument({ source: `RoleBlueprint ${namespace}/${name}`, document: 1, object: blueprint as unknown as Record<string, unknown> }, {});
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      await this.writes.writeStatus(type, blueprint, { observedGeneration: blueprint.metadata.generation, conditions: [condition('False', 'RenderFailed', error.problem)] });
      await this.writes.recordEvent(blueprint, 'Warning', 'RenderFailed', error.problem);
      return {};
    }

    const owner = { apiVersion: blueprint.apiVersion, kind: blueprint.kind, name, uid: blueprint.metadata.uid, controller: true, blockOwnerDeletion: true };
    const changes: string[] = [];
    const kinds: Array<[CustomResourceType, typeof rendered.roles]> = [[this.roleType, rendered.roles], ...(this.associationType ? [[this.associationType, rendered.podIdentityAssociations] as [CustomResourceType, typeof rendered.roles]] : [])];
    for (const [childType, objects] of kinds) {
      const children = this.childrenOf(blueprint, childType);
      for (const object of objects) {
        const existing = children.find((child) => child.metadata.name === object.metadata.name);
        const metadata = { ...object.metadata, ownerReferences: [owner] };
        if (!existing) {
          const clash = this.view.get(childType, namespace, object.metadata.name);
          if (clash) {
            const message = `${childType.kind} ${namespace}/${object.metadata.name} exists and does not belong to this blueprint`;
            await this.writes.writeStatus(type, blueprint, { observedGeneration: blueprint.metadata.generation, conditions: [condition('False', 'NameConflict', message)] });
            await this.writes.recordEvent(blueprint, 'Warning', 'NameConflict', message);
            return { retry: true };
          }
          await this.writes.custom.createNamespacedCustomObject({ ...this.collection(childType, namespace), body: { apiVersion: object.apiVersion, kind: object.kind, metadata, spec: object.spec } });
          changes.push(`created ${childType.kind} ${object.metadata.name}`);
        } else if (!sameJson(existing.spec, object.spec) || !sameJson(existing.metadata.labels, object.metadata.labels) || !sameJson(existing.metadata.annotations ?? {}, object.metadata.annotations ?? {})) {
          await this.writes.custom.replaceNamespacedCustomObject({
            ...this.child(childType, namespace, object.metadata.name),
            body: { ...existing, metadata: { ...existing.metadata, labels: object.metadata.labels, annotations: object.metadata.annotations ?? {}, ownerReferences: [owner] }, spec: object.spec },
          });
          changes.push(`updated ${childType.kind} ${object.metadata.name}`);
        }
      }
      const renderedNames = new Set(objects.map((object) => object.metadata.name));
      for (const child of children) {
        if (!renderedNames.has(child.metadata.name) && !child.metadata.deletionTimestamp) {
          await this.writes.custom.deleteNamespacedCustomObject(this.child(childType, namespace, child.metadata.name));
          changes.push(`deleted ${childType.kind} ${child.metadata.name}`);
        }
      }
    }
    await this.writes.writeStatus(type, blueprint, {
      observedGeneration: blueprint.metadata.generation,
      renderedRoles: rendered.roles.map((role) => role.metadata.name),
      warnings: rendered.warnings,
      conditions: [condition('True', 'Rendered', `${rendered.roles.length} IAMRoles and ${rendered.podIdentityAssociations.length} PodIdentityAssociations rendered`)],
    });
    if (changes.length > 0) await this.writes.recordEvent(blueprint, 'Normal', 'Rendered', changes.join('; '));
    for (const warning of rendered.warnings) await this.writes.recordEvent(blueprint, 'Warning', 'TrustWarning', warning);
    return {};
  }
}

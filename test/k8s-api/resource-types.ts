/** The resource types the double serves: the built-in ones it needs, plus any registered by a CRD. */
import type { Schema } from './structural-schema.js';

/** One served resource type (one group/version/plural). */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  /** Writes to the main resource keep the old status; `/status` writes change only status. */
  statusSubresource: boolean;
  /** `metadata.generation` is set on create and bumped when anything but metadata (and status) changes. */
  tracksGeneration: boolean;
  /** Custom resources: PUT needs `metadata.resourceVersion`, list items carry apiVersion and kind. */
  custom: boolean;
  /** PUT to a missing object creates it (Leases and Events do this in Kubernetes). */
  allowCreateOnUpdate: boolean;
  schema?: Schema;
}

/** `v1` for the core group, `group/version` otherwise. */
export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** The key of a type in maps: `group/version/plural`. */
export function typeKey(type: Pick<ResourceType, 'group' | 'version' | 'plural'>): string {
  return `${type.group}/${type.version}/${type.plural}`;
}

function builtIn(
  group: string,
  version: string,
  kind: string,
  plural: string,
  options: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    version,
    plural,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced: true,
    shortNames: [],
    statusSubresource: false,
    tracksGeneration: false,
    custom: false,
    allowCreateOnUpdate: false,
    ...options,
  };
}

/** Built-in types: namespaces, service accounts, secrets, config maps, events, leases and CRDs. */
export const BUILT_IN_TYPES: ResourceType[] = [
  builtIn('', 'v1', 'Namespace', 'namespaces', { namespaced: false, shortNames: ['ns'], statusSubresource: true }),
  builtIn('', 'v1', 'ServiceAccount', 'serviceaccounts', { shortNames: ['sa'] }),
  builtIn('', 'v1', 'Secret', 'secrets'),
  builtIn('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  builtIn('', 'v1', 'Event', 'events', { shortNames: ['ev'], allowCreateOnUpdate: true }),
  builtIn('coordination.k8s.io', 'v1', 'Lease', 'leases', { allowCreateOnUpdate: true }),
  builtIn('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', {
    namespaced: false,
    shortNames: ['crd', 'crds'],
    statusSubresource: true,
    tracksGeneration: true,
  }),
];

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  subresources?: { status?: object };
  schema?: { openAPIV3Schema?: Schema };
}

interface CrdSpec {
  group: string;
  scope: 'Namespaced' | 'Cluster';
  names: { plural: string; singular?: string; kind: string; listKind?: string; shortNames?: string[] };
  versions: CrdVersion[];
}

/** The served types of a CustomResourceDefinition's spec, one per served version. */
export function typesOfCrd(spec: CrdSpec): ResourceType[] {
  return spec.versions
    .filter((version) => version.served !== false)
    .map((version) => ({
      group: spec.group,
      version: version.name,
      plural: spec.names.plural,
      singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
      kind: spec.names.kind,
      listKind: spec.names.listKind ?? `${spec.names.kind}List`,
      namespaced: spec.scope !== 'Cluster',
      shortNames: spec.names.shortNames ?? [],
      statusSubresource: version.subresources?.status !== undefined,
      tracksGeneration: true,
      custom: true,
      allowCreateOnUpdate: false,
      schema: version.schema?.openAPIV3Schema,
    }));
}

/** A CRD spec's problems (the fields the double relies on), as `field: message` pairs. */
export function crdSpecProblems(name: string, spec: unknown): { field: string; text: string }[] {
  const problems: { field: string; text: string }[] = [];
  const value = spec as Partial<CrdSpec> | undefined;
  if (!value?.group) problems.push({ field: 'spec.group', text: 'Required value' });
  if (!value?.names?.plural) problems.push({ field: 'spec.names.plural', text: 'Required value' });
  if (!value?.names?.kind) problems.push({ field: 'spec.names.kind', text: 'Required value' });
  if (value?.scope !== 'Namespaced' && value?.scope !== 'Cluster') {
    problems.push({ field: 'spec.scope', text: `Unsupported value: ${JSON.stringify(value?.scope ?? '')}: supported values: "Cluster", "Namespaced"` });
  }
  if (!Array.isArray(value?.versions) || value.versions.length === 0) problems.push({ field: 'spec.versions', text: 'Invalid value: null: must have exactly one version marked as storage version' });
  if (value?.group && value.names?.plural && name !== `${value.names.plural}.${value.group}`) {
    problems.push({ field: 'metadata.name', text: `Invalid value: ${JSON.stringify(name)}: must be spec.names.plural+"."+spec.group` });
  }
  return problems;
}

/**
 * The CustomResourceDefinitions of AWSProvider and IAMRole for each API group (and PodIdentityAssociation
 * in Rolecall's), generated from schema.ts
 * (deploy/crds/ holds them as YAML; a test keeps the files equal to this). Printer columns follow
 * infra-operator's (Role, ARN, Ready, Age; Region, Ready, Account, Age) plus Synced with -o wide.
 */
import { API_VERSION, DECLARE_GROUPS, ROLECALL_GROUP, type DeclareGroup } from './api-groups.js';
import { DECLARE_KIND_SCHEMAS } from './schema.js';

interface PrinterColumn {
  name: string;
  type: 'string' | 'boolean' | 'date' | 'integer';
  jsonPath: string;
  priority?: number;
  description?: string;
}

const KINDS = {
  IAMRole: {
    plural: 'iamroles',
    shortNames: ['iamr'],
    columns: [
      { name: 'Role', type: 'string', jsonPath: '.spec.roleName', description: 'Name of the role in IAM' },
      { name: 'ARN', type: 'string', jsonPath: '.status.roleArn' },
      { name: 'Ready', type: 'boolean', jsonPath: '.status.ready' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      { name: 'Synced', type: 'string', jsonPath: '.status.conditions[?(@.type=="Synced")].status', priority: 1 },
      { name: 'Provider', type: 'string', jsonPath: '.spec.providerRef.name', priority: 1 },
    ] satisfies PrinterColumn[],
  },
  AWSProvider: {
    plural: 'awsproviders',
    shortNames: ['awsp'],
    columns: [
      { name: 'Region', type: 'string', jsonPath: '.spec.region' },
      { name: 'Ready', type: 'boolean', jsonPath: '.status.ready' },
      { name: 'Account', type: 'string', jsonPath: '.status.accountID' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      { name: 'Endpoint', type: 'string', jsonPath: '.spec.endpoint', priority: 1 },
    ] satisfies PrinterColumn[],
  },
  PodIdentityAssociation: {
    plural: 'podidentityassociations',
    shortNames: ['pia'],
    columns: [
      { name: 'Cluster', type: 'string', jsonPath: '.spec.clusterName' },
      { name: 'Namespace', type: 'string', jsonPath: '.spec.namespace', description: 'Namespace of the service account' },
      { name: 'Service Account', type: 'string', jsonPath: '.spec.serviceAccount' },
      { name: 'Association', type: 'string', jsonPath: '.status.associationId' },
      { name: 'Ready', type: 'boolean', jsonPath: '.status.ready' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      { name: 'Role', type: 'string', jsonPath: '.status.roleArn', priority: 1 },
      { name: 'Synced', type: 'string', jsonPath: '.status.conditions[?(@.type=="Synced")].status', priority: 1 },
    ] satisfies PrinterColumn[],
  },
} as const;

/** Kinds served in one group only: infra-operator has no Pod Identity associations. */
const ROLECALL_ONLY_KINDS: ReadonlySet<DeclareKind> = new Set(['PodIdentityAssociation']);

export type DeclareKind = keyof typeof KINDS;

/** The CRD of one kind in one group. */
export function customResourceDefinition(group: DeclareGroup, kind: DeclareKind): Record<string, unknown> {
  const { plural, shortNames, columns } = KINDS[kind];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), shortNames: [...shortNames], categories: ['rolecall'] },
      scope: 'Namespaced',
      versions: [
        {
          name: API_VERSION,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: DECLARE_KIND_SCHEMAS[kind] },
          subresources: { status: {} },
          additionalPrinterColumns: columns,
        },
      ],
    },
  };
}

/** Every CRD: file name (deploy/crds/) → object. */
export function allCustomResourceDefinitions(): Map<string, Record<string, unknown>> {
  const crds = new Map<string, Record<string, unknown>>();
  for (const group of DECLARE_GROUPS) {
    for (const kind of Object.keys(KINDS) as DeclareKind[]) if (group === ROLECALL_GROUP || !ROLECALL_ONLY_KINDS.has(kind)) crds.set(`${group}_${KINDS[kind].plural}.yaml`, customResourceDefinition(group, kind));
  }
  return crds;
}

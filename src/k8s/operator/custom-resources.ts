/**
 * The custom resources the operator serves — AWSProvider and IAMRole in both API groups (the seed's
 * infra-operator group and Rolecall's), RoleBlueprint and PodIdentityAssociation in Rolecall's — and their
 * CRDs: AWSProvider's, IAMRole's and PodIdentityAssociation's are declare's (deploy/crds/), RoleBlueprint's is built the same way from its schema
 * (deploy/operator/roleblueprints.rolecall.dev.yaml; `rolecall operator crds` prints them all).
 */
import { API_VERSION, DECLARE_GROUPS } from '../../declare/api-groups.js';
import { ROLECALL_GROUP, customResourceDefinition as declareCustomResourceDefinition } from '../../declare/index.js';
import { ROLE_BLUEPRINT_SCHEMA } from '../../declare/blueprint/blueprint-schema.js';

/** One custom resource type: where it lives in the API. */
export interface CustomResourceType {
  group: string;
  version: string;
  kind: 'AWSProvider' | 'IAMRole' | 'RoleBlueprint' | 'PodIdentityAssociation';
  plural: string;
}

/** Every custom resource type the operator watches. */
export const CUSTOM_RESOURCE_TYPES: CustomResourceType[] = [
  ...DECLARE_GROUPS.flatMap((group): CustomResourceType[] => [
    { group, version: API_VERSION, kind: 'AWSProvider', plural: 'awsproviders' },
    { group, version: API_VERSION, kind: 'IAMRole', plural: 'iamroles' },
  ]),
  { group: ROLECALL_GROUP, version: API_VERSION, kind: 'RoleBlueprint', plural: 'roleblueprints' },
  { group: ROLECALL_GROUP, version: API_VERSION, kind: 'PodIdentityAssociation', plural: 'podidentityassociations' },
];

interface CrdShape {
  spec: { names: Record<string, unknown>; versions: Record<string, unknown>[] } & Record<string, unknown>;
}

/** RoleBlueprint's CRD: IAMRole's of Rolecall's group with RoleBlueprint's names, schema and columns. */
export function roleBlueprintDefinition(): Record<string, unknown> {
  const base = declareCustomResourceDefinition(ROLECALL_GROUP, 'IAMRole') as unknown as CrdShape;
  return {
    ...base,
    metadata: { name: `roleblueprints.${ROLECALL_GROUP}` },
    spec: {
      ...base.spec,
      names: { ...base.spec.names, kind: 'RoleBlueprint', listKind: 'RoleBlueprintList', plural: 'roleblueprints', singular: 'roleblueprint', shortNames: ['rbp'] },
      versions: [
        {
          ...base.spec.versions[0],
          schema: { openAPIV3Schema: ROLE_BLUEPRINT_SCHEMA },
          additionalPrinterColumns: [
            { name: 'Rendered', type: 'string', jsonPath: '.status.conditions[?(@.type=="Rendered")].status' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
            { name: 'Roles', type: 'string', jsonPath: '.status.renderedRoles', priority: 1 },
          ],
        },
      ],
    },
  };
}

/** The CRD of a type. */
export function customResourceDefinition(type: CustomResourceType): Record<string, unknown> {
  return type.kind === 'RoleBlueprint' ? roleBlueprintDefinition() : declareCustomResourceDefinition(type.group as (typeof DECLARE_GROUPS)[number], type.kind);
}

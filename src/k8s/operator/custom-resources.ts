/**
 * The custom resources the operator serves — AWSProvider and IAMRole in both API groups (the seed's
 * infra-operator group and Rolecall's), RoleBlueprint in Rolecall's — and their CRDs, built from the
 * same OpenAPI schemas `rolecall apply` validates against (deploy/operator/crds.yaml is this, printed
 * by `rolecall operator crds`).
 */
import { DECLARE_GROUPS } from '../../declare/api-groups.js';
import { API_VERSION, DECLARE_KIND_SCHEMAS, ROLECALL_GROUP, type OpenApiSchema } from '../../declare/index.js';
import { ROLE_BLUEPRINT_SCHEMA } from '../../declare/blueprint/blueprint-schema.js';

/** One custom resource type: where it lives in the API and how kubectl shows it. */
export interface CustomResourceType {
  group: string;
  version: string;
  kind: 'AWSProvider' | 'IAMRole' | 'RoleBlueprint';
  plural: string;
  shortNames: string[];
  schema: OpenApiSchema;
  printerColumns: { name: string; type: string; jsonPath: string; priority?: number }[];
}

const AGE = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

function providerType(group: string): CustomResourceType {
  return {
    group,
    version: API_VERSION,
    kind: 'AWSProvider',
    plural: 'awsproviders',
    shortNames: ['awsp'],
    schema: DECLARE_KIND_SCHEMAS.AWSProvider,
    printerColumns: [
      { name: 'Region', type: 'string', jsonPath: '.spec.region' },
      { name: 'Ready', type: 'boolean', jsonPath: '.status.ready' },
      { name: 'Account', type: 'string', jsonPath: '.status.accountID' },
      AGE,
    ],
  };
}

function roleType(group: string): CustomResourceType {
  return {
    group,
    version: API_VERSION,
    kind: 'IAMRole',
    plural: 'iamroles',
    shortNames: ['iamr'],
    schema: DECLARE_KIND_SCHEMAS.IAMRole,
    printerColumns: [
      { name: 'Role', type: 'string', jsonPath: '.spec.roleName' },
      { name: 'ARN', type: 'string', jsonPath: '.status.roleArn' },
      { name: 'Ready', type: 'boolean', jsonPath: '.status.ready' },
      AGE,
    ],
  };
}

/** Every custom resource type the operator watches. */
export const CUSTOM_RESOURCE_TYPES: CustomResourceType[] = [
  ...DECLARE_GROUPS.flatMap((group) => [providerType(group), roleType(group)]),
  {
    group: ROLECALL_GROUP,
    version: API_VERSION,
    kind: 'RoleBlueprint',
    plural: 'roleblueprints',
    shortNames: ['rbp'],
    schema: ROLE_BLUEPRINT_SCHEMA,
    printerColumns: [
      { name: 'Rendered', type: 'string', jsonPath: ".status.conditions[?(@.type=='Rendered')].status" },
      { name: 'Roles', type: 'string', jsonPath: '.status.renderedRoles', priority: 1 },
      AGE,
    ],
  },
];

/** The CustomResourceDefinition of a type (apiextensions.k8s.io/v1, status subresource on). */
export function customResourceDefinition(type: CustomResourceType): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${type.plural}.${type.group}` },
    spec: {
      group: type.group,
      scope: 'Namespaced',
      names: { plural: type.plural, singular: type.kind.toLowerCase(), kind: type.kind, listKind: `${type.kind}List`, shortNames: type.shortNames },
      versions: [
        {
          name: type.version,
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: type.schema },
          additionalPrinterColumns: type.printerColumns,
        },
      ],
    },
  };
}

/**
 * The OpenAPI v3 schema of RoleBlueprint (rolecall.dev/v1alpha1): the shape is checked with the same
 * strict validator as AWSProvider and IAMRole before rendering, and the CRD in deploy/ carries it.
 * Fields that take `{parameter}` expressions are strings; the rendered IAMRoles are validated again
 * with the IAMRole schema, so a pattern such as the role-name one applies after filling.
 */
import { objectSchema, type OpenApiSchema } from '../schema.js';

const text = (description: string, extra: Partial<OpenApiSchema> = {}): OpenApiSchema => ({ type: 'string', description, ...extra });
const texts = (description: string): OpenApiSchema => ({ type: 'array', description, items: { type: 'string' } });
const textMap = (description: string): OpenApiSchema => ({ type: 'object', description, additionalProperties: { type: 'string' } });
const integerOrExpression = (description: string): OpenApiSchema => ({ description, 'x-kubernetes-int-or-string': true });
const anyScalar = (description: string): OpenApiSchema => ({ description, 'x-kubernetes-preserve-unknown-fields': true });

const IDENTIFIER = '^[A-Za-z][A-Za-z0-9_]*$';

const parameter: OpenApiSchema = {
  type: 'object',
  required: ['name', 'type'],
  properties: {
    name: text('Name used as {name} in the blueprint and in --set name=VALUE.', { pattern: IDENTIFIER }),
    type: text('Type of the value.', { enum: ['string', 'integer', 'boolean'] }),
    description: text('What the parameter means; shown by documentation.'),
    default: anyScalar('Value when --set does not give one; may refer to other parameters ("{project}-{env}"). Without a default the parameter is required.'),
    enum: { type: 'array', description: 'The only values allowed.', items: anyScalar('An allowed value.') },
    pattern: text('Regular expression a string value must match.'),
  },
};

const policyTemplate: OpenApiSchema = {
  type: 'object',
  required: ['name', 'parameters', 'document'],
  properties: {
    name: text('Name of the template (seed 000: policy-rw-s3.json).', { minLength: 1 }),
    parameters: { type: 'array', description: 'Every ${NAME} placeholder the document uses.', items: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' } },
    document: text('Policy document (JSON) whose strings may contain ${NAME} placeholders.', { minLength: 1 }),
  },
};

const policyInstance: OpenApiSchema = {
  type: 'object',
  required: ['name', 'template'],
  properties: {
    name: text('Name of the inline policy on each role that lists it.', { pattern: '^[\\w+=,.@-]{1,128}$' }),
    template: text('The policy template it instantiates.'),
    values: textMap("Value of each of the template's placeholders ({parameters} allowed)."),
  },
};

const role: OpenApiSchema = {
  type: 'object',
  required: ['id', 'roleName', 'trust'],
  properties: {
    id: text("The role's name within the blueprint (seed 000: sa_app); labels the rendered objects.", { minLength: 1, maxLength: 63 }),
    roleName: text('IAM role name pattern: {project}-{env}-app.', { minLength: 1 }),
    description: text('Description of the role.'),
    path: text('IAM path of the role.'),
    maxSessionDuration: integerOrExpression('Maximum session duration in seconds, or a {parameter}.'),
    trust: {
      type: 'object',
      required: ['mode'],
      properties: {
        mode: text('podIdentity, irsa (StringEquals on the exact namespace), irsaAnyNamespace (the development pattern, warned about) or service; may be a {parameter}.'),
        serviceAccounts: texts('NAMESPACE:NAME of each service account the role is for (the name may be a pattern such as ebs-csi-* under irsa).'),
        service: text('AWS service principal for mode service (eks.amazonaws.com).'),
      },
    },
    policies: texts('Names of spec.policies entries, each put on the role as an inline policy.'),
    managedPolicies: texts('AWS managed policies by name (AmazonEKS_CNI_Policy), path/name, or full ARNs.'),
    tags: textMap('Tags of this role, over roleDefaults.tags.'),
  },
};

/** spec of RoleBlueprint. */
export const ROLE_BLUEPRINT_SPEC: OpenApiSchema = {
  type: 'object',
  required: ['providerRef', 'identity', 'roles'],
  properties: {
    providerRef: {
      type: 'object',
      description: 'The AWSProvider every rendered IAMRole names.',
      required: ['name'],
      properties: { name: text('Name of the AWSProvider.', { minLength: 1 }), namespace: text("Its namespace; the blueprint's own by default.") },
    },
    parameters: { type: 'array', description: 'Typed parameters, set with --set name=VALUE.', items: parameter },
    values: textMap('Parameter values of this instance (what the operator renders with); --set overrides them.'),
    identity: {
      type: 'object',
      description: 'Where workload trust points.',
      required: ['accountId'],
      properties: {
        accountId: text('Account of the roles (for role ARNs and the OIDC provider ARN).'),
        clusterName: text('EKS cluster of the Pod Identity associations.'),
        oidcIssuer: text("The cluster's OIDC issuer (oidc.eks.REGION.amazonaws.com/id/ID) for IRSA trust."),
      },
    },
    roleDefaults: {
      type: 'object',
      description: 'Applied to every role.',
      properties: {
        permissionsBoundary: text('ARN of a managed policy set as permissions boundary of every role; none when empty.'),
        tags: textMap('Tags of every role.'),
        path: text('IAM path of every role that sets none.'),
        maxSessionDuration: integerOrExpression('Maximum session duration of every role that sets none.'),
        deletionPolicy: text('Delete, Retain or Orphan for every rendered IAMRole.'),
      },
    },
    policyTemplates: { type: 'array', description: 'Parameterized policy documents.', items: policyTemplate },
    policies: { type: 'array', description: 'Policy templates instantiated with values.', items: policyInstance },
    roles: { type: 'array', description: 'The roles of the platform.', items: role },
  },
};

/** status of RoleBlueprint (set by the operator). */
export const ROLE_BLUEPRINT_STATUS: OpenApiSchema = {
  type: 'object',
  properties: {
    observedGeneration: { type: 'integer' },
    renderedRoles: { type: 'array', description: 'Names of the IAMRole objects rendered from the blueprint.', items: { type: 'string' } },
    warnings: texts('Warnings of the last rendering.'),
    conditions: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  },
};

/** The whole RoleBlueprint object's schema. */
export const ROLE_BLUEPRINT_SCHEMA: OpenApiSchema = objectSchema(ROLE_BLUEPRINT_SPEC, ROLE_BLUEPRINT_STATUS);

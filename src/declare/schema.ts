/**
 * The OpenAPI v3 schemas of AWSProvider and IAMRole: the CRDs in deploy/crds/ are generated from them
 * (crd.ts), and `rolecall apply` checks every manifest against the same schemas before any call, as the
 * API server would under kubectl's default strict validation (unknown fields are errors).
 */

/** The subset of OpenAPI v3 that Kubernetes structural schemas use and validation.ts checks. */
export interface OpenApiSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'boolean' | 'number';
  description?: string;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  additionalProperties?: OpenApiSchema;
  items?: OpenApiSchema;
  enum?: string[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  maxProperties?: number;
  pattern?: string;
  format?: string;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
}

const string = (description: string, extra: Partial<OpenApiSchema> = {}): OpenApiSchema => ({ type: 'string', description, ...extra });
const stringMap = (description: string, extra: Partial<OpenApiSchema> = {}): OpenApiSchema => ({
  type: 'object',
  description,
  additionalProperties: { type: 'string' },
  ...extra,
});

/** IAM's role name (CreateRole RoleName: 1-64 of [\w+=,.@-]). */
export const ROLE_NAME_PATTERN = '^[\\w+=,.@-]{1,64}$';
/** IAM's path: `/` or `/` + printable ASCII + `/`, at most 512 characters. */
export const PATH_PATTERN = '^(/|/[\\x21-\\x7E]+/)$';
/** A managed policy ARN (AWS's or a customer's). */
export const POLICY_ARN_PATTERN = '^arn:aws[\\w-]*:iam::(\\d{12}|aws):policy(/[\\x21-\\x7E]*)?/[\\w+=,.@-]{1,128}$';
/** A role ARN. */
export const ROLE_ARN_PATTERN = '^arn:aws[\\w-]*:iam::\\d{12}:role(/[\\x21-\\x7E]*)?/[\\w+=,.@-]{1,64}$';

const objectReference = (description: string): OpenApiSchema => ({
  type: 'object',
  description,
  required: ['name'],
  properties: { name: string('Name of the object.', { minLength: 1 }), namespace: string("Namespace; the referring object's own by default.") },
});

const secretKeyReference = (description: string): OpenApiSchema => ({
  type: 'object',
  description,
  required: ['name', 'key'],
  properties: {
    name: string('Name of the Secret.', { minLength: 1 }),
    namespace: string("Namespace of the Secret; the AWSProvider's own by default."),
    key: string('Key within the Secret.', { minLength: 1 }),
  },
});

const inlinePolicy: OpenApiSchema = {
  type: 'object',
  required: ['policyName', 'policyDocument'],
  properties: {
    policyName: string('Name of the inline policy (PutRolePolicy PolicyName).', { pattern: '^[\\w+=,.@-]{1,128}$' }),
    policyDocument: string('The policy document (JSON).', { minLength: 1 }),
  },
};

const condition: OpenApiSchema = {
  type: 'object',
  required: ['type', 'status'],
  properties: {
    type: string('Ready or Synced.'),
    status: string('True, False or Unknown.', { enum: ['True', 'False', 'Unknown'] }),
    reason: string('One CamelCase word: why the condition has this status (an AWS error code on failure).'),
    message: string("Human-readable detail, AWS's message on failure."),
    lastTransitionTime: string('When the status last changed.', { format: 'date-time' }),
    observedGeneration: { type: 'integer', description: 'The metadata.generation this condition was computed from.' },
  },
};

const conditions: OpenApiSchema = {
  type: 'array',
  description: 'Ready (the role exists as declared) and Synced (the last reconcile succeeded).',
  items: condition,
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['type'],
};

/** spec of AWSProvider. */
export const AWS_PROVIDER_SPEC: OpenApiSchema = {
  type: 'object',
  required: ['region'],
  properties: {
    region: string('AWS region used for signing (IAM itself is global).', { minLength: 1 }),
    endpoint: string('Endpoint URL of an AWS-compatible service (Rolecall, LocalStack); AWS when unset.'),
    roleARN: string('Role assumed through STS before any call (the ambient identity when it is already this role, as under IRSA).', {
      pattern: ROLE_ARN_PATTERN,
    }),
    credentialsSecret: objectReference('Secret holding AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and optionally AWS_SESSION_TOKEN.'),
    accessKeyIDRef: secretKeyReference('Secret key holding the access key id.'),
    secretAccessKeyRef: secretKeyReference('Secret key holding the secret access key.'),
    sessionTokenRef: secretKeyReference('Secret key holding a session token.'),
    assumeRoleARN: string('Role in another account assumed (after roleARN, if any) for cross-account management.', {
      pattern: ROLE_ARN_PATTERN,
    }),
    externalID: string('ExternalId passed when assuming assumeRoleARN.', { minLength: 2, maxLength: 1224 }),
    defaultTags: stringMap('Tags applied to every role managed through this provider; a role tag of the same key wins.'),
  },
};

/** status of AWSProvider. */
export const AWS_PROVIDER_STATUS: OpenApiSchema = {
  type: 'object',
  properties: {
    ready: { type: 'boolean' },
    accountID: string('Account of the identity the provider calls as.'),
    callerIdentity: string('ARN of that identity (GetCallerIdentity).'),
    lastAuthenticationTime: string('When the provider last authenticated.', { format: 'date-time' }),
    observedGeneration: { type: 'integer' },
    conditions,
  },
};

/** spec of IAMRole. */
export const IAM_ROLE_SPEC: OpenApiSchema = {
  type: 'object',
  required: ['providerRef', 'roleName', 'assumeRolePolicyDocument'],
  properties: {
    providerRef: objectReference('The AWSProvider whose credentials and endpoint manage this role.'),
    roleName: string('Name of the role in IAM. Changing it replaces the role (the old one is deleted).', { pattern: ROLE_NAME_PATTERN }),
    description: string('Description of the role.', { maxLength: 1000 }),
    path: string('Path of the role (default /). IAM cannot change a path: changing it replaces the role.', {
      pattern: PATH_PATTERN,
      maxLength: 512,
    }),
    maxSessionDuration: { type: 'integer', description: 'Maximum session duration in seconds (default 3600).', minimum: 3600, maximum: 43200 },
    assumeRolePolicyDocument: string('Trust policy (JSON): who may assume the role.', { minLength: 1 }),
    managedPolicyArns: {
      type: 'array',
      description: 'Managed policies attached to the role: exactly this set.',
      items: { type: 'string', pattern: POLICY_ARN_PATTERN },
      maxItems: 20,
      'x-kubernetes-list-type': 'set',
    },
    inlinePolicy: { ...inlinePolicy, description: 'One inline policy (infra-operator’s form).' },
    inlinePolicies: {
      type: 'array',
      description: 'Inline policies: exactly this set (others on the role are deleted).',
      items: inlinePolicy,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['policyName'],
    },
    permissionsBoundary: string('ARN of the managed policy used as permissions boundary; removed when unset.', { pattern: POLICY_ARN_PATTERN }),
    tags: stringMap('Tags of the role: exactly these plus the provider’s defaultTags and the ownership tag.', { maxProperties: 50 }),
    deletionPolicy: string('Delete (default) deletes the role with the object; Retain and Orphan keep it and release ownership.', {
      enum: ['Delete', 'Retain', 'Orphan'],
    }),
  },
};

/** status of IAMRole. */
export const IAM_ROLE_STATUS: OpenApiSchema = {
  type: 'object',
  properties: {
    roleArn: string('ARN of the role.'),
    roleId: string('Unique id of the role (AROA...).'),
    createDate: string('When the role was created.', { format: 'date-time' }),
    ready: { type: 'boolean', description: 'The role exists and matches the spec.' },
    message: string('Summary of the last reconcile.'),
    observedGeneration: { type: 'integer', description: 'The metadata.generation last reconciled.' },
    lastSyncTime: string('When the role was last reconciled.', { format: 'date-time' }),
    conditions,
  },
};

const METADATA: OpenApiSchema = { type: 'object' };

/** The whole object's schema (apiVersion, kind, metadata, spec, status) of a kind. */
export function objectSchema(spec: OpenApiSchema, status: OpenApiSchema): OpenApiSchema {
  return {
    type: 'object',
    required: ['spec'],
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: METADATA, spec, status },
  };
}

/** EKS's cluster name (CreateCluster name: 1-100 of [0-9A-Za-z][A-Za-z0-9-_]*). */
export const CLUSTER_NAME_PATTERN = '^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$';
/** A Kubernetes namespace (DNS label) and service account name (DNS subdomain), as EKS checks them. */
const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const DNS_SUBDOMAIN_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

/**
 * spec of PodIdentityAssociation (Rolecall's group only): CreatePodIdentityAssociation's fields, the role
 * given by ARN or by name in the provider's account.
 */
export const POD_IDENTITY_ASSOCIATION_SPEC: OpenApiSchema = {
  type: 'object',
  required: ['providerRef', 'clusterName', 'namespace', 'serviceAccount'],
  properties: {
    providerRef: objectReference('The AWSProvider whose credentials, endpoint and region manage this association.'),
    clusterName: string('The EKS cluster. Changing it (or namespace, serviceAccount) replaces the association.', { pattern: CLUSTER_NAME_PATTERN }),
    namespace: string('Kubernetes namespace of the service account.', { pattern: DNS_LABEL_PATTERN, maxLength: 63 }),
    serviceAccount: string('Name of the service account.', { pattern: DNS_SUBDOMAIN_PATTERN, maxLength: 253 }),
    roleArn: string('ARN of the role the pods get (in the cluster account). Give roleArn or roleName.', { pattern: ROLE_ARN_PATTERN }),
    roleName: string('Name of the role in the provider account (its ARN is read with GetRole). Give roleArn or roleName.', { pattern: ROLE_NAME_PATTERN }),
    targetRoleArn: string('Role assumed with the association role session (role chaining, any account); removed when unset.', { pattern: ROLE_ARN_PATTERN }),
    disableSessionTags: { type: 'boolean', description: 'Whether EKS leaves out its six session tags (default false).' },
    tags: stringMap('Tags of the association: exactly these plus the ownership tag.', { maxProperties: 49 }),
    deletionPolicy: string('Delete (default) deletes the association with the object; Retain and Orphan keep it and release ownership.', {
      enum: ['Delete', 'Retain', 'Orphan'],
    }),
  },
};

/** status of PodIdentityAssociation. */
export const POD_IDENTITY_ASSOCIATION_STATUS: OpenApiSchema = {
  type: 'object',
  properties: {
    associationArn: string('ARN of the association.'),
    associationId: string('Id of the association (a-...).'),
    roleArn: string('The role the association names.'),
    createdAt: string('When the association was created.', { format: 'date-time' }),
    ready: { type: 'boolean', description: 'The association exists and matches the spec.' },
    message: string('Summary of the last reconcile.'),
    observedGeneration: { type: 'integer', description: 'The metadata.generation last reconciled.' },
    lastSyncTime: string('When the association was last reconciled.', { format: 'date-time' }),
    conditions,
  },
};

/** The declare kinds with their schemas. */
export const DECLARE_KIND_SCHEMAS = {
  AWSProvider: objectSchema(AWS_PROVIDER_SPEC, AWS_PROVIDER_STATUS),
  IAMRole: objectSchema(IAM_ROLE_SPEC, IAM_ROLE_STATUS),
  PodIdentityAssociation: objectSchema(POD_IDENTITY_ASSOCIATION_SPEC, POD_IDENTITY_ASSOCIATION_STATUS),
} as const;

/**
 * Validation of a set of manifests before any call: each object against its kind's schema (strict, as
 * the API server), then what a schema cannot say — policy documents through the engine's validator with
 * AWS's MalformedPolicyDocument text, tags as IAM accepts them, credential forms of an AWSProvider, and
 * references between objects. Every problem names the manifest, the object and the field.
 */
import { validatePolicy } from '../policy/index.js';
import { policySizeWithoutWhitespace } from '../policy/validate.js';
import { DECLARE_API_VERSIONS, ROLECALL_GROUP, API_VERSION, isDeclareApiVersion } from './api-groups.js';
import { documentLocation, type ManifestDocument } from './manifests.js';
import { OWNER_TAG_KEY, ADOPT_ANNOTATION } from './ownership.js';
import { inlinePoliciesOf, mergedTags } from './role-spec.js';
import type { AWSProvider, IAMRole, ObjectMeta, PodIdentityAssociation } from './resources.js';
import { objectKey } from './resources.js';
import { DECLARE_KIND_SCHEMAS } from './schema.js';
import { checkAgainstSchema, type FieldProblem } from './schema-validation.js';
import { SecretValue, decodeSecretData, secretsOf, type DeclaredSecret, type SecretLookup } from './secrets.js';

/** One problem of a manifest set: where (file and document), which object, which field, what. */
export interface ValidationProblem {
  location: string;
  object: string;
  field: string;
  message: string;
}

/** `file (document N): IAMRole default/x: spec.field: message`. */
export function formatProblem(problem: ValidationProblem): string {
  const object = problem.object === '' ? '' : ` ${problem.object}:`;
  const field = problem.field === '' ? '' : ` ${problem.field}:`;
  return `${problem.location}:${object}${field} ${problem.message}`;
}

/** A Kubernetes object of the files that only a cluster applies (a blueprint's IRSA ServiceAccounts). */
export interface ClusterOnlyObject {
  kind: string;
  name: string;
  namespace: string;
  origin: string;
}

/** The objects of a valid manifest set. */
export interface DeclaredSet {
  providers: AWSProvider[];
  roles: IAMRole[];
  /** Pod Identity associations, applied after the roles (an association names an existing role). */
  associations: PodIdentityAssociation[];
  secrets: DeclaredSecret[];
  /** Objects for the cluster, not IAM or EKS: `apply` says it skips them. */
  clusterOnly: ClusterOnlyObject[];
}

/** apiVersion of the PodIdentityAssociation kind (Rolecall's group only: infra-operator has no such kind). */
export const ASSOCIATION_API_VERSION = `${ROLECALL_GROUP}/${API_VERSION}`;
/** Kinds of the core API that `rolecall apply` accepts and leaves to a cluster. */
const CLUSTER_ONLY_KINDS = new Set(['ServiceAccount']);

export type ValidationResult = { valid: true; set: DeclaredSet } | { valid: false; problems: ValidationProblem[] };

/** Inline policies of one role count towards this aggregate (IAM quota, white space not counted). */
const ROLE_INLINE_QUOTA = 10_240;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_TAGS = 50;

/** Validates documents (already expanded) as one set; objects become typed only if all of them are valid. */
export function validateManifests(documents: readonly ManifestDocument[], options: { clusterSecrets?: SecretLookup } = {}): ValidationResult {
  const problems: ValidationProblem[] = [];
  const set: DeclaredSet = { providers: [], roles: [], associations: [], secrets: [], clusterOnly: [] };
  const seen = new Map<string, string>();
  for (const document of documents) {
    const location = documentLocation(document);
    const { object } = document;
    const kind = typeof object.kind === 'string' ? object.kind : '';
    const metadata = metadataOf(object.metadata);
    const name = `${kind || '(no kind)'} ${metadata ? objectKey(metadata) : '(no name)'}`;
    const report = (field: string, message: string) => problems.push({ location, object: name, field, message });
    if (!metadata) {
      report('metadata.name', 'Required value');
      continue;
    }
    const identity = `${String(object.apiVersion).split('/')[0]}/${kind} ${objectKey(metadata)}`;
    const earlier = seen.get(identity);
    if (earlier) report('metadata.name', `Duplicate value: the same object is also declared in ${earlier}`);
    seen.set(identity, location);
    if (object.apiVersion === 'v1' && kind === 'Secret') {
      const secret = secretOf(object, metadata, location, report);
      if (secret) set.secrets.push(secret);
      continue;
    }
    if (object.apiVersion === 'v1' && CLUSTER_ONLY_KINDS.has(kind)) {
      set.clusterOnly.push({ kind, name: metadata.name, namespace: metadata.namespace, origin: location });
      continue;
    }
    const association = kind === 'PodIdentityAssociation' && object.apiVersion === ASSOCIATION_API_VERSION;
    if (!association && (!isDeclareApiVersion(object.apiVersion) || (kind !== 'AWSProvider' && kind !== 'IAMRole'))) {
      report(
        'kind',
        `no kind "${kind}" is known in apiVersion "${String(object.apiVersion)}" (rolecall applies AWSProvider and IAMRole of ${DECLARE_API_VERSIONS.join(', ')}, PodIdentityAssociation of ${ASSOCIATION_API_VERSION}, v1 Secret, and skips v1 ServiceAccount)`,
      );
      continue;
    }
    if (association) {
      const schemaProblems = checkAgainstSchema(object, DECLARE_KIND_SCHEMAS.PodIdentityAssociation);
      for (const problem of schemaProblems) report(problem.field, problem.message);
      if (schemaProblems.length > 0) continue;
      const declared = { apiVersion: object.apiVersion, kind, metadata, spec: object.spec, origin: location } as PodIdentityAssociation;
      for (const problem of associationProblems(declared)) report(problem.field, problem.message);
      set.associations.push(declared);
      continue;
    }
    const schemaProblems = checkAgainstSchema(object, DECLARE_KIND_SCHEMAS[kind]);
    for (const problem of schemaProblems) report(problem.field, problem.message);
    if (schemaProblems.length > 0) continue;
    const declared = { apiVersion: object.apiVersion, kind, metadata, spec: object.spec, origin: location };
    if (kind === 'AWSProvider') {
      const provider = declared as AWSProvider;
      for (const problem of providerProblems(provider)) report(problem.field, problem.message);
      set.providers.push(provider);
    } else {
      const role = declared as IAMRole;
      for (const problem of roleProblems(role)) report(problem.field, problem.message);
      set.roles.push(role);
    }
  }
  problems.push(...referenceProblems(set, options.clusterSecrets));
  return problems.length === 0 ? { valid: true, set } : { valid: false, problems };
}

function metadataOf(value: unknown): ObjectMeta | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const raw = value as Record<string, unknown>;
  if (typeof raw.name !== 'string' || raw.name === '') return undefined;
  return {
    name: raw.name,
    namespace: typeof raw.namespace === 'string' && raw.namespace !== '' ? raw.namespace : 'default',
    ...(typeof raw.generation === 'number' ? { generation: raw.generation } : {}),
    ...(typeof raw.uid === 'string' ? { uid: raw.uid } : {}),
    ...(typeof raw.creationTimestamp === 'string' ? { creationTimestamp: raw.creationTimestamp } : {}),
    annotations: stringRecord(raw.annotations),
    labels: stringRecord(raw.labels),
  };
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function secretOf(object: Record<string, unknown>, metadata: ObjectMeta, origin: string, report: (field: string, message: string) => void): DeclaredSecret | undefined {
  const values = new Map<string, SecretValue>();
  const data = object.data ?? {};
  const stringData = object.stringData ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) report('data', 'must be a map of base64 values');
  if (typeof stringData !== 'object' || stringData === null || Array.isArray(stringData)) report('stringData', 'must be a map of strings');
  for (const [key, encoded] of Object.entries(data as Record<string, unknown>)) {
    // The value is never echoed: it may be a key that is merely mis-encoded.
    const decoded = typeof encoded === 'string' ? decodeSecretData(encoded) : undefined;
    if (decoded === undefined) report(`data.${key}`, 'Invalid value: illegal base64 data (value not shown)');
    else values.set(key, new SecretValue(decoded));
  }
  // As in Kubernetes, stringData wins over data for the same key.
  for (const [key, value] of Object.entries(stringData as Record<string, unknown>)) {
    if (typeof value !== 'string') report(`stringData.${key}`, 'must be a string (value not shown)');
    else values.set(key, new SecretValue(value));
  }
  return { name: metadata.name, namespace: metadata.namespace, values, origin };
}

function providerProblems(provider: AWSProvider): FieldProblem[] {
  const { spec } = provider;
  const problems: FieldProblem[] = [];
  if (spec.endpoint !== undefined && !isHttpUrl(spec.endpoint)) problems.push({ field: 'spec.endpoint', message: `Invalid value: "${spec.endpoint}": must be an http or https URL` });
  if (spec.credentialsSecret && (spec.accessKeyIDRef || spec.secretAccessKeyRef))
    problems.push({ field: 'spec.credentialsSecret', message: 'Forbidden: give either credentialsSecret or accessKeyIDRef/secretAccessKeyRef, not both' });
  if (Boolean(spec.accessKeyIDRef) !== Boolean(spec.secretAccessKeyRef)) {
    const missing = spec.accessKeyIDRef ? 'spec.secretAccessKeyRef' : 'spec.accessKeyIDRef';
    problems.push({ field: missing, message: 'Required value: accessKeyIDRef and secretAccessKeyRef go together' });
  }
  if (spec.sessionTokenRef && !spec.accessKeyIDRef) problems.push({ field: 'spec.sessionTokenRef', message: 'Forbidden: a session token goes with accessKeyIDRef/secretAccessKeyRef' });
  if (spec.externalID !== undefined && !spec.assumeRoleARN) problems.push({ field: 'spec.externalID', message: 'Forbidden: externalID is passed when assuming assumeRoleARN, which is not set' });
  problems.push(...tagProblems(spec.defaultTags ?? {}, 'spec.defaultTags'));
  return problems;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function tagProblems(tags: Record<string, string>, field: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const keys = new Map<string, string>();
  for (const [key, value] of Object.entries(tags)) {
    const at = `${field}[${key}]`;
    const earlier = keys.get(key.toLowerCase());
    if (earlier !== undefined) problems.push({ field: at, message: `Duplicate value: IAM tag keys are case-insensitive and "${earlier}" is also given` });
    keys.set(key.toLowerCase(), key);
    if (key.length < 1 || key.length > 128) problems.push({ field: at, message: 'Invalid value: a tag key has 1 to 128 characters' });
    if (!TAG_TEXT.test(key)) problems.push({ field: at, message: 'Invalid value: a tag key may contain letters, digits, spaces and _.:/=+-@ only' });
    if (key.toLowerCase().startsWith('aws:')) problems.push({ field: at, message: 'Forbidden: the aws: prefix is reserved for AWS' });
    if (key === OWNER_TAG_KEY) problems.push({ field: at, message: `Forbidden: ${OWNER_TAG_KEY} is rolecall's ownership tag` });
    if (value.length > 256) problems.push({ field: at, message: 'Too long: a tag value has at most 256 characters' });
    if (!TAG_TEXT.test(value)) problems.push({ field: at, message: 'Invalid value: a tag value may contain letters, digits, spaces and _.:/=+-@ only' });
  }
  return problems;
}

function roleProblems(role: IAMRole): FieldProblem[] {
  const { spec } = role;
  const problems: FieldProblem[] = [];
  const malformed = (field: string, result: ReturnType<typeof validatePolicy>) => {
    if (!result.valid) problems.push({ field, message: `${result.error.code}: ${result.error.message}` });
  };
  malformed('spec.assumeRolePolicyDocument', validatePolicy(spec.assumeRolePolicyDocument, 'trust'));
  const names = new Map<string, string>();
  let aggregate = 0;
  for (const policy of inlinePoliciesOf(role)) {
    // IAM's inline policy names are unique case-insensitively within a role.
    const earlier = names.get(policy.policyName.toLowerCase());
    if (earlier) problems.push({ field: `${policy.field}.policyName`, message: `Duplicate value: "${policy.policyName}" is also declared at ${earlier}` });
    names.set(policy.policyName.toLowerCase(), `${policy.field}.policyName`);
    malformed(`${policy.field}.policyDocument`, validatePolicy(policy.policyDocument, 'identity', { inline: true }));
    aggregate += policySizeWithoutWhitespace(policy.policyDocument);
  }
  if (aggregate > ROLE_INLINE_QUOTA)
    problems.push({ field: 'spec.inlinePolicies', message: `LimitExceeded: Maximum policy size of ${ROLE_INLINE_QUOTA} bytes exceeded for role ${spec.roleName}` });
  problems.push(...tagProblems(spec.tags ?? {}, 'spec.tags'));
  const adopt = role.metadata.annotations[ADOPT_ANNOTATION];
  if (adopt !== undefined && adopt !== 'true' && adopt !== 'false')
    problems.push({ field: `metadata.annotations[${ADOPT_ANNOTATION}]`, message: `Unsupported value: "${adopt}": supported values: "true", "false"` });
  return problems;
}

function associationProblems(association: PodIdentityAssociation): FieldProblem[] {
  const { spec } = association;
  const problems: FieldProblem[] = [];
  if ((spec.roleArn === undefined) === (spec.roleName === undefined))
    problems.push({ field: 'spec.roleArn', message: 'Required value: give exactly one of roleArn and roleName' });
  if (spec.targetRoleArn !== undefined && spec.targetRoleArn === spec.roleArn)
    problems.push({ field: 'spec.targetRoleArn', message: 'Invalid value: the targetRoleArn must be a different role than the roleArn' });
  problems.push(...tagProblems(spec.tags ?? {}, 'spec.tags'));
  const adopt = association.metadata.annotations[ADOPT_ANNOTATION];
  if (adopt !== undefined && adopt !== 'true' && adopt !== 'false')
    problems.push({ field: `metadata.annotations[${ADOPT_ANNOTATION}]`, message: `Unsupported value: "${adopt}": supported values: "true", "false"` });
  return problems;
}

function referenceProblems(set: DeclaredSet, clusterSecrets: SecretLookup | undefined): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const fileSecrets = secretsOf(set.secrets);
  const lookup: SecretLookup = (namespace, name) => fileSecrets(namespace, name) ?? clusterSecrets?.(namespace, name);
  const providers = new Map(set.providers.map((provider) => [objectKey(provider.metadata), provider]));
  for (const provider of set.providers) {
    const at = (field: string, message: string) => problems.push({ location: provider.origin, object: `AWSProvider ${objectKey(provider.metadata)}`, field, message });
    const { spec } = provider;
    const refs: Array<[string, { name: string; namespace?: string }, string[]]> = [];
    if (spec.credentialsSecret) refs.push(['spec.credentialsSecret', spec.credentialsSecret, ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']]);
    for (const field of ['accessKeyIDRef', 'secretAccessKeyRef', 'sessionTokenRef'] as const) {
      const ref = spec[field];
      if (ref) refs.push([`spec.${field}`, ref, [ref.key]]);
    }
    for (const [field, ref, keys] of refs) {
      const namespace = ref.namespace ?? provider.metadata.namespace;
      const secret = lookup(namespace, ref.name);
      if (!secret) {
        at(`${field}.name`, `Not found: Secret ${namespace}/${ref.name} is not among the applied manifests`);
        continue;
      }
      for (const key of keys) if (!secret.values.has(key)) at(field, `Not found: Secret ${namespace}/${ref.name} has no key "${key}"`);
    }
  }
  const roleNames = new Map<string, IAMRole>();
  for (const role of set.roles) {
    const at = (field: string, message: string) => problems.push({ location: role.origin, object: `IAMRole ${objectKey(role.metadata)}`, field, message });
    const providerKey = `${role.spec.providerRef.namespace ?? role.metadata.namespace}/${role.spec.providerRef.name}`;
    const provider = providers.get(providerKey);
    if (!provider) {
      at('spec.providerRef.name', `Not found: AWSProvider ${providerKey} is not among the applied manifests`);
      continue;
    }
    const tagCount = Object.keys(mergedTags(provider.spec.defaultTags ?? {}, role.spec.tags ?? {}, '')).length;
    if (tagCount > MAX_TAGS) at('spec.tags', `Too many: ${tagCount} tags with the provider's defaultTags and the ownership tag: IAM allows ${MAX_TAGS}`);
    // Two objects of one set declaring the same role would fight over it on every apply.
    const sameRole = `${providerKey} ${role.spec.roleName.toLowerCase()}`;
    const other = roleNames.get(sameRole);
    if (other) at('spec.roleName', `Duplicate value: "${role.spec.roleName}" is also declared by IAMRole ${objectKey(other.metadata)} (${other.origin}) through the same provider`);
    else roleNames.set(sameRole, role);
  }
  const serviceAccounts = new Map<string, PodIdentityAssociation>();
  for (const association of set.associations) {
    const at = (field: string, message: string) => problems.push({ location: association.origin, object: `PodIdentityAssociation ${objectKey(association.metadata)}`, field, message });
    const { spec } = association;
    const providerKey = `${spec.providerRef.namespace ?? association.metadata.namespace}/${spec.providerRef.name}`;
    if (!providers.has(providerKey)) {
      at('spec.providerRef.name', `Not found: AWSProvider ${providerKey} is not among the applied manifests`);
      continue;
    }
    // EKS allows one association per service account and cluster: two objects would replace each other.
    const sameAccount = `${providerKey} ${spec.clusterName} ${spec.namespace}/${spec.serviceAccount}`;
    const other = serviceAccounts.get(sameAccount);
    if (other) at('spec.serviceAccount', `Duplicate value: ${spec.namespace}/${spec.serviceAccount} of cluster ${spec.clusterName} is also associated by PodIdentityAssociation ${objectKey(other.metadata)} (${other.origin})`);
    else serviceAccounts.set(sameAccount, association);
  }
  return problems;
}

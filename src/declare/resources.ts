/** The typed objects `rolecall apply` works with, after validation.ts has checked a manifest. */

/** metadata of a declared object. */
export interface ObjectMeta {
  name: string;
  /** `default` when the manifest names none, as kubectl applies it. */
  namespace: string;
  generation?: number;
  uid?: string;
  creationTimestamp?: string;
  annotations: Record<string, string>;
  labels: Record<string, string>;
}

export interface ObjectReference {
  name: string;
  namespace?: string;
}

export interface SecretKeyReference {
  name: string;
  namespace?: string;
  key: string;
}

export interface AWSProviderSpec {
  region: string;
  endpoint?: string;
  roleARN?: string;
  credentialsSecret?: ObjectReference;
  accessKeyIDRef?: SecretKeyReference;
  secretAccessKeyRef?: SecretKeyReference;
  sessionTokenRef?: SecretKeyReference;
  assumeRoleARN?: string;
  externalID?: string;
  defaultTags?: Record<string, string>;
}

export interface InlinePolicySpec {
  policyName: string;
  policyDocument: string;
}

export type DeletionPolicy = 'Delete' | 'Retain' | 'Orphan';

export interface IAMRoleSpec {
  providerRef: ObjectReference;
  roleName: string;
  description?: string;
  path?: string;
  maxSessionDuration?: number;
  assumeRolePolicyDocument: string;
  managedPolicyArns?: string[];
  inlinePolicy?: InlinePolicySpec;
  inlinePolicies?: InlinePolicySpec[];
  permissionsBoundary?: string;
  tags?: Record<string, string>;
  deletionPolicy?: DeletionPolicy;
}

export interface PodIdentityAssociationSpec {
  providerRef: ObjectReference;
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn?: string;
  roleName?: string;
  targetRoleArn?: string;
  disableSessionTags?: boolean;
  tags?: Record<string, string>;
  deletionPolicy?: DeletionPolicy;
}

/** A Kubernetes condition as the IAMRole and AWSProvider status carry it. */
export interface Condition {
  type: 'Ready' | 'Synced';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface IAMRoleStatus {
  roleArn?: string;
  roleId?: string;
  createDate?: string;
  ready: boolean;
  message: string;
  observedGeneration?: number;
  lastSyncTime: string;
  conditions: Condition[];
}

export interface PodIdentityAssociationStatus {
  associationArn?: string;
  associationId?: string;
  roleArn?: string;
  createdAt?: string;
  ready: boolean;
  message: string;
  observedGeneration?: number;
  lastSyncTime: string;
  conditions: Condition[];
}

export interface AWSProviderStatus {
  ready: boolean;
  accountID?: string;
  callerIdentity?: string;
  lastAuthenticationTime?: string;
  observedGeneration?: number;
  conditions: Condition[];
}

/** A validated object of one of the declare kinds, with where it was declared. */
export interface DeclaredObject<Kind extends string, Spec> {
  apiVersion: string;
  kind: Kind;
  metadata: ObjectMeta;
  spec: Spec;
  /** `file (document N)`, or the Kubernetes object's own name when it comes from a cluster. */
  origin: string;
}

export type AWSProvider = DeclaredObject<'AWSProvider', AWSProviderSpec>;
export type IAMRole = DeclaredObject<'IAMRole', IAMRoleSpec>;
export type PodIdentityAssociation = DeclaredObject<'PodIdentityAssociation', PodIdentityAssociationSpec>;

/** `namespace/name`, the identity of a namespaced object. */
export function objectKey(metadata: { name: string; namespace: string }): string {
  return `${metadata.namespace}/${metadata.name}`;
}

/** `IAMRole default/name`: how messages name an object. */
export function describeObject(object: { kind: string; metadata: { name: string; namespace: string } }): string {
  return `${object.kind} ${objectKey(object.metadata)}`;
}

/**
 * The declare layer's public API, used by the `rolecall` commands (apply, diff, get, describe, delete),
 * by blueprints (which render IAMRole manifests) and by the operator (whose reconcile is this one).
 *
 * Typical use: loadManifests → expandDocuments → validateManifests → applySet (or, per object,
 * desiredRoleOf + connectProvider + reconcileRole / deleteDesiredRole).
 */
export { SEED_GROUP, ROLECALL_GROUP, API_VERSION, DECLARE_API_VERSIONS, isDeclareApiVersion } from './api-groups.js';
export { loadManifests, parseManifestText, documentLocation, ManifestError, type ManifestDocument, type LoadOptions } from './manifests.js';
export { EXPANDING_KINDS, expandDocuments, type ExpandingKind, type ExpansionContext } from './kinds.js';
export { inlinePoliciesOf, mergedTags } from './role-spec.js';
export { validateManifests, formatProblem, ASSOCIATION_API_VERSION, type DeclaredSet, type ClusterOnlyObject, type ValidationProblem, type ValidationResult } from './validation.js';
export {
  DECLARE_KIND_SCHEMAS,
  IAM_ROLE_SPEC,
  IAM_ROLE_STATUS,
  AWS_PROVIDER_SPEC,
  AWS_PROVIDER_STATUS,
  POD_IDENTITY_ASSOCIATION_SPEC,
  POD_IDENTITY_ASSOCIATION_STATUS,
  type OpenApiSchema,
} from './schema.js';
export { checkAgainstSchema, type FieldProblem } from './schema-validation.js';
export * from './resources.js';
export { SecretValue, secretsOf, type DeclaredSecret, type SecretLookup } from './secrets.js';
export { OWNER_TAG_KEY, ADOPT_ANNOTATION, ownerOf, mayAdopt } from './ownership.js';
export { desiredRoleOf, type DesiredRole } from './desired-role.js';
export { connectProvider, providerStatus, type ConnectOptions, type ProviderConnection } from './providers.js';
export { reconcileRole, deleteDesiredRole, pruneOwnedRole, type ReconcileOptions, type RoleReconcileResult, type ReconcileOutcome, type RoleDeleteResult, type DeleteOutcome } from './reconcile.js';
export { roleStatus } from './role-status.js';
export type { RoleAction } from './role-plan.js';
export type { ApiCall, CallFailure } from './recording-client.js';
export { policiesEquivalent, decodeIamPolicy } from './policy-equivalence.js';
export {
  applySet,
  deleteSet,
  deleteAssociationSet,
  connectProviders,
  type ApplyOptions,
  type ApplyReport,
  type RoleReport,
  type PruneReport,
  type RunSummary,
  type DeleteReport,
  type RunOptions,
  type AssociationReport,
  type AssociationPruneReport,
  type AssociationDeleteReport,
} from './apply-set.js';
export {
  reconcileAssociation,
  deleteDesiredAssociation,
  desiredAssociationOf,
  describeAssociation,
  associationStatus,
  associationKeyOf,
  findAssociationByFilter,
  type DesiredAssociation,
  type ObservedAssociation,
  type AssociationAction,
  type AssociationReconcileResult,
  type AssociationDeleteResult,
  type AssociationReconcileOptions,
} from './association-reconcile.js';
export { desiredView, liveView, type RoleView } from './role-view.js';
export { customResourceDefinition, allCustomResourceDefinitions, type DeclareKind } from './crd.js';
export type { ObservedRole, RoleSettings } from './observed-role.js';

/**
 * The API groups and kinds `rolecall apply` and the operator understand. The seed's group
 * (infra-operator's) and Rolecall's own carry the same schema, so a manifest moves between them by
 * changing its apiVersion only.
 */

/** infra-operator's group, as seed 001 writes its manifests. */
export const SEED_GROUP = 'aws-infra-operator.runner.codes';
/** Rolecall's own group. */
export const ROLECALL_GROUP = 'rolecall.dev';
export const API_VERSION = 'v1alpha1';

export const DECLARE_GROUPS = [SEED_GROUP, ROLECALL_GROUP] as const;
export type DeclareGroup = (typeof DECLARE_GROUPS)[number];

/** `group/version` strings accepted for AWSProvider and IAMRole. */
export const DECLARE_API_VERSIONS: readonly string[] = DECLARE_GROUPS.map((group) => `${group}/${API_VERSION}`);

/** Whether an apiVersion names one of the declare groups. */
export function isDeclareApiVersion(apiVersion: unknown): apiVersion is string {
  return typeof apiVersion === 'string' && DECLARE_API_VERSIONS.includes(apiVersion);
}

/**
 * Where a ServiceAccount's role comes from besides its own annotations, as amazon-eks-pod-identity-webhook
 * finds it (reference/irsa.md §1.7, §1.8, §1.1):
 * - `--watch-config-map`: the ConfigMap `pod-identity-webhook` (key `config`, a JSON object keyed
 *   `"<namespace>/<name>"` or `"*\/<name>"` with `RoleARN`, `Audience`, `UseRegionalSTS`, `TokenExpiration`);
 * - `--compose-role-arn`: a role-arn that is not an ARN names a role of the webhook's own account.
 * Lookup order: the ServiceAccount's annotations when they name a role, then the ConfigMap entry of its
 * namespace, then the `*` entry (a literal `*`, not a glob). An entry stands for the annotations it would
 * be, so the mutation itself is the one function for every source.
 */
import { isRecord, type ServiceAccountSource } from './service-accounts.js';

/** One entry of the ConfigMap's `config` (the Go webhook's field names). */
export interface RoleMapping {
  RoleARN: string;
  Audience?: string;
  UseRegionalSTS?: boolean;
  TokenExpiration?: number;
}

/** The name and key the Go webhook reads. */
export const ROLE_MAPPINGS_CONFIG_MAP = 'pod-identity-webhook';
export const ROLE_MAPPINGS_KEY = 'config';

/** The entries of the ConfigMap's `config` text; throws on text that is not a JSON object of entries. */
export function parseRoleMappings(text: string): Map<string, RoleMapping> {
  const parsed: unknown = JSON.parse(text);
  if (!isRecord(parsed)) throw new Error('the config key must hold a JSON object keyed "<namespace>/<service account>"');
  const mappings = new Map<string, RoleMapping>();
  for (const [key, value] of Object.entries(parsed)) {
    if (!isRecord(value) || typeof value['RoleARN'] !== 'string') throw new Error(`entry ${JSON.stringify(key)} needs a RoleARN string`);
    const { RoleARN, Audience, UseRegionalSTS, TokenExpiration } = value;
    if (Audience !== undefined && typeof Audience !== 'string') throw new Error(`entry ${JSON.stringify(key)}: Audience must be a string`);
    if (UseRegionalSTS !== undefined && typeof UseRegionalSTS !== 'boolean') throw new Error(`entry ${JSON.stringify(key)}: UseRegionalSTS must be true or false`);
    if (TokenExpiration !== undefined && !Number.isSafeInteger(TokenExpiration)) throw new Error(`entry ${JSON.stringify(key)}: TokenExpiration must be an integer`);
    mappings.set(key, {
      RoleARN,
      ...(Audience !== undefined ? { Audience } : {}),
      ...(UseRegionalSTS !== undefined ? { UseRegionalSTS } : {}),
      ...(TokenExpiration !== undefined ? { TokenExpiration: TokenExpiration as number } : {}),
    });
  }
  return mappings;
}

/**
 * The annotations an entry stands for. `TokenExpiration: 0` (or none) leaves the flag's default, as in
 * the Go webhook; an empty Audience too (the Go webhook would project a token without audience, which the
 * API server then gives its own audiences — never what a role trusts).
 */
export function mappingAnnotations(mapping: RoleMapping, prefix: string): Record<string, string> {
  const annotations: Record<string, string> = { [`${prefix}/role-arn`]: mapping.RoleARN };
  if (mapping.Audience) annotations[`${prefix}/audience`] = mapping.Audience;
  if (mapping.UseRegionalSTS !== undefined) annotations[`${prefix}/sts-regional-endpoints`] = String(mapping.UseRegionalSTS);
  if (mapping.TokenExpiration) annotations[`${prefix}/token-expiration`] = String(mapping.TokenExpiration);
  return annotations;
}

/** The partition of a region, by its prefix (partitions.json's regionRegex). */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

/** Where `--compose-role-arn` puts a bare role name. */
export interface RoleArnComposition {
  partition: string;
  accountId: string;
}

/** `arn:<partition>:iam::<account>:role/<value>` for a value that is not already an ARN. */
export function composeRoleArn(value: string, composition: RoleArnComposition): string {
  return value === '' || value.startsWith('arn:') ? value : `arn:${composition.partition}:iam::${composition.accountId}:role/${value}`;
}

/** What a role mapping source offers: the current entries (replaced whenever the ConfigMap changes). */
export interface RoleMappingSource {
  current(): ReadonlyMap<string, RoleMapping>;
  close(): Promise<void>;
}

/** ServiceAccounts with the webhook's lookup order over annotations and ConfigMap entries, and role-ARN composition. */
export class MappedServiceAccounts implements ServiceAccountSource {
  constructor(
    private readonly serviceAccounts: ServiceAccountSource,
    private readonly options: { prefix: string; mappings?: RoleMappingSource; composition?: RoleArnComposition },
  ) {}

  async annotations(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    const roleKey = `${this.options.prefix}/role-arn`;
    const own = await this.serviceAccounts.annotations(namespace, name);
    // A ServiceAccount without a role still falls through to the ConfigMap (irsa.md §1.7).
    let found = own;
    if (!own?.[roleKey]) {
      const entries = this.options.mappings?.current();
      const mapping = entries?.get(`${namespace}/${name}`) ?? entries?.get(`*/${name}`);
      if (mapping) found = mappingAnnotations(mapping, this.options.prefix);
    }
    const composition = this.options.composition;
    if (!found?.[roleKey] || !composition) return found;
    return { ...found, [roleKey]: composeRoleArn(found[roleKey], composition) };
  }

  async close(): Promise<void> {
    await Promise.all([this.serviceAccounts.close(), this.options.mappings?.close()]);
  }
}

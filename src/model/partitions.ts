/**
 * AWS partitions: the separate clouds an account lives in, each with its own regions, ARN prefix and
 * DNS suffix (aws for the commercial Regions, aws-cn for China, aws-us-gov for GovCloud, the isolated
 * aws-iso* clouds and the European Sovereign Cloud). The table follows the AWS SDKs' partition data
 * (`partitions.json`): the region-name pattern decides the partition, an unknown region falls in `aws`,
 * and each partition's global services (IAM) sign for one region of its own.
 */

export interface Partition {
  /** The ARN partition (`arn:PARTITION:...`). */
  id: string;
  /** The domain its endpoints live under (`sts.cn-north-1.amazonaws.com.cn`). */
  dnsSuffix: string;
  /** The domain of its dual-stack endpoints (`eks-auth.cn-north-1.api.amazonwebservices.com.cn`). */
  dualStackDnsSuffix: string;
  /** The region IAM, a global service, signs for and acts in. */
  iamRegion: string;
  /** Region names of this partition. */
  regionPattern: RegExp;
}

/** The default partition: where an unrecognised region falls, and the partition of existing data. */
export const DEFAULT_PARTITION = 'aws';

// Most specific patterns first: `us-gov-west-1` and `us-iso-east-1` must not read as commercial regions.
const PARTITIONS: readonly Partition[] = [
  { id: 'aws-us-gov', dnsSuffix: 'amazonaws.com', dualStackDnsSuffix: 'api.aws', iamRegion: 'us-gov-west-1', regionPattern: /^us-gov-\w+-\d+$/ },
  { id: 'aws-iso', dnsSuffix: 'c2s.ic.gov', dualStackDnsSuffix: 'api.aws.ic.gov', iamRegion: 'us-iso-east-1', regionPattern: /^us-iso-\w+-\d+$/ },
  { id: 'aws-iso-b', dnsSuffix: 'sc2s.sgov.gov', dualStackDnsSuffix: 'api.aws.scloud', iamRegion: 'us-isob-east-1', regionPattern: /^us-isob-\w+-\d+$/ },
  { id: 'aws-iso-e', dnsSuffix: 'cloud.adc-e.uk', dualStackDnsSuffix: 'api.cloud-aws.adc-e.uk', iamRegion: 'eu-isoe-west-1', regionPattern: /^eu-isoe-\w+-\d+$/ },
  { id: 'aws-iso-f', dnsSuffix: 'csp.hci.ic.gov', dualStackDnsSuffix: 'api.aws.hci.ic.gov', iamRegion: 'us-isof-south-1', regionPattern: /^us-isof-\w+-\d+$/ },
  { id: 'aws-eusc', dnsSuffix: 'amazonaws.eu', dualStackDnsSuffix: 'api.amazonwebservices.eu', iamRegion: 'eusc-de-east-1', regionPattern: /^eusc-de-\w+-\d+$/ },
  { id: 'aws-cn', dnsSuffix: 'amazonaws.com.cn', dualStackDnsSuffix: 'api.amazonwebservices.com.cn', iamRegion: 'cn-north-1', regionPattern: /^cn-\w+-\d+$/ },
  { id: 'aws', dnsSuffix: 'amazonaws.com', dualStackDnsSuffix: 'api.aws', iamRegion: 'us-east-1', regionPattern: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/ },
];

const BY_ID: ReadonlyMap<string, Partition> = new Map(PARTITIONS.map((p) => [p.id, p]));

/** Every partition id, for validating ARNs and settings. */
export const PARTITION_IDS: readonly string[] = PARTITIONS.map((p) => p.id);

/** The partition a region belongs to; a region AWS does not know (a test's `local`) is in `aws`. */
export function partitionOfRegion(region: string): Partition {
  // Region names are short; the patterns are anchored and linear.
  if (region.length <= 64) {
    for (const partition of PARTITIONS) if (partition.regionPattern.test(region)) return partition;
  }
  return BY_ID.get(DEFAULT_PARTITION)!;
}

/** The partition with this id, or undefined when AWS has none by that name. */
export function partitionById(id: string): Partition | undefined {
  return BY_ID.get(id);
}

/** The partition an ARN names (`arn:aws-cn:...` → `aws-cn`), or undefined when it is not an ARN. */
export function partitionOfArn(arn: string): string | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const end = arn.indexOf(':', 4);
  return end < 0 ? undefined : arn.slice(4, end);
}

/**
 * The region an IAM call acts in: IAM is global within its partition, so whatever region signed the
 * call, it acts in the partition's IAM region (us-east-1, cn-north-1, us-gov-west-1, ...).
 */
export function iamRegionFor(signedRegion: string): string {
  return partitionOfRegion(signedRegion).iamRegion;
}

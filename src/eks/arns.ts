/**
 * EKS ARNs (list_amazonelastickubernetesservice.html, resource types `cluster` and `podidentityassociation`).
 * EKS is regional: the region in the ARN decides its partition (`arn:aws-cn:eks:cn-north-1:...`).
 */
import { PARTITION_PATTERN } from '../model/arns.js';
import { partitionOfRegion } from '../model/partitions.js';

const prefix = (region: string, account: string): string => `arn:${partitionOfRegion(region).id}:eks:${region}:${account}`;

export const clusterArn = (region: string, account: string, name: string): string => `${prefix(region, account)}:cluster/${name}`;

export const podIdentityAssociationArn = (region: string, account: string, clusterName: string, associationId: string): string =>
  `${prefix(region, account)}:podidentityassociation/${clusterName}/${associationId}`;

/** The parts of an EKS resource ARN this server knows, or undefined for anything else. */
export type ParsedEksArn =
  | { type: 'cluster'; region: string; account: string; clusterName: string }
  | { type: 'podidentityassociation'; region: string; account: string; clusterName: string; associationId: string };

const CLUSTER_ARN = new RegExp(`^arn:${PARTITION_PATTERN}:eks:([a-z0-9-]+):(\\d{12}):cluster\\/([0-9A-Za-z][A-Za-z0-9_-]*)$`);
const ASSOCIATION_ARN = new RegExp(
  `^arn:${PARTITION_PATTERN}:eks:([a-z0-9-]+):(\\d{12}):podidentityassociation\\/([0-9A-Za-z][A-Za-z0-9_-]*)\\/(a-[0-9a-z]{17})$`,
);

/** An EKS ARN's parts; undefined when it is not one, or names a partition its region is not in. */
export function parseEksArn(arn: string): ParsedEksArn | undefined {
  const cluster = CLUSTER_ARN.exec(arn);
  if (cluster && partitionOfRegion(cluster[2]!).id === cluster[1]) return { type: 'cluster', region: cluster[2]!, account: cluster[3]!, clusterName: cluster[4]! };
  const association = ASSOCIATION_ARN.exec(arn);
  if (association && partitionOfRegion(association[2]!).id === association[1]) {
    return { type: 'podidentityassociation', region: association[2]!, account: association[3]!, clusterName: association[4]!, associationId: association[5]! };
  }
  return undefined;
}

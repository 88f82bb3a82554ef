/** EKS ARNs (list_amazonelastickubernetesservice.html, resource types `cluster` and `podidentityassociation`). */
import { PARTITION } from '../model/arns.js';

export const clusterArn = (region: string, account: string, name: string): string => `arn:${PARTITION}:eks:${region}:${account}:cluster/${name}`;

export const podIdentityAssociationArn = (region: string, account: string, clusterName: string, associationId: string): string =>
  `arn:${PARTITION}:eks:${region}:${account}:podidentityassociation/${clusterName}/${associationId}`;

/** The parts of an EKS resource ARN this server knows, or undefined for anything else. */
export type ParsedEksArn =
  | { type: 'cluster'; region: string; account: string; clusterName: string }
  | { type: 'podidentityassociation'; region: string; account: string; clusterName: string; associationId: string };

export function parseEksArn(arn: string): ParsedEksArn | undefined {
  const cluster = /^arn:aws:eks:([a-z0-9-]+):(\d{12}):cluster\/([0-9A-Za-z][A-Za-z0-9_-]*)$/.exec(arn);
  if (cluster) return { type: 'cluster', region: cluster[1]!, account: cluster[2]!, clusterName: cluster[3]! };
  const association = /^arn:aws:eks:([a-z0-9-]+):(\d{12}):podidentityassociation\/([0-9A-Za-z][A-Za-z0-9_-]*)\/(a-[0-9a-z]{17})$/.exec(arn);
  if (association) {
    return { type: 'podidentityassociation', region: association[1]!, account: association[2]!, clusterName: association[3]!, associationId: association[4]! };
  }
  return undefined;
}

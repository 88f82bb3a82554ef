/** The EKS and EKS Auth operations this server serves. */
import type { AnyOperation } from '../iam/operation.js';
import { createCluster, deleteCluster, describeCluster, listClusters, createClusterIssuer } from './clusters.js';
import { createServiceAccountToken } from './service-account-tokens.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';

export const EKS_OPERATIONS: readonly AnyOperation[] = [
  createCluster,
  createClusterIssuer,
  describeCluster,
  listClusters,
  deleteCluster,
  tagResource,
  untagResource,
  listTagsForResource,
  createServiceAccountToken,
];

export const EKS_AUTH_OPERATIONS: readonly AnyOperation[] = [];

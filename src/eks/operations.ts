/** The EKS and EKS Auth operations this server serves. */
import type { AnyOperation } from '../iam/operation.js';
import { createCluster, deleteCluster, describeCluster, listClusters, registerClusterIssuer } from './clusters.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';

export const EKS_OPERATIONS: readonly AnyOperation[] = [
  createCluster,
  registerClusterIssuer,
  describeCluster,
  listClusters,
  deleteCluster,
  tagResource,
  untagResource,
  listTagsForResource,
];

export const EKS_AUTH_OPERATIONS: readonly AnyOperation[] = [];

/** The EKS and EKS Auth operations this server serves. */
import type { AnyOperation } from '../iam/operation.js';
import { assumeRoleForPodIdentity } from './assume-role-for-pod-identity.js';
import { createCluster, deleteCluster, describeCluster, listClusters, createClusterIssuer } from './clusters.js';
import {
  createPodIdentityAssociation, deletePodIdentityAssociation, describePodIdentityAssociation, listPodIdentityAssociations, updatePodIdentityAssociation,
} from './pod-identity-associations.js';
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
  createPodIdentityAssociation,
  describePodIdentityAssociation,
  updatePodIdentityAssociation,
  deletePodIdentityAssociation,
  listPodIdentityAssociations,
];

export const EKS_AUTH_OPERATIONS: readonly AnyOperation[] = [assumeRoleForPodIdentity];

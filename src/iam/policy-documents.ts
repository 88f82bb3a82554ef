/** The current document of a managed policy, customer or AWS managed, by ARN. */
import type { ManagedPolicy } from '../model/entities.js';
import type { StoreReader } from '../store/types.js';
import { getAwsManagedPolicy, isAwsManagedPolicyArn } from './aws-managed-policies.js';
import { findCustomerPolicy } from './lookup.js';

function defaultVersionDocument(policy: ManagedPolicy): string | undefined {
  return policy.Versions.find((v) => v.VersionId === policy.DefaultVersionId)?.Document;
}

/** The default version's document of a managed policy; undefined when there is no such policy. */
export async function managedPolicyDocument(store: StoreReader, account: string, arn: string): Promise<string | undefined> {
  if (isAwsManagedPolicyArn(arn)) return getAwsManagedPolicy(arn)?.Document;
  const policy = await findCustomerPolicy(store, account, arn);
  return policy ? defaultVersionDocument(policy) : undefined;
}

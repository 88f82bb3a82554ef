/**
 * What an Organizations call must be allowed to do (list_awsorganizations.html): `organizations:<Op>` on
 * the resources the operation names — the root, OU, account or policy ARNs, in the management account's
 * namespace — and `organizations:PolicyType` for policy operations. Operations without a resource type,
 * and calls from accounts in no organization (whose ARNs cannot be formed), are authorized on `*`.
 */
import type { AuthorizationTarget, OperationContext } from '../iam/operation.js';
import type { ContextValue } from '../policy/types.js';
import { accountArn, organizationalUnitArn, policyArn, rootArn, scopeOf } from './arns.js';
import { idKind } from './ids.js';
import { managedOrganizationPolicy, managedPolicyArn } from './managed-policies.js';
import { getCustomerPolicy, membershipOf, type OrganizationRecord } from './records.js';

/** The organization of the caller's account, read for building resource ARNs. */
export function callerOrganization(context: OperationContext): Promise<OrganizationRecord | undefined> {
  return context.store.read(async (reader) => (await membershipOf(reader, context.accountId))?.organization);
}

/** The ARN of a root, OU or account id in the organization (`*` outside one or for a malformed id). */
export function nodeArn(organization: OrganizationRecord | undefined, id: string): string {
  if (!organization) return '*';
  const management = scopeOf(organization);
  switch (idKind(id)) {
    case 'root':
      return rootArn(management, organization.Id, id);
    case 'organizationalUnit':
      return organizationalUnitArn(management, organization.Id, id);
    case 'account':
      return accountArn(management, organization.Id, id);
    default:
      return '*';
  }
}

/** The policy's ARN and type; a policy that does not exist is named as an SCP (execute then rejects it). */
export async function policyResource(
  context: OperationContext,
  organization: OrganizationRecord | undefined,
  policyId: string,
): Promise<{ arn: string; type: string }> {
  const managed = managedOrganizationPolicy(policyId);
  if (managed) return { arn: organization ? managedPolicyArn(managed, scopeOf(organization).partition) : '*', type: managed.Type };
  if (!organization) return { arn: '*', type: 'SERVICE_CONTROL_POLICY' };
  const stored = await context.store.read((reader) => getCustomerPolicy(reader, organization.Id, policyId));
  const type = stored?.Type ?? 'SERVICE_CONTROL_POLICY';
  return { arn: policyArn(scopeOf(organization), organization.Id, type, policyId), type };
}

/** One `organizations:<operation>` permission on a resource. */
export function organizationsTarget(operation: string, resource: string, context?: Record<string, ContextValue>): AuthorizationTarget {
  return { action: `organizations:${operation}`, resource, ...(context ? { context } : {}) };
}

/** `organizations:PolicyType` for the request context. */
export function policyTypeContext(type: string): Record<string, ContextValue> {
  return { 'organizations:PolicyType': type };
}

/** An operation authorized on the one root, OU or account its input names. */
export function authorizeOn<Input>(operation: string, idOf: (input: Input) => string, contextOf?: (input: Input) => Record<string, ContextValue>) {
  return async (context: OperationContext, input: Input): Promise<AuthorizationTarget[]> => [
    organizationsTarget(operation, nodeArn(await callerOrganization(context), idOf(input)), contextOf?.(input)),
  ];
}

/**
 * The trust decision for a role an AWS service assumes on someone's behalf (EKS Pod Identity's
 * `pods.eks.amazonaws.com`, the EKS cluster role's `eks.amazonaws.com`): the role's trust policy,
 * evaluated by the policy engine with the service principal as the principal, for every action the
 * service needs (`sts:AssumeRole`, and `sts:TagSession` when it sets session tags), with the session's
 * tags as aws:RequestTag keys (id_roles_create_for-service.html; pod-id-role.html).
 */
import type { OperationContext } from '../iam/operation.js';
import { requestTagContext } from '../iam/tags.js';
import type { Role, Tag } from '../model/entities.js';
import { evaluate, type ContextValue } from '../policy/index.js';
import { trustBaseContext } from './web-identity-trust.js';

export interface ServiceTrustRequest {
  /** The service principal, e.g. `pods.eks.amazonaws.com`. */
  servicePrincipal: string;
  actions: readonly string[];
  sessionName?: string;
  /** Session tags the service sets (aws:RequestTag/K, aws:TagKeys). */
  tags?: readonly Tag[];
  transitiveTagKeys?: readonly string[];
}

/** Whether the role's trust policy allows the service every action it asks for. */
export function serviceMayAssumeRole(context: OperationContext, role: Role, request: ServiceTrustRequest): boolean {
  const keys: Record<string, ContextValue> = { ...trustBaseContext(context, role), ...requestTagContext(request.tags) };
  if (request.sessionName !== undefined) keys['sts:RoleSessionName'] = request.sessionName;
  if (request.transitiveTagKeys?.length) keys['sts:TransitiveTagKeys'] = [...request.transitiveTagKeys];
  const trustPolicy = { name: `${role.Arn} trust policy`, document: role.AssumeRolePolicyDocument };
  return request.actions.every(
    (action) =>
      evaluate({
        request: { principal: request.servicePrincipal, action, resource: role.Arn, resourceAccount: role.AccountId, context: keys },
        resourcePolicy: trustPolicy,
        resourcePolicyKind: 'trust',
      }).decision === 'Allow',
  );
}

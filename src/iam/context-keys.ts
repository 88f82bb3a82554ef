/**
 * The context keys a simulation needs (API_GetContextKeysForCustomPolicy.html,
 * API_GetContextKeysForPrincipalPolicy.html): the condition keys and policy variables of policies given
 * as strings, or of a user's, group's or role's policies — the same policies SimulatePrincipalPolicy
 * evaluates, read through simulate.ts. Where Rolecall chose for AWS: docs/iam-api.md.
 */
import { referencedContextKeys } from '../policy/index.js';
import { defineOperation, type AnyOperation } from './operation.js';
import { inputPolicies, loadSource, parseSourceArn } from './simulate.js';

export interface GetContextKeysForCustomPolicyInput {
  PolicyInputList: string[];
}

export interface GetContextKeysForPrincipalPolicyInput {
  PolicySourceArn: string;
  PolicyInputList?: string[];
}

export interface GetContextKeysForPolicyOutput {
  ContextKeyNames: string[];
}

/** GetContextKeysForCustomPolicy: the keys of the policies given, which must be valid identity policies. */
export const getContextKeysForCustomPolicy = defineOperation<GetContextKeysForCustomPolicyInput, GetContextKeysForPolicyOutput>({
  service: 'iam',
  name: 'GetContextKeysForCustomPolicy',
  authorize: () => [{ action: 'iam:GetContextKeysForCustomPolicy', resource: '*' }],
  async execute(_context, input) {
    const policies = inputPolicies(input.PolicyInputList);
    return { ContextKeyNames: referencedContextKeys(policies.map((policy) => policy.compiled.body.document)) };
  },
});

/**
 * GetContextKeysForPrincipalPolicy: the keys of the entity's inline and attached policies (a user's groups'
 * too), then of any policies given. Permissions boundaries are not among them: the operation reads the
 * identity-based policies attached to the entity.
 */
export const getContextKeysForPrincipalPolicy = defineOperation<GetContextKeysForPrincipalPolicyInput, GetContextKeysForPolicyOutput>({
  service: 'iam',
  name: 'GetContextKeysForPrincipalPolicy',
  authorize: (_context, input) => [{ action: 'iam:GetContextKeysForPrincipalPolicy', resource: input.PolicySourceArn ?? '*' }],
  async execute(context, input) {
    const source = parseSourceArn(input.PolicySourceArn, context.accountId);
    const entity = await context.store.read((reader) => loadSource(reader, context.accountId, source));
    const documents = [...entity.policies, ...inputPolicies(input.PolicyInputList)].map((policy) => policy.compiled.body.document);
    return { ContextKeyNames: referencedContextKeys(documents) };
  },
});

/** The context-key operations, for the IAM registry. */
export const CONTEXT_KEY_OPERATIONS: AnyOperation[] = [getContextKeysForCustomPolicy, getContextKeysForPrincipalPolicy];

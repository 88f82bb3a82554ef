/**
 * Inline policies of roles, users and groups (Put/Get/Delete/List{Role,User,Group}Policy/Policies):
 * identity policies embedded in one entity, named uniquely (ignoring case) within it, and limited in
 * aggregate per entity — role 10,240, user 2,048, group 5,120 characters, white space not counted
 * (reference_iam-quotas.html).
 */
import type { Group, Role, User } from '../model/entities.js';
import { limitExceeded, noSuchEntity } from '../model/errors.js';
import { policySizeWithoutWhitespace } from '../policy/validate.js';
import { GROUP_HOLDER, holderTarget, nameIn, ROLE_HOLDER, saveHolder, USER_HOLDER, type NamedInput, type PolicyHolder } from './attachments.js';
import { defineOperation, requestPartition, type AnyOperation } from './operation.js';
import { paginate, type PageRequest } from './pagination.js';
import { checkPolicyDocument } from './validation.js';

type Holder = Role | User | Group;

/** The stored name of the entity's inline policy, matching ignoring case, if there is one. */
export function findInlinePolicyName(entity: Holder, policyName: string): string | undefined {
  const wanted = policyName.toLowerCase();
  return Object.keys(entity.InlinePolicies).find((name) => name.toLowerCase() === wanted);
}

function missingPolicy(type: 'role' | 'user' | 'group', policyName: string): Error {
  return noSuchEntity(`The ${type} policy with name ${policyName} cannot be found.`);
}

/** Put{Role,User,Group}Policy: adds or replaces an inline policy, within the entity's aggregate quota. */
function putOperation<E extends Holder>(holder: PolicyHolder<E>) {
  return defineOperation<NamedInput & { PolicyName: string; PolicyDocument: string }, Record<string, never>>({
    service: 'iam',
    name: `Put${holder.noun}Policy`,
    authorize: (context, input) => holderTarget(context, holder, `iam:Put${holder.noun}Policy`, nameIn(input, holder.nameMember), { boundary: true }),
    async execute(context, input) {
      await context.store.write(async (writer) => {
        const entity = await holder.load(writer, context.accountId, nameIn(input, holder.nameMember));
        holder.checkModifiable(entity);
        checkPolicyDocument(input.PolicyDocument, 'identity', requestPartition(context), { inline: true });
        const replaced = findInlinePolicyName(entity, input.PolicyName);
        const policies = { ...entity.InlinePolicies };
        if (replaced !== undefined) delete policies[replaced];
        policies[input.PolicyName] = input.PolicyDocument;
        const total = Object.values(policies).reduce((sum, document) => sum + policySizeWithoutWhitespace(document), 0);
        if (total > holder.inlinePolicyQuota) {
          throw limitExceeded(`Maximum policy size of ${holder.inlinePolicyQuota} bytes exceeded for ${holder.type} ${holder.nameOf(entity)}`);
        }
        entity.InlinePolicies = policies;
        await saveHolder(writer, holder, entity);
      });
      return {};
    },
  });
}

/** Get{Role,User,Group}Policy: the policy document as stored. */
function getOperation<E extends Holder>(holder: PolicyHolder<E>) {
  return defineOperation<NamedInput & { PolicyName: string }, Record<string, string>>({
    service: 'iam',
    name: `Get${holder.noun}Policy`,
    authorize: (context, input) => holderTarget(context, holder, `iam:Get${holder.noun}Policy`, nameIn(input, holder.nameMember)),
    async execute(context, input) {
      const entity = await context.store.read((reader) => holder.load(reader, context.accountId, nameIn(input, holder.nameMember)));
      const stored = findInlinePolicyName(entity, input.PolicyName);
      if (stored === undefined) throw missingPolicy(holder.type, input.PolicyName);
      return { [holder.nameMember]: holder.nameOf(entity), PolicyName: stored, PolicyDocument: entity.InlinePolicies[stored]! };
    },
  });
}

/** Delete{Role,User,Group}Policy. */
function deleteOperation<E extends Holder>(holder: PolicyHolder<E>) {
  return defineOperation<NamedInput & { PolicyName: string }, Record<string, never>>({
    service: 'iam',
    name: `Delete${holder.noun}Policy`,
    authorize: (context, input) => holderTarget(context, holder, `iam:Delete${holder.noun}Policy`, nameIn(input, holder.nameMember), { boundary: true }),
    async execute(context, input) {
      await context.store.write(async (writer) => {
        const entity = await holder.load(writer, context.accountId, nameIn(input, holder.nameMember));
        holder.checkModifiable(entity);
        const stored = findInlinePolicyName(entity, input.PolicyName);
        if (stored === undefined) throw missingPolicy(holder.type, input.PolicyName);
        const policies = { ...entity.InlinePolicies };
        delete policies[stored];
        entity.InlinePolicies = policies;
        await saveHolder(writer, holder, entity);
      });
      return {};
    },
  });
}

/** List{Role,User,Group}Policies: the inline policy names, ordered, paginated. */
function listOperation<E extends Holder>(holder: PolicyHolder<E>) {
  return defineOperation<NamedInput & PageRequest, { PolicyNames: string[]; IsTruncated: boolean; Marker?: string }>({
    service: 'iam',
    name: `List${holder.noun}Policies`,
    authorize: (context, input) => holderTarget(context, holder, `iam:List${holder.noun}Policies`, nameIn(input, holder.nameMember)),
    async execute(context, input) {
      const entity = await context.store.read((reader) => holder.load(reader, context.accountId, nameIn(input, holder.nameMember)));
      const names = Object.keys(entity.InlinePolicies).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
      const page = paginate(names, (name) => name, input);
      return { PolicyNames: page.items, IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
    },
  });
}

export const putRolePolicy = putOperation(ROLE_HOLDER);
export const getRolePolicy = getOperation(ROLE_HOLDER);
export const deleteRolePolicy = deleteOperation(ROLE_HOLDER);
export const listRolePolicies = listOperation(ROLE_HOLDER);
export const putUserPolicy = putOperation(USER_HOLDER);
export const getUserPolicy = getOperation(USER_HOLDER);
export const deleteUserPolicy = deleteOperation(USER_HOLDER);
export const listUserPolicies = listOperation(USER_HOLDER);
export const putGroupPolicy = putOperation(GROUP_HOLDER);
export const getGroupPolicy = getOperation(GROUP_HOLDER);
export const deleteGroupPolicy = deleteOperation(GROUP_HOLDER);
export const listGroupPolicies = listOperation(GROUP_HOLDER);

/** The inline policy operations for roles, users and groups. */
export const INLINE_POLICY_OPERATIONS: AnyOperation[] = [
  putRolePolicy,
  getRolePolicy,
  deleteRolePolicy,
  listRolePolicies,
  putUserPolicy,
  getUserPolicy,
  deleteUserPolicy,
  listUserPolicies,
  putGroupPolicy,
  getGroupPolicy,
  deleteGroupPolicy,
  listGroupPolicies,
];

/**
 * Organization policies of the two authorization types, SERVICE_CONTROL_POLICY and
 * RESOURCE_CONTROL_POLICY: CreatePolicy, DescribePolicy, UpdatePolicy, DeletePolicy, ListPolicies,
 * AttachPolicy, DetachPolicy, ListPoliciesForTarget and ListTargetsForPolicy (AWS Organizations API
 * Reference). Documents are validated as the policy engine validates SCPs and RCPs; quotas are AWS's
 * defaults (orgs_reference_limits.html): 1,000 policies of a type, 5 of a type attached to one target.
 */
import type { Tag } from '../model/entities.js';
import type { AuthorizationTarget, OperationContext } from '../iam/operation.js';
import { defineOrganizationsOperation } from './operation.js';
import { requestTagContext } from '../iam/tags.js';
import { validatePolicy } from '../policy/validate.js';
import type { StoreReader, StoreWriter } from '../store/types.js';
import { policyArn, scopeOf } from './arns.js';
import { callerOrganization, nodeArn, organizationsTarget, policyResource, policyTypeContext } from './authorization.js';
import {
  constraintViolation, duplicatePolicy, duplicatePolicyAttachment, invalidInput, malformedPolicyDocument, policyInUse, policyNotAttached,
  policyNotFound, policyTypeNotAvailable, policyTypeNotEnabled, targetNotFound,
} from './errors.js';
import { newPolicyId } from './ids.js';
import { FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS } from './managed-policies.js';
import { policyOutput, policySummaryOutput } from './outputs.js';
import { byId, paginate, type PageRequest } from './pagination.js';
import {
  getCustomerPolicy, listCustomerPolicies, listMembers, listOrganizationalUnits, POLICY_TYPES, saveCustomerPolicy, saveMember, saveOrganization,
  saveOrganizationalUnit, type OrganizationRecord, type PolicyRecord, type PolicyType,
} from './records.js';
import { arnOf, findNode, findPolicy, nameOf, policyIdsOf, requireManagement, typeOf, type Node, type PolicyView } from './scope.js';
import { tagsToStore } from './tags.js';

export const MAX_POLICIES_PER_TYPE = 1000;
export const MAX_ATTACHED_PER_TYPE = 5;

type PolicyOutput = ReturnType<typeof policyOutput>;
type PolicySummary = ReturnType<typeof policySummaryOutput>;

/** A policy type Rolecall enforces, or PolicyTypeNotAvailableForOrganizationException. */
function supportedType(type: string): PolicyType {
  const supported = POLICY_TYPES.find((candidate) => candidate === type);
  if (!supported) throw policyTypeNotAvailable();
  return supported;
}

/** Validates a document as the engine validates SCPs / RCPs, with Organizations' errors. */
function checkContent(content: string, type: PolicyType): void {
  const result = validatePolicy(content, type === 'SERVICE_CONTROL_POLICY' ? 'scp' : 'rcp');
  if (result.valid) return;
  if (result.error.code === 'ConstraintViolationException') throw constraintViolation('POLICY_CONTENT_LIMIT_EXCEEDED', result.error.message);
  throw malformedPolicyDocument(result.error.message);
}

/** Names are unique among the policies of a type, AWS's own included. */
async function checkNameFree(reader: StoreReader, organizationId: string, type: PolicyType, name: string, except?: string): Promise<void> {
  const managed = [FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS].filter((policy) => policy.Type === type);
  const customers = (await listCustomerPolicies(reader, organizationId)).filter((policy) => policy.Type === type && policy.Id !== except);
  if ([...managed, ...customers].some((policy) => policy.Name === name)) throw duplicatePolicy();
}

async function requirePolicy(reader: StoreReader, organization: OrganizationRecord, policyId: string): Promise<PolicyView> {
  const policy = await findPolicy(reader, organization, policyId);
  if (!policy) throw policyNotFound();
  return policy;
}

/** A customer policy to change; AWS managed ones are InvalidInputException IMMUTABLE_POLICY. */
async function requireCustomerPolicy(reader: StoreReader, organization: OrganizationRecord, policyId: string): Promise<PolicyRecord> {
  const view = await requirePolicy(reader, organization, policyId);
  if (view.AwsManaged) throw invalidInput('IMMUTABLE_POLICY');
  return (await getCustomerPolicy(reader, organization.Id, policyId))!;
}

async function requireTarget(reader: StoreReader, organization: OrganizationRecord, targetId: string): Promise<Node> {
  const node = await findNode(reader, organization, targetId);
  if (!node) throw targetNotFound();
  return node;
}

async function saveNode(writer: StoreWriter, organization: OrganizationRecord, node: Node): Promise<void> {
  if (node.kind === 'root') await saveOrganization(writer, organization);
  else if (node.kind === 'organizationalUnit') await saveOrganizationalUnit(writer, organization.Id, node.ou);
  else await saveMember(writer, node.member);
}

/** The policies attached to a target, of one type. */
async function attachedOfType(reader: StoreReader, organization: OrganizationRecord, node: Node, type: string): Promise<PolicyView[]> {
  const policies: PolicyView[] = [];
  for (const id of policyIdsOf(node)) {
    const policy = await findPolicy(reader, organization, id);
    if (policy?.Type === type) policies.push(policy);
  }
  return policies;
}

/** Every root, OU and account of the organization. */
async function everyNode(reader: StoreReader, organization: OrganizationRecord): Promise<Node[]> {
  return [
    { kind: 'root', id: organization.Root.Id, root: organization.Root },
    ...(await listOrganizationalUnits(reader, organization.Id)).map((ou): Node => ({ kind: 'organizationalUnit', id: ou.Id, ou })),
    ...(await listMembers(reader, organization.Id)).map((member): Node => ({ kind: 'account', id: member.Id, member })),
  ];
}

/** A policy operation authorized on the policy (and the target, for attachments), with its type as context. */
function authorizeOnPolicy<Input extends { PolicyId: string; TargetId?: string }>(operation: string) {
  return async (context: OperationContext, input: Input): Promise<AuthorizationTarget[]> => {
    const organization = await callerOrganization(context);
    const policy = await policyResource(context, organization, input.PolicyId);
    const typeContext = policyTypeContext(policy.type);
    const targets = [organizationsTarget(operation, policy.arn, typeContext)];
    if (input.TargetId !== undefined) targets.push(organizationsTarget(operation, nodeArn(organization, input.TargetId), typeContext));
    return targets;
  };
}

// ---- Policies ---------------------------------------------------------------------------------------

interface CreatePolicyInput {
  Content: string;
  Description: string;
  Name: string;
  Type: string;
  Tags?: Tag[];
}

export const createPolicy = defineOrganizationsOperation<CreatePolicyInput, { Policy: PolicyOutput }>({
  name: 'CreatePolicy',
  authorize: (_context, input) => [organizationsTarget('CreatePolicy', '*', { ...policyTypeContext(input.Type), ...requestTagContext(input.Tags) })],
  async execute(context, input) {
    const tags = tagsToStore(input.Tags);
    const policy = await context.store.write(async (writer) => {
      const organization = await requireManagement(writer, context.accountId);
      const type = supportedType(input.Type);
      checkContent(input.Content, type);
      await checkNameFree(writer, organization.Id, type, input.Name);
      const ofType = (await listCustomerPolicies(writer, organization.Id)).filter((policy) => policy.Type === type);
      if (ofType.length >= MAX_POLICIES_PER_TYPE) throw constraintViolation('POLICY_NUMBER_LIMIT_EXCEEDED');
      const id = newPolicyId();
      const record: PolicyRecord = {
        Id: id,
        Arn: policyArn(scopeOf(organization), organization.Id, type, id),
        Name: input.Name,
        Description: input.Description,
        Type: type,
        Content: input.Content,
        CreateDate: context.now.toISOString(),
        Tags: tags,
      };
      await saveCustomerPolicy(writer, organization.Id, record);
      return findPolicy(writer, organization, id);
    });
    return { Policy: policyOutput(policy!) };
  },
});

export const describePolicy = defineOrganizationsOperation<{ PolicyId: string }, { Policy: PolicyOutput }>({
  name: 'DescribePolicy',
  authorize: authorizeOnPolicy('DescribePolicy'),
  async execute(context, input) {
    const policy = await context.store.read(async (reader) => {
      const organization = await requireManagement(reader, context.accountId);
      return requirePolicy(reader, organization, input.PolicyId);
    });
    return { Policy: policyOutput(policy) };
  },
});

interface UpdatePolicyInput {
  PolicyId: string;
  Name?: string;
  Description?: string;
  Content?: string;
}

export const updatePolicy = defineOrganizationsOperation<UpdatePolicyInput, { Policy: PolicyOutput }>({
  name: 'UpdatePolicy',
  authorize: authorizeOnPolicy('UpdatePolicy'),
  async execute(context, input) {
    const policy = await context.store.write(async (writer) => {
      const organization = await requireManagement(writer, context.accountId);
      const record = await requireCustomerPolicy(writer, organization, input.PolicyId);
      if (input.Content !== undefined) checkContent(input.Content, record.Type);
      if (input.Name !== undefined && input.Name !== record.Name) await checkNameFree(writer, organization.Id, record.Type, input.Name, record.Id);
      const updated: PolicyRecord = {
        ...record,
        ...(input.Name !== undefined ? { Name: input.Name } : {}),
        ...(input.Description !== undefined ? { Description: input.Description } : {}),
        ...(input.Content !== undefined ? { Content: input.Content } : {}),
      };
      await saveCustomerPolicy(writer, organization.Id, updated);
      return findPolicy(writer, organization, record.Id);
    });
    return { Policy: policyOutput(policy!) };
  },
});

/** DeletePolicy: only a customer policy attached nowhere. */
export const deletePolicy = defineOrganizationsOperation<{ PolicyId: string }, Record<string, never>>({
  name: 'DeletePolicy',
  authorize: authorizeOnPolicy('DeletePolicy'),
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const organization = await requireManagement(writer, context.accountId);
      const record = await requireCustomerPolicy(writer, organization, input.PolicyId);
      if ((await everyNode(writer, organization)).some((node) => policyIdsOf(node).includes(record.Id))) throw policyInUse();
      await writer.delete('organizationPolicy', organization.Id, record.Id);
    });
    return {};
  },
});

export const listPolicies = defineOrganizationsOperation<{ Filter: string } & PageRequest, { Policies: PolicySummary[]; NextToken?: string }>({
  name: 'ListPolicies',
  authorize: (_context, input) => [organizationsTarget('ListPolicies', '*', policyTypeContext(input.Filter))],
  async execute(context, input) {
    return context.store.read(async (reader) => {
      const organization = await requireManagement(reader, context.accountId);
      const managed = [FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS].filter((policy) => policy.Type === input.Filter).map((policy) => policy.Id);
      const customers = (await listCustomerPolicies(reader, organization.Id)).filter((policy) => policy.Type === input.Filter).map((policy) => policy.Id);
      const views = await Promise.all([...managed, ...customers].map((id) => requirePolicy(reader, organization, id)));
      const page = paginate(byId(views), (policy) => policy.Id, input);
      return { Policies: page.items.map(policySummaryOutput), ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
    });
  },
});

// ---- Attachments ------------------------------------------------------------------------------------

interface AttachmentInput {
  PolicyId: string;
  TargetId: string;
}

export const attachPolicy = defineOrganizationsOperation<AttachmentInput, Record<string, never>>({
  name: 'AttachPolicy',
  authorize: authorizeOnPolicy('AttachPolicy'),
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const organization = await requireManagement(writer, context.accountId);
      const policy = await requirePolicy(writer, organization, input.PolicyId);
      const node = await requireTarget(writer, organization, input.TargetId);
      if (!organization.Root.EnabledPolicyTypes.includes(policy.Type)) throw policyTypeNotEnabled();
      if (policyIdsOf(node).includes(policy.Id)) throw duplicatePolicyAttachment();
      if ((await attachedOfType(writer, organization, node, policy.Type)).length >= MAX_ATTACHED_PER_TYPE) {
        throw constraintViolation('MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');
      }
      policyIdsOf(node).push(policy.Id);
      await saveNode(writer, organization, node);
    });
    return {};
  },
});

/** DetachPolicy: RCPFullAWSAccess stays; a target keeps at least one SCP while SCPs are enabled. */
export const detachPolicy = defineOrganizationsOperation<AttachmentInput, Record<string, never>>({
  name: 'DetachPolicy',
  authorize: authorizeOnPolicy('DetachPolicy'),
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const organization = await requireManagement(writer, context.accountId);
      const policy = await requirePolicy(writer, organization, input.PolicyId);
      const node = await requireTarget(writer, organization, input.TargetId);
      if (!policy.Detachable) throw invalidInput('NON_DETACHABLE_POLICY');
      const ids = policyIdsOf(node);
      if (!ids.includes(policy.Id)) throw policyNotAttached();
      if ((await attachedOfType(writer, organization, node, policy.Type)).length <= 1) {
        throw constraintViolation('MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');
      }
      ids.splice(ids.indexOf(policy.Id), 1);
      await saveNode(writer, organization, node);
    });
    return {};
  },
});

export const listPoliciesForTarget = defineOrganizationsOperation<{ TargetId: string; Filter: string } & PageRequest, { Policies: PolicySummary[]; NextToken?: string }>({
  name: 'ListPoliciesForTarget',
  authorize: async (context, input) => [
    organizationsTarget('ListPoliciesForTarget', nodeArn(await callerOrganization(context), input.TargetId), policyTypeContext(input.Filter)),
  ],
  async execute(context, input) {
    return context.store.read(async (reader) => {
      const organization = await requireManagement(reader, context.accountId);
      const node = await requireTarget(reader, organization, input.TargetId);
      const page = paginate(byId(await attachedOfType(reader, organization, node, input.Filter)), (policy) => policy.Id, input);
      return { Policies: page.items.map(policySummaryOutput), ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
    });
  },
});

interface TargetSummary {
  TargetId: string;
  Arn: string;
  Name: string;
  Type: 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';
}

export const listTargetsForPolicy = defineOrganizationsOperation<{ PolicyId: string } & PageRequest, { Targets: TargetSummary[]; NextToken?: string }>({
  name: 'ListTargetsForPolicy',
  authorize: authorizeOnPolicy('ListTargetsForPolicy'),
  async execute(context, input) {
    return context.store.read(async (reader) => {
      const organization = await requireManagement(reader, context.accountId);
      const policy = await requirePolicy(reader, organization, input.PolicyId);
      const targets = (await everyNode(reader, organization))
        .filter((node) => policyIdsOf(node).includes(policy.Id))
        .map((node) => ({ TargetId: node.id, Arn: arnOf(node), Name: nameOf(node), Type: typeOf(node) }));
      const sorted = [...targets].sort((a, b) => (a.TargetId < b.TargetId ? -1 : a.TargetId > b.TargetId ? 1 : 0));
      const page = paginate(sorted, (target) => target.TargetId, input);
      return { Targets: page.items, ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
    });
  },
});

export const POLICY_OPERATIONS = [
  createPolicy, describePolicy, updatePolicy, deletePolicy, listPolicies, attachPolicy, detachPolicy, listPoliciesForTarget, listTargetsForPolicy,
];

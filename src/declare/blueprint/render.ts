/**
 * Rendering a RoleBlueprint: parameters resolved, every `{name}` filled, policy templates instantiated,
 * trust built per role, managed policies found by name, the boundary and default tags put on every
 * role. The result is plain IAMRole manifests (what `rolecall apply` and the operator reconcile), plus
 * what binds pods to the roles: ServiceAccount manifests annotated `eks.amazonaws.com/role-arn` for
 * IRSA roles, PodIdentityAssociation objects (CreatePodIdentityAssociation's fields) for Pod Identity.
 */
import { listAwsManagedPolicies } from '../../iam/aws-managed-policies.js';
import { awsManagedPolicyArn, roleArn } from '../../model/arns.js';
import { validatePolicy } from '../../policy/index.js';
import { DECLARE_KIND_SCHEMAS } from '../schema.js';
import { checkAgainstSchema } from '../schema-validation.js';
import { BlueprintError } from './blueprint-error.js';
import { partitionOf, takesParameter, withPartitionParameter } from './partition-parameter.js';
import { interpolate, resolveParameters, type ParameterDeclaration, type ParameterValue, type ParameterValues } from './parameters.js';
import { fillPolicyTemplate, type PolicyTemplate } from './policy-templates.js';
import { TRUST_MODES, trustPolicyOf, trustWarningOf, type ServiceAccountRef, type TrustMode, type TrustSpec } from './trust-policies.js';

export const BLUEPRINT_API_VERSION = 'rolecall.dev/v1alpha1';
export const BLUEPRINT_KIND = 'RoleBlueprint';
/** Labels on every rendered object: which blueprint and which of its roles it comes from. */
export const BLUEPRINT_LABEL = 'rolecall.dev/blueprint';
export const BLUEPRINT_ROLE_LABEL = 'rolecall.dev/blueprint-role';
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** spec.policies[i]: a template instantiated with values (which may use `{parameters}`). */
export interface PolicyInstance {
  name: string;
  template: string;
  values?: Record<string, string>;
}

/** spec.roles[i]. */
export interface BlueprintRole {
  id: string;
  roleName: string;
  description?: string;
  path?: string;
  maxSessionDuration?: number | string;
  trust: { mode: string; serviceAccounts?: string[]; service?: string };
  policies?: string[];
  managedPolicies?: string[];
  tags?: Record<string, string>;
}

export interface RoleBlueprintSpec {
  providerRef: { name: string; namespace?: string };
  parameters?: ParameterDeclaration[];
  /** Parameter values of this instance (the operator renders with them); `--set` overrides them. */
  values?: Record<string, string>;
  /** Where workload trust points: the account, the cluster (associations) and its OIDC issuer (IRSA). */
  identity: { accountId: string; clusterName?: string; oidcIssuer?: string };
  /** Applied to every role: an optional permissions boundary, tags, path, session length, deletion policy. */
  roleDefaults?: {
    permissionsBoundary?: string;
    tags?: Record<string, string>;
    path?: string;
    maxSessionDuration?: number | string;
    deletionPolicy?: string;
  };
  policyTemplates?: PolicyTemplate[];
  policies?: PolicyInstance[];
  roles: BlueprintRole[];
}

export interface RoleBlueprint {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: RoleBlueprintSpec;
}

/** A rendered Kubernetes object (IAMRole, ServiceAccount, PodIdentityAssociation). */
export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

export interface RenderedBlueprint {
  parameters: ParameterValues;
  roles: RenderedObject[];
  serviceAccounts: RenderedObject[];
  podIdentityAssociations: RenderedObject[];
  /** Things rendered as asked but worth a second look (the any-namespace IRSA pattern). */
  warnings: string[];
}

/** Finds the ARN of an AWS managed policy by name in a partition; undefined when there is none. */
export type ManagedPolicyLookup = (name: string, partition: string) => string | undefined;

/** Looks names up in the AWS managed policy catalog Rolecall serves for the partition. */
export const awsManagedPolicyByName: ManagedPolicyLookup = (name, partition) => listAwsManagedPolicies(partition).find((policy) => policy.PolicyName === name)?.Arn;

/**
 * The ARN of a `managedPolicies` entry: an ARN as written; `path/Name` as an AWS managed policy at that
 * path; a bare name looked up among the AWS managed policies (so `AmazonEBSCSIDriverPolicy` finds its
 * `service-role/` path).
 */
function managedPolicyArn(entry: string, partition: string, field: string, lookup: ManagedPolicyLookup): string {
  if (entry.startsWith('arn:')) return entry;
  if (entry.includes('/')) return awsManagedPolicyArn(partition, entry);
  const arn = lookup(entry, partition);
  if (!arn) throw new BlueprintError(field, `no AWS managed policy is named ${JSON.stringify(entry)} (give a full ARN for a customer managed policy)`);
  return arn;
}

/** A role name as a Kubernetes object name (DNS subdomain: lower case, `-` for anything else). */
function objectNameOf(roleName: string): string {
  return roleName
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 253);
}

function parseServiceAccount(text: string, field: string): ServiceAccountRef {
  const match = /^([^:\s]+):([^:\s]+)$/.exec(text);
  if (!match) throw new BlueprintError(field, `${JSON.stringify(text)} is not NAMESPACE:NAME`);
  return { namespace: match[1]!, name: match[2]! };
}

/** A field that may be a number or a `{parameter}` expression resolving to one. */
function integerField(value: number | string | undefined, values: ParameterValues, field: string): number | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'number' ? String(value) : interpolate(value, values, field);
  if (!/^[0-9]+$/.test(text)) throw new BlueprintError(field, `${JSON.stringify(text)} is not an integer`);
  return Number(text);
}

function pretty(document: string): string {
  return `${JSON.stringify(JSON.parse(document), null, 2)}\n`;
}

function requirePolicyValid(document: string, kind: 'identity' | 'trust', field: string): void {
  const result = validatePolicy(document, kind, { inline: kind === 'identity' });
  if (!result.valid) throw new BlueprintError(field, `${result.error.code}: ${result.error.message}`);
}

/** Renders a blueprint with its spec.values and the `--set` values given (which win). */
export function renderBlueprint(blueprint: RoleBlueprint, given: Readonly<Record<string, string>>, lookup: ManagedPolicyLookup = awsManagedPolicyByName): RenderedBlueprint {
  const { spec } = blueprint;
  for (const name of Object.keys(spec.values ?? {})) {
    if (!takesParameter(spec.parameters, name)) throw new BlueprintError(`spec.values.${name}`, `the blueprint declares no parameter "${name}"`);
  }
  const values = resolveParameters(withPartitionParameter(spec.parameters ?? []), { ...spec.values, ...given });
  const partition = partitionOf(values);
  const fill = (text: string, field: string) => interpolate(text, values, field);
  const fillMap = (map: Record<string, string> | undefined, field: string) =>
    Object.fromEntries(Object.entries(map ?? {}).map(([key, value]) => [fill(key, field), fill(value, `${field}.${key}`)]));
  const namespace = blueprint.metadata.namespace ?? 'default';
  const labels = (id: string) => ({ [BLUEPRINT_LABEL]: blueprint.metadata.name, [BLUEPRINT_ROLE_LABEL]: id });

  const templates = new Map((spec.policyTemplates ?? []).map((template, index) => [template.name, { template, field: `spec.policyTemplates[${index}]` }]));
  const policies = new Map<string, string>();
  (spec.policies ?? []).forEach((instance, index) => {
    const field = `spec.policies[${index}]`;
    const found = templates.get(instance.template);
    if (!found) throw new BlueprintError(`${field}.template`, `no policy template is named ${JSON.stringify(instance.template)}`);
    if (policies.has(instance.name)) throw new BlueprintError(`${field}.name`, `Duplicate value: ${JSON.stringify(instance.name)}`);
    const document = fillPolicyTemplate(found.template, fillMap(instance.values, `${field}.values`), field, found.field);
    requirePolicyValid(document, 'identity', field);
    policies.set(instance.name, document);
  });

  const accountId = fill(spec.identity.accountId, 'spec.identity.accountId');
  const clusterName = spec.identity.clusterName === undefined ? undefined : fill(spec.identity.clusterName, 'spec.identity.clusterName');
  const oidcIssuer = spec.identity.oidcIssuer === undefined ? undefined : fill(spec.identity.oidcIssuer, 'spec.identity.oidcIssuer').replace(/^https:\/\//, '');
  const defaults = spec.roleDefaults ?? {};
  const boundary = defaults.permissionsBoundary === undefined ? '' : fill(defaults.permissionsBoundary, 'spec.roleDefaults.permissionsBoundary');
  const defaultTags = fillMap(defaults.tags, 'spec.roleDefaults.tags');
  const defaultPath = defaults.path === undefined ? undefined : fill(defaults.path, 'spec.roleDefaults.path');
  const defaultMaxSession = integerField(defaults.maxSessionDuration, values, 'spec.roleDefaults.maxSessionDuration');
  const deletionPolicy = defaults.deletionPolicy === undefined ? undefined : fill(defaults.deletionPolicy, 'spec.roleDefaults.deletionPolicy');

  const rendered: RenderedBlueprint = { parameters: values, roles: [], serviceAccounts: [], podIdentityAssociations: [], warnings: [] };
  const roleNames = new Map<string, string>();
  spec.roles.forEach((role, index) => {
    const field = `spec.roles[${index}]`;
    const roleName = fill(role.roleName, `${field}.roleName`);
    const earlier = roleNames.get(roleName.toLowerCase());
    if (earlier) throw new BlueprintError(`${field}.roleName`, `Duplicate value: ${roleName} is also the name of ${earlier}`);
    roleNames.set(roleName.toLowerCase(), `${field} (${role.id})`);
    const path = role.path === undefined ? defaultPath : fill(role.path, `${field}.path`);
    const mode = fill(role.trust.mode, `${field}.trust.mode`);
    if (!(TRUST_MODES as readonly string[]).includes(mode)) {
      throw new BlueprintError(`${field}.trust.mode`, `Unsupported value: ${JSON.stringify(mode)}: supported values: ${TRUST_MODES.map((m) => JSON.stringify(m)).join(', ')}`);
    }
    const trust: TrustSpec = {
      mode: mode as TrustMode,
      serviceAccounts: (role.trust.serviceAccounts ?? []).map((text, i) => parseServiceAccount(fill(text, `${field}.trust.serviceAccounts[${i}]`), `${field}.trust.serviceAccounts[${i}]`)),
      ...(role.trust.service !== undefined ? { service: fill(role.trust.service, `${field}.trust.service`) } : {}),
      oidcIssuer: oidcIssuer ?? '',
      accountId,
      partition,
    };
    if ((trust.mode === 'irsa' || trust.mode === 'irsaAnyNamespace') && !oidcIssuer) {
      throw new BlueprintError('spec.identity.oidcIssuer', `Required value: role ${roleName} trusts the cluster's OIDC issuer (trust mode ${trust.mode})`);
    }
    if (trust.mode === 'podIdentity' && !clusterName) {
      throw new BlueprintError('spec.identity.clusterName', `Required value: role ${roleName} uses Pod Identity, whose associations name the cluster`);
    }
    const trustPolicy = trustPolicyOf(trust, `${field}.trust`);
    requirePolicyValid(trustPolicy, 'trust', `${field}.trust`);
    const warning = trustWarningOf(trust, roleName);
    if (warning) rendered.warnings.push(warning);

    const inlinePolicies = (role.policies ?? []).map((name, i) => {
      const document = policies.get(name);
      if (document === undefined) throw new BlueprintError(`${field}.policies[${i}]`, `no policy is named ${JSON.stringify(name)} in spec.policies`);
      return { policyName: name, policyDocument: pretty(document) };
    });
    const managedPolicyArns = (role.managedPolicies ?? []).map((entry, i) => managedPolicyArn(fill(entry, `${field}.managedPolicies[${i}]`), partition, `${field}.managedPolicies[${i}]`, lookup));
    const maxSessionDuration = integerField(role.maxSessionDuration, values, `${field}.maxSessionDuration`) ?? defaultMaxSession;
    const tags = { ...defaultTags, ...fillMap(role.tags, `${field}.tags`) };
    const description = role.description === undefined ? undefined : fill(role.description, `${field}.description`);
    const objectName = objectNameOf(roleName);
    const iamRole: RenderedObject = {
      apiVersion: BLUEPRINT_API_VERSION,
      kind: 'IAMRole',
      metadata: { name: objectName, namespace, labels: labels(role.id), ...(warning ? { annotations: { 'rolecall.dev/trust-warning': warning } } : {}) },
      spec: {
        providerRef: { ...spec.providerRef },
        roleName,
        ...(description ? { description } : {}),
        ...(path ? { path } : {}),
        ...(maxSessionDuration !== undefined ? { maxSessionDuration } : {}),
        assumeRolePolicyDocument: pretty(trustPolicy),
        ...(managedPolicyArns.length ? { managedPolicyArns } : {}),
        ...(inlinePolicies.length ? { inlinePolicies } : {}),
        ...(boundary ? { permissionsBoundary: boundary } : {}),
        ...(Object.keys(tags).length ? { tags } : {}),
        ...(deletionPolicy ? { deletionPolicy } : {}),
      },
    };
    // The filled-in role must be a valid IAMRole (name pattern, session range, ARNs) before anyone applies it.
    const problems = checkAgainstSchema(iamRole, DECLARE_KIND_SCHEMAS.IAMRole);
    if (problems.length > 0) throw new BlueprintError(field, `renders an invalid IAMRole: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
    rendered.roles.push(iamRole);

    const arn = roleArn(partition, accountId, path ?? '/', roleName);
    for (const account of trust.serviceAccounts) {
      if (trust.mode === 'podIdentity') {
        rendered.podIdentityAssociations.push({
          apiVersion: BLUEPRINT_API_VERSION,
          kind: 'PodIdentityAssociation',
          metadata: { name: objectNameOf(`${account.namespace}.${account.name}`), namespace, labels: labels(role.id) },
          spec: { providerRef: { ...spec.providerRef }, clusterName, namespace: account.namespace, serviceAccount: account.name, roleArn: arn },
        });
      } else if (!/[*?]/.test(account.name)) {
        rendered.serviceAccounts.push({
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: account.name, namespace: account.namespace, labels: labels(role.id), annotations: { [IRSA_ROLE_ANNOTATION]: arn } },
        });
      }
    }
  });
  return rendered;
}

/** Every rendered object in output order: roles, then service accounts, then associations. */
export function renderedObjects(rendered: RenderedBlueprint): RenderedObject[] {
  return [...rendered.roles, ...rendered.serviceAccounts, ...rendered.podIdentityAssociations];
}

export type { ParameterValue };

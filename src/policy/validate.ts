/**
 * Validation of a policy for its kind: the rules each kind adds to the shared ones of parse.ts, applied in
 * the order AWS reports problems, with AWS's exact messages. Sources: docs/policy-validation.md.
 */
import { PARTITIONS, parseArn } from './arn.js';
import { AwsError, MalformedPolicyDocumentError } from './errors.js';
import {
  MESSAGES,
  PolicySyntaxError,
  analyzePolicy,
  assertActionVendors,
  assertAlphanumericSids,
  assertLegacyParsing,
  assertResourceFormats,
  assertStatementsHaveActions,
  assertStatementsHaveResources,
  assertUniqueSids,
  type PolicyAnalysis,
} from './parse.js';
import { checkPolicySize } from './policy-size.js';
import { UNIQUE_PRINCIPAL_ID } from './principals.js';
import { compileGlob } from './wildcard.js';
import type { PolicyDocument, PolicyKind, PrincipalBlock, Statement } from './types.js';

export { checkPolicySize, policySizeWithoutWhitespace, POLICY_SIZE_LIMITS } from './policy-size.js';

export const KIND_MESSAGES = {
  version: 'Policy document must be version 2012-10-17 or greater.',
  principalInIdentityPolicy: 'Policy document should not specify a principal.',
  invalidJson: 'This policy contains invalid Json',
  emptyStatement: 'Could not parse the policy: Statement is empty!',
  trustResource: 'Has prohibited field Resource',
  trustNotResource: 'AssumeRole policy must not contain resources.',
  trustNotPrincipal: 'Has prohibited field NotPrincipal',
  trustActions: 'AssumeRole policy may only specify STS AssumeRole actions.',
  allowWithNotPrincipal: 'Allow with NotPrincipal is not allowed.',
  missingPrincipal: 'Missing required field Principal',
  emptyPrincipal: 'Missing required field Principal cannot be empty!',
  noPrincipals:
    'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!',
  organizations: 'The provided policy document does not meet the requirements of the specified policy type.',
} as const;

export interface KindCheckOptions {
  /**
   * Apply the rules IAM adds when a managed policy is stored (CreatePolicy, CreatePolicyVersion): an
   * identity or boundary policy must then be version 2012-10-17. Stored policies of older versions are
   * still evaluated, so this is off by default here.
   */
  managed?: boolean;
}

export interface ValidateOptions {
  /** Check the per-document size quota of the kind (default true). */
  checkSize?: boolean;
  /**
   * An inline identity policy (PutUserPolicy, PutRolePolicy, PutGroupPolicy): Version is not required and
   * its size counts towards the entity's aggregate quota, which iam/ checks. Default: a managed policy.
   */
  inline?: boolean;
}

export type ValidationResult = { valid: true } | { valid: false; error: { code: string; message: string } };
export type ParsedValidationResult = { valid: true; document: PolicyDocument } | { valid: false; error: { code: string; message: string } };

/** Applies the rules of `kind` to a parsed document; throws MalformedPolicyDocumentError with AWS's message. */
export function checkPolicyKind(document: PolicyDocument, kind: PolicyKind, options: KindCheckOptions = {}): void {
  applyKindRules(document, kind, { nonCanonicalEffect: false, managed: options.managed ?? false });
}

/**
 * checkPolicyKind for a document parsePolicy returned: the rules parsePolicy already applied (it rejects
 * what they reject, with the same messages) are not applied again, so the result is the same, sooner.
 */
export function checkParsedPolicyKind(document: PolicyDocument, kind: PolicyKind): void {
  applyKindRules(document, kind, PARSED, PARSE_RULES);
}

/** The rule context of a document parsePolicy returned (cold documents come this way: one object for all). */
const PARSED: RuleContext = Object.freeze({ nonCanonicalEffect: false, managed: false });

/**
 * Validates a raw document as AWS would when it is stored as `kind`: syntax, content, then size.
 * Only AwsErrors become `{ valid: false }`; anything else is a bug and propagates.
 */
export function validatePolicy(document: string | object, kind: PolicyKind, options: ValidateOptions = {}): ValidationResult {
  const result = validateAndParsePolicy(document, kind, options);
  return result.valid ? { valid: true } : result;
}

/**
 * validatePolicy, handing back the parsed document when it is valid, so that a caller that compiles it
 * next (compileValidatedPolicy) does not parse it again. Every kind's rules include the ones parsePolicy
 * applies (a trust policy's resource formats are moot: it may have no Resource), so the document is one
 * parsePolicy would have returned.
 */
export function validateAndParsePolicy(document: string | object, kind: PolicyKind, options: ValidateOptions = {}): ParsedValidationResult {
  const { checkSize = true, inline = false } = options;
  try {
    const analysis = analyzeForKind(document, kind);
    applyKindRules(analysis.document, kind, { nonCanonicalEffect: analysis.nonCanonicalEffect, managed: !inline });
    // Inline identity policies are limited per entity in aggregate, which only iam/ can count.
    if (checkSize && !(inline && kind === 'identity')) checkPolicySize(textOf(document), kind);
    return { valid: true, document: analysis.document };
  } catch (error) {
    if (error instanceof AwsError) return { valid: false, error: { code: error.code, message: error.message } };
    throw error;
  }
}

function textOf(document: string | object): string {
  return typeof document === 'string' ? document : JSON.stringify(document);
}

function fail(message: string): never {
  throw new MalformedPolicyDocumentError(message);
}

/** Organizations answers every malformed SCP or RCP with one sentence. */
function isOrganizationsKind(kind: PolicyKind): boolean {
  return kind === 'scp' || kind === 'rcp';
}

function analyzeForKind(document: string | object, kind: PolicyKind): PolicyAnalysis {
  try {
    return analyzePolicy(document);
  } catch (error) {
    if (!(error instanceof PolicySyntaxError)) throw error;
    if (isOrganizationsKind(kind)) fail(KIND_MESSAGES.organizations);
    if (kind === 'trust' && error.problem === 'invalid-json') fail(KIND_MESSAGES.invalidJson);
    if (kind === 'trust' && error.problem === 'empty-statement') fail(KIND_MESSAGES.emptyStatement);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// The rules of each kind, in the order AWS checks them.

interface RuleContext {
  nonCanonicalEffect: boolean;
  managed: boolean;
}

type Rule = (document: PolicyDocument, context: RuleContext) => void;

function applyKindRules(document: PolicyDocument, kind: PolicyKind, context: RuleContext, alreadyApplied?: ReadonlySet<Rule>): void {
  try {
    for (const rule of KIND_RULES[kind]) if (!alreadyApplied?.has(rule)) rule(document, context);
  } catch (error) {
    if (isOrganizationsKind(kind) && error instanceof MalformedPolicyDocumentError) fail(KIND_MESSAGES.organizations);
    throw error;
  }
}

const legacyParsing: Rule = (document, context) => assertLegacyParsing(document, context.nonCanonicalEffect);
const alphanumericSids: Rule = (document) => assertAlphanumericSids(document);
const uniqueSids: Rule = (document) => assertUniqueSids(document);
const actionsPresent: Rule = (document) => assertStatementsHaveActions(document);
const resourcesPresent: Rule = (document) => assertStatementsHaveResources(document);
const resourceFormats: Rule = (document) => assertResourceFormats(document);
const actionVendors: Rule = (document) => assertActionVendors(document);

/** The rules parsePolicy applies to every document (legacy parsing with the Effect's real spelling, stricter). */
const PARSE_RULES: ReadonlySet<Rule> = new Set([legacyParsing, uniqueSids, actionsPresent, resourceFormats, actionVendors]);

/** Every RCP must be version 2012-10-17 (orgs_manage_policies_rcps_syntax.html). */
const version2012: Rule = (document) => {
  if (document.version !== '2012-10-17') fail(KIND_MESSAGES.version);
};

/** IAM stores a managed policy (CreatePolicy, CreatePolicyVersion) only at version 2012-10-17. */
const managedPolicyVersion: Rule = (document, context) => {
  if (context.managed) version2012(document, context);
};

const noPrincipal: Rule = (document) => {
  for (const s of document.statements) if (s.principal || s.notPrincipal) fail(KIND_MESSAGES.principalInIdentityPolicy);
};

const trustWithoutResources: Rule = (document) => {
  for (const s of document.statements) {
    if (s.resource) fail(KIND_MESSAGES.trustResource);
    if (s.notResource) fail(KIND_MESSAGES.trustNotResource);
  }
};

const trustWithoutNotPrincipal: Rule = (document) => {
  for (const s of document.statements) {
    if (s.notPrincipal) fail(s.effect === 'Allow' ? KIND_MESSAGES.allowWithNotPrincipal : KIND_MESSAGES.trustNotPrincipal);
  }
};

const notPrincipalOnlyWithDeny: Rule = (document) => {
  for (const s of document.statements) if (s.notPrincipal && s.effect === 'Allow') fail(KIND_MESSAGES.allowWithNotPrincipal);
};

const principalPresent: Rule = (document) => {
  for (const s of document.statements) {
    const block = s.principal ?? s.notPrincipal;
    if (!block) fail(KIND_MESSAGES.missingPrincipal);
    if (block.wildcard) continue;
    const lists = PRINCIPAL_TYPES.map((type) => block[type]).filter((list) => list !== undefined);
    if (lists.length === 0) fail(KIND_MESSAGES.emptyPrincipal);
    if (lists.every((list) => list.length === 0)) fail(KIND_MESSAGES.noPrincipals);
  }
};

/** A trust policy governs only the STS calls that assume the role (and tag or name the session). */
/**
 * The actions a trust policy may grant: assuming the role and what comes with it (session tags, source
 * identity, trusted identity propagation). IAM refuses any other STS action — a misspelt `sts:TagSessions`
 * included (hashicorp/terraform-provider-aws#32872) — and accepts a wildcard that covers one of these.
 */
const TRUST_POLICY_ACTIONS = ['sts:assumerole', 'sts:assumerolewithsaml', 'sts:assumerolewithwebidentity', 'sts:tagsession', 'sts:setsourceidentity', 'sts:setcontext'];

const stsActionsOnly: Rule = (document) => {
  for (const s of document.statements) {
    for (const action of s.action ?? s.notAction ?? []) {
      if (!action.toLowerCase().startsWith('sts:')) fail(KIND_MESSAGES.trustActions);
      // NotAction names what is not granted: any STS action may be listed there.
      if (s.action && !TRUST_POLICY_ACTIONS.some(compileGlob(action, true))) fail(KIND_MESSAGES.trustActions);
    }
  }
};

const validTrustPrincipals: Rule = (document) => assertValidPrincipals(document, 'trust');
const validResourcePolicyPrincipals: Rule = (document) => assertValidPrincipals(document, 'resource');

/** SCPs limit the account's own principals: they cannot name one. */
const scpWithoutPrincipals: Rule = (document) => {
  for (const s of document.statements) if (s.principal || s.notPrincipal) fail(KIND_MESSAGES.organizations);
};

/** RCPs apply to every principal: `"Principal": "*"` is required and NotPrincipal is not supported. */
const rcpPrincipalIsEveryone: Rule = (document) => {
  for (const s of document.statements) if (s.notPrincipal || !s.principal?.wildcard) fail(KIND_MESSAGES.organizations);
};

/** Only AWS's own RCPFullAWSAccess may Allow; a custom RCP only denies. */
const rcpDeniesOnly: Rule = (document) => {
  for (const s of document.statements) if (s.effect === 'Allow' && !isFullAccessStatement(s)) fail(KIND_MESSAGES.organizations);
};

/** The services RCPs support (orgs_manage_policies_rcps.html); NotAction is not an RCP element. */
const RCP_SERVICES: ReadonlySet<string> = new Set([
  's3',
  'sts',
  'kms',
  'sqs',
  'secretsmanager',
  'cognito-identity',
  'ecr',
  'aoss',
  'logs',
  'dynamodb',
]);

const rcpSupportedActions: Rule = (document) => {
  for (const s of document.statements) {
    if (s.notAction) fail(KIND_MESSAGES.organizations);
    for (const action of s.action ?? []) {
      const vendor = action.split(':')[0]!.toLowerCase();
      if (action !== '*' && !RCP_SERVICES.has(vendor)) fail(KIND_MESSAGES.organizations);
    }
  }
};

function isFullAccessStatement(s: Statement): boolean {
  const onlyStar = (list: string[] | undefined) => list?.length === 1 && list[0] === '*';
  return s.principal?.wildcard === true && onlyStar(s.action) && onlyStar(s.resource) && !s.condition;
}

const KIND_RULES: Readonly<Record<PolicyKind, readonly Rule[]>> = {
  identity: [managedPolicyVersion, legacyParsing, noPrincipal, alphanumericSids, uniqueSids, actionsPresent, resourcesPresent, resourceFormats, actionVendors],
  boundary: [managedPolicyVersion, legacyParsing, noPrincipal, alphanumericSids, uniqueSids, actionsPresent, resourcesPresent, resourceFormats, actionVendors],
  session: [legacyParsing, noPrincipal, alphanumericSids, uniqueSids, actionsPresent, resourcesPresent, resourceFormats, actionVendors],
  trust: [
    legacyParsing,
    alphanumericSids,
    uniqueSids,
    trustWithoutResources,
    trustWithoutNotPrincipal,
    principalPresent,
    actionsPresent,
    stsActionsOnly,
    validTrustPrincipals,
    actionVendors,
  ],
  resource: [
    legacyParsing,
    uniqueSids,
    notPrincipalOnlyWithDeny,
    principalPresent,
    actionsPresent,
    resourcesPresent,
    resourceFormats,
    validResourcePolicyPrincipals,
    actionVendors,
  ],
  scp: [legacyParsing, alphanumericSids, uniqueSids, scpWithoutPrincipals, actionsPresent, resourcesPresent, resourceFormats, actionVendors],
  rcp: [
    version2012,
    legacyParsing,
    alphanumericSids,
    uniqueSids,
    rcpPrincipalIsEveryone,
    rcpDeniesOnly,
    actionsPresent,
    rcpSupportedActions,
    resourcesPresent,
    resourceFormats,
    actionVendors,
  ],
};

// ---------------------------------------------------------------------------------------------------
// Principals of trust and resource policies: `Invalid principal in policy: "AWS":"..."`.

const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;
type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

/** How IAM names each principal type in its message. */
const PRINCIPAL_TYPE_LABELS: Readonly<Record<PrincipalType, string>> = {
  AWS: 'AWS',
  Service: 'SERVICE',
  Federated: 'FEDERATED',
  CanonicalUser: 'CANONICAL_USER',
};

/** Identity providers STS federates with by name (id_roles_providers_oidc.html). */
const WELL_KNOWN_FEDERATED: ReadonlySet<string> = new Set([
  'accounts.google.com',
  'graph.facebook.com',
  'www.amazon.com',
  'cognito-identity.amazonaws.com',
]);

const SERVICE_PRINCIPAL = /^(?:[a-z0-9-]+\.)+(?:amazonaws\.com|amazonaws\.com\.cn|c2s\.ic\.gov|sc2s\.sgov\.gov)$/;
const ACCOUNT_ID = /^\d{12}$/;

type PrincipalKind = 'trust' | 'resource';

function assertValidPrincipals(document: PolicyDocument, kind: PrincipalKind): void {
  for (const s of document.statements) {
    for (const block of [s.principal, s.notPrincipal]) if (block) assertValidPrincipalBlock(block, kind);
  }
}

function assertValidPrincipalBlock(block: PrincipalBlock, kind: PrincipalKind): void {
  for (const type of PRINCIPAL_TYPES) {
    for (const value of block[type] ?? []) {
      if (!isValidPrincipal(type, value, kind)) fail(`Invalid principal in policy: "${PRINCIPAL_TYPE_LABELS[type]}":"${value}"`);
    }
  }
}

function isValidPrincipal(type: PrincipalType, value: string, kind: PrincipalKind): boolean {
  switch (type) {
    case 'AWS':
      return isValidAwsPrincipal(value, kind);
    case 'Service':
      return SERVICE_PRINCIPAL.test(value);
    case 'Federated':
      return WELL_KNOWN_FEDERATED.has(value) || isIdentityProviderArn(value);
    case 'CanonicalUser':
      // Canonical user IDs are an S3 notion; IAM roles cannot trust one.
      return kind === 'resource' && /^[0-9a-f]{64}$/i.test(value);
  }
}

/**
 * `*`, an account ID, a user's or role's unique ID, or the exact ARN of an account root, IAM user or role, role session or federated
 * user. A wildcard can't match part of a principal (reference_policies_elements_principal.html).
 */
function isValidAwsPrincipal(value: string, kind: PrincipalKind): boolean {
  // A user's or role's unique id: what IAM keeps for a deleted one (reference_policies_elements_principal.html).
  if (value === '*' || ACCOUNT_ID.test(value) || UNIQUE_PRINCIPAL_ID.test(value)) return true;
  if (/[*?]/.test(value)) return false;
  const arn = parseArn(value);
  if (!arn || !PARTITIONS.has(arn.partition) || arn.region !== '') return false;
  // CloudFront origin access identities are named `arn:aws:iam::cloudfront:user/...` in bucket policies.
  const accountOk = ACCOUNT_ID.test(arn.account) || (kind === 'resource' && arn.account === 'cloudfront');
  if (!accountOk) return false;
  if (arn.service === 'iam') return arn.resource === 'root' || /^(?:user|role)\/.+/.test(arn.resource);
  if (arn.service === 'sts') return /^assumed-role\/[^/]+\/.+/.test(arn.resource) || /^federated-user\/.+/.test(arn.resource);
  return false;
}

function isIdentityProviderArn(value: string): boolean {
  if (/[*?]/.test(value)) return false;
  const arn = parseArn(value);
  if (!arn || !PARTITIONS.has(arn.partition) || arn.service !== 'iam' || arn.region !== '') return false;
  return ACCOUNT_ID.test(arn.account) && /^(?:oidc-provider|saml-provider)\/.+/.test(arn.resource);
}

export { MESSAGES };

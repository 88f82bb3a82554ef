/**
 * STS AssumeRoleWithSAML (API_AssumeRoleWithSAML.html; id_roles_providers_saml.html). The call is unsigned:
 * the IdP's signed SAML response is the credential. The provider `PrincipalArn` names must exist in the
 * role's account; the response must verify against its metadata's signing certificates
 * (saml-response.ts), come from its entity id, be meant for AWS and be current, and pair `RoleArn` with
 * `PrincipalArn` in its Role attribute. Then the role's trust policy decides, with the provider as the
 * Federated principal and the `saml:*` keys (sts:TagSession and sts:SetSourceIdentity too when the
 * assertion passes tags or a source identity), and a role session is issued: it lasts DurationSeconds
 * (default one hour), never beyond the assertion's SessionNotOnOrAfter.
 */
import { parseRoleArn } from '../model/arns.js';
import { defineOperation, type OperationContext } from '../iam/operation.js';
import { parseSamlMetadata } from '../iam/saml-metadata.js';
import { findSamlProvider, privateKeysOf } from '../iam/saml-providers.js';
import type { Role, SamlProvider } from '../model/entities.js';
import { requestTagContext } from '../iam/tags.js';
import { issueRoleSession, type IssuedCredentials } from './issue-session.js';
import {
  assertionGrantsRole,
  checkAssertionValidity,
  nameQualifierOf,
  notAuthorizedForSaml,
  roleSessionNameOf,
  samlConditionKeys,
  samlSessionTagsOf,
  samlSourceIdentityOf,
  sessionDurationOf,
  subjectTypeOf,
} from './saml-federation.js';
import { decodeSamlResponse, verifySamlResponse } from './saml-response.js';
import { sessionPolicyArns } from './session-parameters.js';
import { invalidIdentityToken } from './web-identity-errors.js';
import { trustBaseContext, trustPolicyAllows } from './web-identity-trust.js';

export interface AssumeRoleWithSAMLInput {
  RoleArn: string;
  PrincipalArn: string;
  SAMLAssertion: string;
  PolicyArns?: Array<{ arn?: string }>;
  Policy?: string;
  DurationSeconds?: number;
}

export interface AssumeRoleWithSAMLOutput {
  Credentials: IssuedCredentials;
  AssumedRoleUser: { AssumedRoleId: string; Arn: string };
  PackedPolicySize?: number;
  Subject: string;
  SubjectType: string;
  Issuer: string;
  Audience: string;
  NameQualifier: string;
  SourceIdentity?: string;
}

/** The session duration when DurationSeconds is omitted (API_AssumeRoleWithSAML.html). */
export const DEFAULT_SAML_SESSION_SECONDS = 3600;
/** Tolerance, in seconds, for the assertion's validity times against this server's clock. */
export const SAML_CLOCK_SKEW_SECONDS = 60;

const PROVIDER_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):saml-provider\/([\w._-]+)$/;

/** The SAML provider PrincipalArn names, in the role's account (the wording is Rolecall's). */
async function providerOf(context: OperationContext, principalArn: string, roleAccount: string): Promise<SamlProvider> {
  const match = PROVIDER_ARN.exec(principalArn);
  const provider = match && match[1] === roleAccount ? await context.store.read((reader) => findSamlProvider(reader, roleAccount, principalArn)) : undefined;
  if (!provider) throw invalidIdentityToken(`No SAML provider ${principalArn} in the role's account`);
  if (Date.parse(provider.ValidUntil) <= context.now.getTime()) throw invalidIdentityToken(`The SAML provider ${principalArn} is no longer valid (ValidUntil ${provider.ValidUntil})`);
  return provider;
}

export const assumeRoleWithSAML = defineOperation<AssumeRoleWithSAMLInput, AssumeRoleWithSAMLOutput>({
  service: 'sts',
  name: 'AssumeRoleWithSAML',
  // Unsigned: the signed SAML response authenticates the call; the role's trust policy decides in execute.
  authorize: () => [],
  async execute(context, input) {
    const policyArns = sessionPolicyArns(input.PolicyArns);
    const target = parseRoleArn(input.RoleArn);
    if (!target) throw notAuthorizedForSaml();
    const provider = await providerOf(context, input.PrincipalArn, target.account);
    const metadata = parseSamlMetadata(provider.SAMLMetadataDocument);
    const assertion = await verifySamlResponse(decodeSamlResponse(input.SAMLAssertion), metadata.signingCertificates, {
      required: provider.AssertionEncryptionMode === 'Required',
      privateKeys: privateKeysOf(context.secrets, provider),
    });
    if (assertion.issuer !== metadata.entityId) throw invalidIdentityToken(`Invalid SAML response: the Issuer ${assertion.issuer} is not the provider's entity id`);
    const recipient = checkAssertionValidity(assertion, context.now, SAML_CLOCK_SKEW_SECONDS);
    if (!assertionGrantsRole(assertion, input.RoleArn, input.PrincipalArn)) throw notAuthorizedForSaml();
    const sessionName = roleSessionNameOf(assertion);
    sessionDurationOf(assertion);
    const sessionTags = samlSessionTagsOf(assertion);
    const sourceIdentity = samlSourceIdentityOf(assertion);

    const role = await context.store.read((reader) => reader.get<Role>('role', target.account, target.name));
    if (!role || role.Arn !== input.RoleArn) throw notAuthorizedForSaml();
    const requestContext = {
      ...trustBaseContext(context, role),
      ...samlConditionKeys({ assertion, recipient, account: target.account, providerName: provider.Name }),
      'sts:RoleSessionName': sessionName,
      ...(sessionTags ? requestTagContext(sessionTags.tags) : {}),
      ...(sessionTags?.transitiveTagKeys.length ? { 'sts:TransitiveTagKeys': sessionTags.transitiveTagKeys } : {}),
      ...(sourceIdentity !== undefined ? { 'sts:SourceIdentity': sourceIdentity } : {}),
    };
    const actions = ['sts:AssumeRoleWithSAML'];
    if (sessionTags && sessionTags.tags.length > 0) actions.push('sts:TagSession');
    if (sourceIdentity !== undefined) actions.push('sts:SetSourceIdentity');
    if (!trustPolicyAllows(role, provider.Arn, actions, requestContext)) throw notAuthorizedForSaml();

    // "Your role session lasts for the duration that you specify, or until the time specified in the SAML
    // authentication response's SessionNotOnOrAfter value, whichever is shorter."
    let durationSeconds = input.DurationSeconds ?? DEFAULT_SAML_SESSION_SECONDS;
    if (assertion.sessionNotOnOrAfter !== undefined) {
      durationSeconds = Math.min(durationSeconds, Math.floor((assertion.sessionNotOnOrAfter - context.now.getTime()) / 1000));
      if (durationSeconds <= 0) throw invalidIdentityToken('Invalid SAML response: the session it grants (SessionNotOnOrAfter) is over');
    }
    const session = await issueRoleSession(context, {
      role,
      sessionName,
      durationSeconds,
      ...(input.Policy !== undefined ? { policy: input.Policy } : {}),
      ...(policyArns.length > 0 ? { policyArns } : {}),
      ...(sessionTags ? { tags: sessionTags.tags, transitiveTagKeys: sessionTags.transitiveTagKeys } : {}),
      ...(sourceIdentity !== undefined ? { sourceIdentity } : {}),
      saml: { providerArn: provider.Arn },
    });
    const packed = input.Policy !== undefined || policyArns.length > 0 || (sessionTags?.tags.length ?? 0) > 0;
    return {
      Credentials: session.Credentials,
      AssumedRoleUser: session.AssumedRoleUser,
      ...(packed ? { PackedPolicySize: session.PackedPolicySize } : {}),
      Subject: assertion.subject,
      SubjectType: subjectTypeOf(assertion.subjectFormat),
      Issuer: assertion.issuer,
      Audience: recipient,
      NameQualifier: nameQualifierOf(assertion.issuer, target.account, provider.Name),
      ...(sourceIdentity !== undefined ? { SourceIdentity: sourceIdentity } : {}),
    };
  },
});

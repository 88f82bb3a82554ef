/**
 * What a verified SAML assertion means to STS (id_roles_providers_create_saml_assertions.html,
 * reference_policies_iam-condition-keys.html#condition-keys-saml): whether it was meant for AWS (audience,
 * recipient) and is current, which role and provider pairs it grants, the session name, duration, tags and
 * source identity it sets, and the `saml:*` condition keys the role's trust policy sees.
 */
import { createHash } from 'node:crypto';
import type { Tag } from '../model/entities.js';
import type { ContextValue } from '../policy/index.js';
import { AwsError } from '../model/errors.js';
import type { SignedAssertion } from './saml-response.js';
import { expiredToken, invalidIdentityToken } from './web-identity-errors.js';

/** The AWS attribute names an IdP sets. */
export const AWS_SAML_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/';
const ROLE = `${AWS_SAML_ATTRIBUTE}Role`;
const ROLE_SESSION_NAME = `${AWS_SAML_ATTRIBUTE}RoleSessionName`;
const SESSION_DURATION = `${AWS_SAML_ATTRIBUTE}SessionDuration`;
const PRINCIPAL_TAG = `${AWS_SAML_ATTRIBUTE}PrincipalTag:`;
const TRANSITIVE_TAG_KEYS = `${AWS_SAML_ATTRIBUTE}TransitiveTagKeys`;
const SOURCE_IDENTITY = `${AWS_SAML_ATTRIBUTE}SourceIdentity`;

/** AWS's sign-in endpoint, global or regional: the recipient (saml:aud) an assertion for AWS names. */
const SIGN_IN_ENDPOINT = /^https:\/\/(?:[a-z]{2}(?:-[a-z]+)+-\d\.)?signin\.aws\.amazon\.com\/saml$/;
/** AWS's service provider entity id, which IdPs commonly put in the AudienceRestriction. */
const AWS_ENTITY_ID = 'urn:amazon:webservices';

const NAMEID_FORMAT_PREFIX = 'urn:oasis:names:tc:SAML:2.0:nameid-format:';

/**
 * The attributes AWS turns into `saml:*` condition keys besides aud, iss, sub, sub_type, namequalifier
 * and doc: eduPerson, eduOrg and X.500 attributes by their OIDs (the IAM condition key reference).
 */
const ATTRIBUTE_KEYS: Readonly<Record<string, string>> = {
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': 'saml:edupersonaffiliation',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.2': 'saml:edupersonnickname',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.3': 'saml:edupersonorgdn',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.4': 'saml:edupersonorgunitdn',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.5': 'saml:edupersonprimaryaffiliation',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.6': 'saml:edupersonprincipalname',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.7': 'saml:edupersonentitlement',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.8': 'saml:edupersonprimaryorgunitdn',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.9': 'saml:edupersonscopedaffiliation',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.10': 'saml:edupersontargetedid',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.11': 'saml:edupersonassurance',
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.2': 'saml:eduorghomepageuri',
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.3': 'saml:eduorgidentityauthnpolicyuri',
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.4': 'saml:eduorglegalname',
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.5': 'saml:eduorgsuperioruri',
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.6': 'saml:eduorgwhitepagesuri',
  'urn:oid:2.5.4.3': 'saml:cn',
  'urn:oid:2.5.4.42': 'saml:givenName',
  'urn:oid:2.5.4.4': 'saml:surname',
  'urn:oid:0.9.2342.19200300.100.1.3': 'saml:mail',
  'urn:oid:0.9.2342.19200300.100.1.1': 'saml:uid',
};

/**
 * Checks that the assertion is for AWS and current: an audience of AWS, a bearer confirmation whose
 * recipient is AWS's sign-in endpoint, and now within NotBefore..NotOnOrAfter (with `skewSeconds`);
 * returns the recipient (the response's Audience and saml:aud).
 */
export function checkAssertionValidity(assertion: SignedAssertion, now: Date, skewSeconds: number): string {
  const recipient = assertion.recipients.find((candidate) => SIGN_IN_ENDPOINT.test(candidate));
  if (!recipient) throw invalidIdentityToken('Invalid SAML response: no bearer SubjectConfirmationData has the Recipient https://signin.aws.amazon.com/saml');
  const forAws = assertion.audiences.some((audience) => audience === AWS_ENTITY_ID || SIGN_IN_ENDPOINT.test(audience));
  if (!forAws) throw invalidIdentityToken('Invalid SAML response: the AudienceRestriction does not name https://signin.aws.amazon.com/saml');
  const nowMs = now.getTime();
  const skew = skewSeconds * 1000;
  for (const limit of [assertion.notOnOrAfter, assertion.confirmationNotOnOrAfter]) {
    if (limit !== undefined && nowMs >= limit + skew) throw expiredToken(Math.floor(nowMs / 1000), Math.floor(limit / 1000));
  }
  if (assertion.notBefore !== undefined && nowMs + skew < assertion.notBefore) {
    throw invalidIdentityToken(`Invalid SAML response: the assertion is not valid before ${new Date(assertion.notBefore).toISOString()}`);
  }
  return recipient;
}

/** Whether the Role attribute pairs `roleArn` with `providerArn` ("role-arn,provider-arn" in either order). */
export function assertionGrantsRole(assertion: SignedAssertion, roleArn: string, providerArn: string): boolean {
  return (assertion.attributes.get(ROLE) ?? []).some((value) => {
    const parts = value.split(',').map((part) => part.trim());
    return parts.length === 2 && parts.includes(roleArn) && parts.includes(providerArn) && roleArn !== providerArn;
  });
}

const ROLE_SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;

/** The RoleSessionName attribute (required; AWS's wording when it breaks the pattern). */
export function roleSessionNameOf(assertion: SignedAssertion): string {
  const values = assertion.attributes.get(ROLE_SESSION_NAME) ?? [];
  if (values.length === 0) throw invalidIdentityToken('RoleSessionName is required in AuthnResponse');
  const name = values[0]!;
  if (values.length > 1 || !ROLE_SESSION_NAME_PATTERN.test(name)) throw invalidIdentityToken('RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}');
  return name;
}

/** The SessionDuration attribute, when set: 900..43,200 seconds. */
export function sessionDurationOf(assertion: SignedAssertion): number | undefined {
  const values = assertion.attributes.get(SESSION_DURATION);
  if (!values) return undefined;
  const seconds = values.length === 1 && /^\d+$/.test(values[0]!) ? Number(values[0]) : NaN;
  if (!(seconds >= 900 && seconds <= 43_200)) throw invalidIdentityToken('SessionDuration in AuthnResponse must be a number of seconds from 900 to 43200');
  return seconds;
}

export interface SamlSessionTags {
  tags: Tag[];
  transitiveTagKeys: string[];
}

/** PrincipalTag:KEY attributes (one value each) and TransitiveTagKeys, when the assertion passes tags. */
export function samlSessionTagsOf(assertion: SignedAssertion): SamlSessionTags | undefined {
  const tags: Tag[] = [];
  for (const [name, values] of assertion.attributes) {
    if (!name.startsWith(PRINCIPAL_TAG)) continue;
    if (values.length !== 1) throw invalidIdentityToken(`Invalid SAML response: the session tag attribute ${name} must have exactly one value`);
    tags.push({ Key: name.slice(PRINCIPAL_TAG.length), Value: values[0]! });
  }
  const transitiveTagKeys = [...(assertion.attributes.get(TRANSITIVE_TAG_KEYS) ?? [])];
  return tags.length > 0 || transitiveTagKeys.length > 0 ? { tags, transitiveTagKeys } : undefined;
}

/** The SourceIdentity attribute, when set. */
export function samlSourceIdentityOf(assertion: SignedAssertion): string | undefined {
  const values = assertion.attributes.get(SOURCE_IDENTITY);
  if (!values) return undefined;
  if (values.length !== 1) throw invalidIdentityToken('Invalid SAML response: SourceIdentity must have exactly one value');
  return values[0];
}

/** The response's SubjectType: the NameID format without AWS's well-known prefix. */
export function subjectTypeOf(format: string): string {
  return format.startsWith(NAMEID_FORMAT_PREFIX) ? format.slice(NAMEID_FORMAT_PREFIX.length) : format;
}

/** NameQualifier: BASE64 ( SHA1 ( Issuer + account id + "/" + provider name ) ), as the STS API documents. */
export function nameQualifierOf(issuer: string, account: string, providerName: string): string {
  return createHash('sha1').update(`${issuer}${account}/${providerName}`, 'utf8').digest('base64');
}

export interface SamlIdentity {
  assertion: SignedAssertion;
  recipient: string;
  account: string;
  providerName: string;
}

/** The `saml:*` condition keys of the request (saml:doc is `ACCOUNT/PROVIDER-NAME`). */
export function samlConditionKeys(identity: SamlIdentity): Record<string, ContextValue> {
  const { assertion } = identity;
  const keys: Record<string, ContextValue> = {
    'saml:aud': identity.recipient,
    'saml:iss': assertion.issuer,
    'saml:sub': assertion.subject,
    'saml:sub_type': subjectTypeOf(assertion.subjectFormat),
    'saml:namequalifier': nameQualifierOf(assertion.issuer, identity.account, identity.providerName),
    'saml:doc': `${identity.account}/${identity.providerName}`,
  };
  for (const [name, key] of Object.entries(ATTRIBUTE_KEYS)) {
    const values = assertion.attributes.get(name);
    if (values && values.length > 0) keys[key] = values.length === 1 ? values[0]! : [...values];
  }
  return keys;
}

/** AWS's AccessDenied for every refusal of the role itself (no such role, not in the assertion, trust denies). */
export function notAuthorizedForSaml(): AwsError {
  return new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithSAML', 403);
}

/**
 * Reading a SAML 2.0 Response for AssumeRoleWithSAML (id_roles_providers_create_saml_assertions.html)
 * so that only what the IdP signed is ever believed:
 *
 * - the Response is base64 of an XML `samlp:Response` with a Success status, holding exactly one
 *   `Assertion` or `EncryptedAssertion` anywhere in it (a second one, or one hidden deeper, is refused:
 *   the signature-wrapping attacks move or add assertions); an encrypted one is decrypted with the
 *   provider's private keys (saml-decryption.ts) and must still be signed by the IdP;
 * - a `ds:Signature` that is a child of the Response or of that Assertion must verify with xml-crypto
 *   against a signing certificate of the provider's metadata — never a certificate the message carries —
 *   with exactly one Reference, to the element that holds the signature;
 * - everything read afterwards comes from the canonical bytes xml-crypto verified (getSignedReferences),
 *   parsed anew; nothing is read from the original document. Comments are not part of those bytes, so a
 *   comment inside NameID cannot truncate the subject a signature covered.
 */
import { SignedXml } from 'xml-crypto';
import type { Element } from '@xmldom/xmldom';
import { childElements, descendants, parseXml, SAML_ASSERTION_NS, SAML_PROTOCOL_NS, singleChild, textOf, XMLDSIG_NS, XmlRejected } from '../iam/xml-document.js';
import { AwsError } from '../model/errors.js';
import { decryptAssertion, encryptedAssertionInvalid } from './saml-decryption.js';
import { invalidIdentityToken } from './web-identity-errors.js';

/** AWS's answer when no signature of the response verifies with the provider's certificates. */
export const RESPONSE_SIGNATURE_INVALID = 'Response signature invalid';

/** One attribute of the assertion's AttributeStatement: its Name and its values. */
export type SamlAttributes = ReadonlyMap<string, readonly string[]>;

/** What a verified assertion says, read from the signed bytes only. */
export interface SignedAssertion {
  issuer: string;
  subject: string;
  /** NameID's Format attribute, as given (empty when absent). */
  subjectFormat: string;
  /** SubjectConfirmationData Recipient values of the bearer confirmations. */
  recipients: string[];
  /** The earliest NotOnOrAfter of the bearer confirmations, in ms. */
  confirmationNotOnOrAfter?: number;
  notBefore?: number;
  notOnOrAfter?: number;
  audiences: string[];
  /** The AuthnStatement's SessionNotOnOrAfter, in ms. */
  sessionNotOnOrAfter?: number;
  attributes: SamlAttributes;
}

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

const malformed = (what: string) => invalidIdentityToken(`Invalid SAML response: ${what}`);

/** Decodes the base64 SAMLAssertion parameter to the Response's XML text. */
export function decodeSamlResponse(encoded: string): string {
  const compact = encoded.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) throw malformed('the SAMLAssertion is not base64');
  return Buffer.from(compact, 'base64').toString('utf8');
}

/** How the provider takes encrypted assertions: its AssertionEncryptionMode and its (unsealed) private keys. */
export interface AssertionDecryption {
  required: boolean;
  privateKeys: readonly string[];
}

/**
 * Verifies the Response against the provider's signing certificates and returns its one assertion as
 * signed; throws InvalidIdentityToken (malformed, several assertions, no valid signature, an encrypted
 * assertion that does not decrypt, a plain one where encryption is required) or IDPRejectedClaim (the IdP
 * reported a failure status).
 */
export async function verifySamlResponse(xml: string, certificates: readonly string[], decryption: AssertionDecryption = { required: false, privateKeys: [] }): Promise<SignedAssertion> {
  let response: Element;
  try {
    response = parseXml(xml).documentElement!;
  } catch (error) {
    if (error instanceof XmlRejected) throw malformed('the SAMLAssertion is not well-formed XML');
    throw error;
  }
  if (response.namespaceURI !== SAML_PROTOCOL_NS || response.localName !== 'Response') throw malformed('the document is not a samlp:Response');
  const statusCode = singleOrThrow(() => singleChild(singleChild(response, SAML_PROTOCOL_NS, 'Status') ?? response, SAML_PROTOCOL_NS, 'StatusCode'));
  if (statusCode?.getAttribute('Value') !== SUCCESS) {
    throw new AwsError('IDPRejectedClaim', `The identity provider reported a failure status: ${statusCode?.getAttribute('Value') || 'none'}`, 403);
  }
  const assertions = [...descendants(response, SAML_ASSERTION_NS, 'Assertion'), ...descendants(response, SAML_ASSERTION_NS, 'EncryptedAssertion')];
  if (assertions.length !== 1 || assertions[0]!.parentNode !== response) throw malformed('the response must hold exactly one Assertion, as a child of the Response');
  const assertion = assertions[0]!;
  if (assertion.localName === 'EncryptedAssertion') return verifyEncryptedAssertion(xml, response, assertion, certificates, decryption.privateKeys);
  if (decryption.required) throw invalidIdentityToken(PLAIN_ASSERTION_REFUSED);

  // Candidate signatures: the Response's own and the Assertion's own; signatures elsewhere sign nothing we use.
  const candidates = [...childElements(response, XMLDSIG_NS, 'Signature'), ...childElements(assertion, XMLDSIG_NS, 'Signature')];
  for (const signature of candidates) {
    const signedElement = signedElementOf(xml, signature, certificates);
    if (!signedElement) continue;
    const signedAssertion = signedElement.localName === 'Response' ? onlyAssertionOf(signedElement) : signedElement;
    return readAssertion(signedAssertion);
  }
  throw invalidIdentityToken(RESPONSE_SIGNATURE_INVALID);
}

/** The refusal of a plain assertion by a provider whose AssertionEncryptionMode is Required (the wording is Rolecall's). */
export const PLAIN_ASSERTION_REFUSED = 'Invalid SAML response: the SAML provider requires encrypted assertions';

/**
 * An EncryptedAssertion is believed when the IdP signed it: either the Response's signature covers the
 * ciphertext (then the assertion is decrypted from the signed bytes), or the decrypted assertion carries
 * its own signature. Anyone can encrypt to the provider's public key, so decryption alone proves nothing,
 * and every failure after decryption is the one refusal of saml-decryption.ts.
 */
async function verifyEncryptedAssertion(xml: string, response: Element, encrypted: Element, certificates: readonly string[], privateKeys: readonly string[]): Promise<SignedAssertion> {
  if (privateKeys.length === 0) throw encryptedAssertionInvalid();
  for (const signature of childElements(response, XMLDSIG_NS, 'Signature')) {
    const signedResponse = signedElementOf(xml, signature, certificates);
    if (!signedResponse) continue;
    const signedEncrypted = childElements(signedResponse, SAML_ASSERTION_NS, 'EncryptedAssertion');
    if (signedEncrypted.length !== 1) throw encryptedAssertionInvalid();
    return readAssertion(decryptedAssertionElement(await decryptAssertion(signedEncrypted[0]!, privateKeys)));
  }
  const plaintext = await decryptAssertion(encrypted, privateKeys);
  const assertion = decryptedAssertionElement(plaintext);
  for (const signature of childElements(assertion, XMLDSIG_NS, 'Signature')) {
    const signed = signedElementOf(plaintext, signature, certificates);
    if (signed) return readAssertion(signed);
  }
  throw encryptedAssertionInvalid();
}

/** The decrypted text as one saml:Assertion holding no other; the one refusal otherwise. */
function decryptedAssertionElement(plaintext: string): Element {
  let root: Element;
  try {
    root = parseXml(plaintext).documentElement!;
  } catch {
    throw encryptedAssertionInvalid();
  }
  const nested = descendants(root, SAML_ASSERTION_NS, 'Assertion').length + descendants(root, SAML_ASSERTION_NS, 'EncryptedAssertion').length;
  if (root.namespaceURI !== SAML_ASSERTION_NS || root.localName !== 'Assertion' || nested > 0) throw encryptedAssertionInvalid();
  return root;
}

function singleOrThrow<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof XmlRejected) throw malformed(error.message);
    throw error;
  }
}

/**
 * The element a signature covers, parsed from the canonical bytes xml-crypto verified, when the signature
 * verifies with one of the certificates and references exactly the element that holds it.
 */
function signedElementOf(xml: string, signature: Element, certificates: readonly string[]): Element | undefined {
  const holder = signature.parentNode as Element;
  const holderId = holder.getAttribute('ID');
  if (!holderId) return undefined;
  for (const certificate of certificates) {
    // The certificate comes from the provider's metadata only: a KeyInfo in the message is ignored.
    const verifier = new SignedXml({ publicCert: certificate, getCertFromKeyInfo: () => null });
    let signedBytes: string[];
    try {
      verifier.loadSignature(signature);
      if (verifier.getReferences().length !== 1) return undefined;
      if (!verifier.checkSignature(xml)) continue;
      signedBytes = verifier.getSignedReferences();
    } catch {
      continue;
    }
    if (signedBytes.length !== 1) return undefined;
    let signed: Element;
    try {
      signed = parseXml(signedBytes[0]!).documentElement!;
    } catch {
      return undefined;
    }
    const sameElement = signed.namespaceURI === holder.namespaceURI && signed.localName === holder.localName && signed.getAttribute('ID') === holderId;
    return sameElement ? signed : undefined;
  }
  return undefined;
}

function onlyAssertionOf(signedResponse: Element): Element {
  const assertions = descendants(signedResponse, SAML_ASSERTION_NS, 'Assertion');
  if (assertions.length !== 1 || assertions[0]!.parentNode !== signedResponse) throw malformed('the response must hold exactly one Assertion, as a child of the Response');
  return assertions[0]!;
}

function timeOf(element: Element | undefined, attribute: string): number | undefined {
  const text = element?.getAttribute(attribute) ?? '';
  if (text === '') return undefined;
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw malformed(`${attribute} is not a date and time`);
  return time;
}

/** Reads the signed assertion's issuer, subject, conditions and attributes. */
function readAssertion(assertion: Element): SignedAssertion {
  return singleOrThrow(() => {
    const issuer = singleChild(assertion, SAML_ASSERTION_NS, 'Issuer');
    const subject = singleChild(assertion, SAML_ASSERTION_NS, 'Subject');
    const nameId = subject ? singleChild(subject, SAML_ASSERTION_NS, 'NameID') : undefined;
    if (!issuer || !nameId) throw malformed('the assertion needs an Issuer and a Subject NameID');
    const bearerData = (subject ? childElements(subject, SAML_ASSERTION_NS, 'SubjectConfirmation') : [])
      .filter((confirmation) => confirmation.getAttribute('Method') === BEARER)
      .map((confirmation) => singleChild(confirmation, SAML_ASSERTION_NS, 'SubjectConfirmationData'))
      .filter((data): data is Element => data !== undefined);
    const confirmationTimes = bearerData.map((data) => timeOf(data, 'NotOnOrAfter')).filter((time): time is number => time !== undefined);
    const conditions = singleChild(assertion, SAML_ASSERTION_NS, 'Conditions');
    const audiences = (conditions ? childElements(conditions, SAML_ASSERTION_NS, 'AudienceRestriction') : []).flatMap((restriction) =>
      childElements(restriction, SAML_ASSERTION_NS, 'Audience').map((audience) => textOf(audience).trim()),
    );
    const authn = childElements(assertion, SAML_ASSERTION_NS, 'AuthnStatement');
    const sessionTimes = authn.map((statement) => timeOf(statement, 'SessionNotOnOrAfter')).filter((time): time is number => time !== undefined);
    const attributes = new Map<string, string[]>();
    for (const statement of childElements(assertion, SAML_ASSERTION_NS, 'AttributeStatement')) {
      for (const attribute of childElements(statement, SAML_ASSERTION_NS, 'Attribute')) {
        const name = attribute.getAttribute('Name') ?? '';
        const values = childElements(attribute, SAML_ASSERTION_NS, 'AttributeValue').map((value) => textOf(value).trim());
        attributes.set(name, [...(attributes.get(name) ?? []), ...values]);
      }
    }
    const notBefore = timeOf(conditions, 'NotBefore');
    const notOnOrAfter = timeOf(conditions, 'NotOnOrAfter');
    return {
      issuer: textOf(issuer).trim(),
      subject: textOf(nameId).trim(),
      subjectFormat: nameId.getAttribute('Format') ?? '',
      recipients: bearerData.map((data) => data.getAttribute('Recipient') ?? ''),
      ...(confirmationTimes.length > 0 ? { confirmationNotOnOrAfter: Math.min(...confirmationTimes) } : {}),
      ...(notBefore !== undefined ? { notBefore } : {}),
      ...(notOnOrAfter !== undefined ? { notOnOrAfter } : {}),
      audiences,
      ...(sessionTimes.length > 0 ? { sessionNotOnOrAfter: Math.min(...sessionTimes) } : {}),
      attributes,
    };
  });
}

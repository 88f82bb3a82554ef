// A SAML identity provider for tests whose signatures come from openssl, not from the XML library that
// verifies them: xmlsec1 is not installed on this machine, so the IdP writes each signed element
// directly in its exclusive-canonical form (attributes in canonical order, no empty-element tags, one
// namespace declaration where it is first used, no white space between elements), digests and signs
// those exact bytes with `openssl dgst`, and splices the <ds:Signature> in. xml-crypto then has to
// re-derive the same canonical bytes from the document to verify — an independent check of its
// canonicalization and of Rolecall's use of it. Keys and certificates come from `openssl req`.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
export const AWS_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/';
export const SIGN_IN = 'https://signin.aws.amazon.com/saml';

function openssl(args: string[], input?: Buffer | string): Buffer {
  const result = spawnSync('openssl', args, { input, maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr.toString()}`);
  return result.stdout;
}

export interface SigningKey {
  keyPem: string;
  certPem: string;
  /** The certificate's DER in base64, as metadata and KeyInfo carry it. */
  certBase64: string;
}

/** A fresh RSA key and self-signed certificate from `openssl req`. */
export function newSigningKey(commonName = 'idp.example.test'): SigningKey {
  const dir = mkdtempSync(join(tmpdir(), 'rolecall-saml-'));
  try {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650', '-subj', `/CN=${commonName}`, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
    const keyPem = readFileSync(join(dir, 'key.pem'), 'utf8');
    const certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    return { keyPem, certPem, certBase64: certPem.replace(/-----[A-Z ]+-----|\s/g, '') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Escapes text as canonical XML writes it. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;');
}

/** IdP metadata naming the entity id and its signing certificates. */
export function idpMetadata(entityId: string, certificates: readonly string[], validUntil?: string): string {
  const keys = certificates
    .map((cert) => `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="${DS}"><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)
    .join('\n    ');
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}"${validUntil ? ` validUntil="${validUntil}"` : ''}>
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    ${keys}
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
`;
}

export interface AssertionOptions {
  id?: string;
  issuer: string;
  subject: string;
  /** Raw XML for the NameID's content instead of the escaped subject (the comment attack). */
  subjectXml?: string;
  subjectFormat?: string;
  recipient?: string;
  audience?: string;
  notBefore: Date;
  notOnOrAfter: Date;
  sessionNotOnOrAfter?: Date;
  /** Attribute name to its values. */
  attributes: Record<string, string[]>;
}

function iso(date: Date): string {
  return date.toISOString();
}

/** The assertion in exclusive-canonical form, with `signature` (if any) after its Issuer. */
export function assertionXml(options: AssertionOptions, signature = ''): string {
  const id = options.id ?? '_assertion1';
  const format = options.subjectFormat ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
  const recipient = options.recipient ?? SIGN_IN;
  const attributes = Object.entries(options.attributes)
    .map(([name, values]) => `<saml:Attribute Name="${escapeAttribute(name)}">${values.map((value) => `<saml:AttributeValue>${escapeText(value)}</saml:AttributeValue>`).join('')}</saml:Attribute>`)
    .join('');
  return (
    `<saml:Assertion xmlns:saml="${SAML}" ID="${id}" IssueInstant="${iso(options.notBefore)}" Version="2.0">` +
    `<saml:Issuer>${escapeText(options.issuer)}</saml:Issuer>` +
    signature +
    `<saml:Subject><saml:NameID Format="${format}">${options.subjectXml ?? escapeText(options.subject)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${iso(options.notOnOrAfter)}" Recipient="${escapeAttribute(recipient)}"></saml:SubjectConfirmationData></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(options.notBefore)}" NotOnOrAfter="${iso(options.notOnOrAfter)}"><saml:AudienceRestriction><saml:Audience>${escapeText(options.audience ?? SIGN_IN)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(options.notBefore)}"${options.sessionNotOnOrAfter ? ` SessionNotOnOrAfter="${iso(options.sessionNotOnOrAfter)}"` : ''}><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
    `</saml:Assertion>`
  );
}

/**
 * The <ds:Signature> over `canonical` (the signed element without its signature, already canonical), for
 * the element with this ID: SHA-256 digest and RSA-SHA256 signature computed by openssl.
 */
export function signatureFor(canonical: string, id: string, key: SigningKey, keyInfoCert = key.certBase64): string {
  const digest = openssl(['dgst', '-sha256', '-binary'], canonical).toString('base64');
  const signedInfoBody =
    `<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"></ds:SignatureMethod>` +
    `<ds:Reference URI="#${id}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"></ds:Transform>` +
    `<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"></ds:Transform></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"></ds:DigestMethod><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference>`;
  // SignedInfo's canonical form declares the ds namespace on itself (it is the apex of what is signed).
  const canonicalSignedInfo = `<ds:SignedInfo xmlns:ds="${DS}">${signedInfoBody}</ds:SignedInfo>`;
  const dir = mkdtempSync(join(tmpdir(), 'rolecall-saml-sign-'));
  let value: string;
  try {
    const keyFile = join(dir, 'key.pem');
    spawnSync('sh', ['-c', `umask 077 && cat > '${keyFile}'`], { input: key.keyPem });
    value = openssl(['dgst', '-sha256', '-sign', keyFile], canonicalSignedInfo).toString('base64');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return (
    `<ds:Signature xmlns:ds="${DS}"><ds:SignedInfo>${signedInfoBody}</ds:SignedInfo><ds:SignatureValue>${value}</ds:SignatureValue>` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${keyInfoCert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>`
  );
}

/** The assertion signed by `key` (enveloped signature after the Issuer). */
export function signedAssertion(options: AssertionOptions, key: SigningKey, keyInfoCert?: string): string {
  const id = options.id ?? '_assertion1';
  return assertionXml(options, signatureFor(assertionXml(options), id, key, keyInfoCert));
}

/** A samlp:Response around the given assertion XML (and anything else), optionally signed as a whole. */
export function responseXml(issuer: string, inner: string, options: { id?: string; status?: string; signWith?: SigningKey } = {}): string {
  const id = options.id ?? '_response1';
  const status = options.status ?? 'urn:oasis:names:tc:SAML:2.0:status:Success';
  const build = (signature: string) =>
    `<samlp:Response xmlns:samlp="${SAMLP}" Destination="${SIGN_IN}" ID="${id}" IssueInstant="2025-03-04T05:00:00.000Z" Version="2.0">` +
    `<saml:Issuer xmlns:saml="${SAML}">${escapeText(issuer)}</saml:Issuer>` +
    signature +
    `<samlp:Status><samlp:StatusCode Value="${status}"></samlp:StatusCode></samlp:Status>` +
    inner +
    `</samlp:Response>`;
  return options.signWith ? build(signatureFor(build(''), id, options.signWith)) : build('');
}

/** The SAMLAssertion parameter: the Response in base64. */
export function encodeResponse(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

const XENC = 'http://www.w3.org/2001/04/xmlenc#';

/**
 * The assertion as an EncryptedAssertion to the holder of `recipientCertPem`, encrypted by openssl (an
 * encryptor independent of the library Rolecall decrypts with): AES-256-CBC content (`openssl enc`, IV
 * first, PKCS#7 padding) and the AES key wrapped with RSA-OAEP, SHA-1 and MGF1-SHA-1 (`openssl pkeyutl`),
 * written in exclusive-canonical form so that a Response signature can cover it.
 */
export function encryptedAssertion(assertion: string, recipientCertPem: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rolecall-saml-encrypt-'));
  try {
    const certFile = join(dir, 'recipient.pem');
    writeFileSync(certFile, recipientCertPem);
    const contentKey = randomBytes(32);
    const iv = randomBytes(16);
    const body = openssl(['enc', '-aes-256-cbc', '-K', contentKey.toString('hex'), '-iv', iv.toString('hex')], assertion);
    const wrappedKey = openssl(['pkeyutl', '-encrypt', '-certin', '-inkey', certFile, '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha1'], contentKey);
    return (
      `<saml:EncryptedAssertion xmlns:saml="${SAML}">` +
      `<xenc:EncryptedData xmlns:xenc="${XENC}" Type="${XENC}Element">` +
      `<xenc:EncryptionMethod Algorithm="${XENC}aes256-cbc"></xenc:EncryptionMethod>` +
      `<ds:KeyInfo xmlns:ds="${DS}"><xenc:EncryptedKey><xenc:EncryptionMethod Algorithm="${XENC}rsa-oaep-mgf1p"></xenc:EncryptionMethod>` +
      `<xenc:CipherData><xenc:CipherValue>${wrappedKey.toString('base64')}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo>` +
      `<xenc:CipherData><xenc:CipherValue>${Buffer.concat([iv, body]).toString('base64')}</xenc:CipherValue></xenc:CipherData>` +
      `</xenc:EncryptedData></saml:EncryptedAssertion>`
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A SAML 2.0 metadata document as IAM reads it (id_roles_providers_create_saml.html): the IdP's entity id
 * (the assertions' Issuer), the certificates it signs with (the `KeyDescriptor`s of its
 * `IDPSSODescriptor` whose `use` is `signing` or absent), and the document's `validUntil`.
 */
import { X509Certificate } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { invalidInput } from '../model/errors.js';
import { childElements, parseXml, SAML_METADATA_NS, textOf, XMLDSIG_NS, XmlRejected } from './xml-document.js';

export interface SamlMetadata {
  entityId: string;
  /** PEM certificates the IdP signs responses and assertions with. */
  signingCertificates: string[];
  /** The document's validUntil, as an ISO timestamp, when it has one. */
  validUntil?: string;
}

/** IAM's answer to a metadata document it can't use. */
export const couldNotParseMetadata = () => invalidInput('Could not parse metadata');

/** Reads a metadata document; throws InvalidInput "Could not parse metadata" when it is not usable. */
export function parseSamlMetadata(text: string): SamlMetadata {
  let root: Element;
  try {
    root = parseXml(text).documentElement!;
  } catch (error) {
    if (error instanceof XmlRejected) throw couldNotParseMetadata();
    throw error;
  }
  // One EntityDescriptor, or an EntitiesDescriptor holding exactly one with an IdP role.
  const entity = root.namespaceURI === SAML_METADATA_NS && root.localName === 'EntityDescriptor' ? root : onlyIdentityProvider(root);
  const entityId = entity?.getAttribute('entityID') ?? '';
  const idp = entity ? childElements(entity, SAML_METADATA_NS, 'IDPSSODescriptor')[0] : undefined;
  if (!entity || entityId === '' || !idp) throw couldNotParseMetadata();
  const signingCertificates = childElements(idp, SAML_METADATA_NS, 'KeyDescriptor')
    .filter((descriptor) => ['', 'signing'].includes(descriptor.getAttribute('use') ?? ''))
    .flatMap((descriptor) => certificatesOf(descriptor));
  if (signingCertificates.length === 0) throw couldNotParseMetadata();
  const validUntilText = entity.getAttribute('validUntil') || root.getAttribute('validUntil') || '';
  const validUntil = validUntilText === '' ? undefined : Date.parse(validUntilText);
  if (validUntil !== undefined && Number.isNaN(validUntil)) throw couldNotParseMetadata();
  return { entityId, signingCertificates, ...(validUntil !== undefined ? { validUntil: new Date(validUntil).toISOString() } : {}) };
}

function onlyIdentityProvider(root: Element): Element | undefined {
  if (root.namespaceURI !== SAML_METADATA_NS || root.localName !== 'EntitiesDescriptor') return undefined;
  const withIdp = childElements(root, SAML_METADATA_NS, 'EntityDescriptor').filter((entity) => childElements(entity, SAML_METADATA_NS, 'IDPSSODescriptor').length > 0);
  return withIdp.length === 1 ? withIdp[0] : undefined;
}

/** The X.509 certificates of a KeyDescriptor, as PEM; one that does not parse makes the metadata unusable. */
function certificatesOf(descriptor: Element): string[] {
  const pems: string[] = [];
  for (const keyInfo of childElements(descriptor, XMLDSIG_NS, 'KeyInfo')) {
    for (const data of childElements(keyInfo, XMLDSIG_NS, 'X509Data')) {
      for (const certificate of childElements(data, XMLDSIG_NS, 'X509Certificate')) {
        const base64 = textOf(certificate).replace(/\s+/g, '');
        const pem = `-----BEGIN CERTIFICATE-----\n${base64.replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
        try {
          new X509Certificate(pem);
        } catch {
          throw couldNotParseMetadata();
        }
        pems.push(pem);
      }
    }
  }
  return pems;
}

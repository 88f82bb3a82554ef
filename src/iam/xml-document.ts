/**
 * XML as the SAML code reads it: parsed by @xmldom/xmldom with every warning or error fatal, and no
 * document type declaration at all (no entities, so no entity expansion and no external references), plus
 * the few namespace-aware element look-ups the SAML metadata and assertions need.
 */
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';

export const SAML_ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const SAML_PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const SAML_METADATA_NS = 'urn:oasis:names:tc:SAML:2.0:metadata';
export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const XMLENC_NS = 'http://www.w3.org/2001/04/xmlenc#';

/** Thrown for text that is not a well-formed XML document Rolecall accepts. */
export class XmlRejected extends Error {}

/** Parses a document; throws XmlRejected on any parse problem or a DOCTYPE. */
export function parseXml(text: string): Document {
  // A DOCTYPE has no place in SAML messages or metadata; refusing it rules out entity tricks outright.
  if (/<!DOCTYPE/i.test(text)) throw new XmlRejected('document type declarations are not accepted');
  const parser = new DOMParser({
    onError: (level, message) => {
      throw new XmlRejected(`${level}: ${message}`);
    },
  });
  let document: Document;
  try {
    document = parser.parseFromString(text, 'text/xml');
  } catch (error) {
    throw error instanceof XmlRejected ? error : new XmlRejected(error instanceof Error ? error.message : String(error));
  }
  if (!document.documentElement) throw new XmlRejected('no root element');
  return document;
}

/** The element children of `parent` with this namespace and local name. */
export function childElements(parent: Element, namespace: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE) {
      const element = node as Element;
      if (element.namespaceURI === namespace && element.localName === localName) found.push(element);
    }
  }
  return found;
}

/** The only such child, undefined when there is none; throws XmlRejected when there are several. */
export function singleChild(parent: Element, namespace: string, localName: string): Element | undefined {
  const found = childElements(parent, namespace, localName);
  if (found.length > 1) throw new XmlRejected(`more than one ${localName} in ${parent.localName}`);
  return found[0];
}

/** Every descendant element with this namespace and local name, in document order. */
export function descendants(root: Element | Document, namespace: string, localName: string): Element[] {
  return Array.from(root.getElementsByTagNameNS(namespace, localName));
}

/** An element's text: all its descendant text nodes joined (comments are not text, so they split nothing). */
export function textOf(element: Element): string {
  return element.textContent ?? '';
}

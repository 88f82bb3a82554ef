/**
 * Decrypting an EncryptedAssertion with the SAML provider's private keys (id_roles_providers_create_saml.html,
 * "SAML encryption": the IdP encrypts the assertion to the provider's public key; CreateSAMLProvider's
 * AddPrivateKey "must be a .pem file that uses AES-GCM or AES-CBC encryption algorithm"). The W3C XML
 * Encryption work is done by the `xml-encryption` library; Rolecall only chooses what it accepts:
 *
 * - content encryption AES-128/256 in GCM or CBC mode (the two AWS names), key transport RSA-OAEP only —
 *   never RSA PKCS#1 v1.5 (Bleichenbacher's oracle) nor Triple DES;
 * - every failure — no key fits, a bad algorithm, text that is not an Assertion — is one and the same
 *   refusal, so that an attacker who alters the ciphertext learns nothing about where it went wrong (the
 *   CBC padding and XML well-formedness oracles on XML Encryption).
 */
import { decrypt } from 'xml-encryption';
import type { Element } from '@xmldom/xmldom';
import { invalidIdentityToken } from './web-identity-errors.js';

/** The one refusal for an encrypted assertion that does not decrypt and verify (the wording is Rolecall's). */
export const ENCRYPTED_ASSERTION_INVALID = 'Invalid SAML response: the encrypted assertion cannot be decrypted and verified with the SAML provider\'s keys';

export const encryptedAssertionInvalid = () => invalidIdentityToken(ENCRYPTED_ASSERTION_INVALID);

const ACCEPTED_ALGORITHMS = new Set([
  'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
  'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
  'http://www.w3.org/2009/xmlenc11#rsa-oaep',
]);

/** Whether every EncryptionMethod under the element names an algorithm Rolecall accepts. */
function usesAcceptedAlgorithms(encrypted: Element): boolean {
  const methods = Array.from(encrypted.getElementsByTagNameNS('*', 'EncryptionMethod'));
  return methods.length > 0 && methods.every((method) => ACCEPTED_ALGORITHMS.has(method.getAttribute('Algorithm') ?? ''));
}

function decryptWith(encrypted: Element, key: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    try {
      // CBC is what AWS accepts beside GCM; the library counts it insecure, so the allowlist above decides.
      decrypt(encrypted, { key, disallowDecryptionWithInsecureAlgorithm: false, warnInsecureAlgorithm: false }, (error, result) => resolve(error ? undefined : result));
    } catch {
      resolve(undefined);
    }
  });
}

/** The plaintext of an EncryptedAssertion, decrypted with the first of the keys that fits; throws the one refusal otherwise. */
export async function decryptAssertion(encrypted: Element, privateKeys: readonly string[]): Promise<string> {
  if (!usesAcceptedAlgorithms(encrypted)) throw encryptedAssertionInvalid();
  for (const key of privateKeys) {
    const plaintext = await decryptWith(encrypted, key);
    if (plaintext !== undefined) return plaintext;
  }
  throw encryptedAssertionInvalid();
}

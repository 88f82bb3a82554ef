// Types for the parts of `xml-encryption` (W3C XML Encryption, no types of its own) that Rolecall uses.
declare module 'xml-encryption' {
  interface DecryptOptions {
    /** The PEM private key that unwraps the EncryptedKey. */
    key: string;
    disallowDecryptionWithInsecureAlgorithm?: boolean;
    warnInsecureAlgorithm?: boolean;
  }
  interface EncryptOptions {
    rsa_pub: string;
    pem: string;
    encryptionAlgorithm: string;
    keyEncryptionAlgorithm: string;
    keyEncryptionDigest?: string;
    disallowEncryptionWithInsecureAlgorithm?: boolean;
    warnInsecureAlgorithm?: boolean;
  }
  /** Decrypts the first EncryptedData in `xml` (text or a DOM node); the callback gets the plaintext. */
  export function decrypt(xml: string | object, options: DecryptOptions, callback: (error: Error | null, result?: string) => void): void;
  export function encrypt(content: string, options: EncryptOptions, callback: (error: Error | null, result?: string) => void): void;
}

/**
 * Secrets of the applied files (`v1` Secret, `stringData` or base64 `data`), kept in memory only. A value
 * is wrapped so that printing, logging, JSON or util.inspect of it never shows the key material.
 */
import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/** A secret string that only `reveal()` discloses. */
export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself: for the credential provider only. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/** A Secret's keys and values. */
export interface DeclaredSecret {
  name: string;
  namespace: string;
  values: ReadonlyMap<string, SecretValue>;
  origin: string;
}

/** Finds a Secret by namespace and name: the applied files' Secrets, or a cluster's. */
export type SecretLookup = (namespace: string, name: string) => DeclaredSecret | undefined;

/** A lookup over the Secrets of the applied files. */
export function secretsOf(secrets: readonly DeclaredSecret[]): SecretLookup {
  const byKey = new Map(secrets.map((secret) => [`${secret.namespace}/${secret.name}`, secret]));
  return (namespace, name) => byKey.get(`${namespace}/${name}`);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes a Secret's `data` value (standard base64, as Kubernetes stores it); undefined if not base64. */
export function decodeSecretData(encoded: string): string | undefined {
  const compact = encoded.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

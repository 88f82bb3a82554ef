/**
 * The signing keys of a Rolecall-issued cluster's service-account issuer: RS256 (RSA 2048, the only RSA
 * size Kubernetes supports) by default, ES256 (P-256) on request. The key id is derived as Kubernetes
 * derives it — base64url, unpadded, of the SHA-256 of the public key's DER SubjectPublicKeyInfo
 * (pkg/serviceaccount/jwt.go; irsa.md §2.1) — and the JWKS entry carries Kubernetes' fields
 * (`use`, `kty`, `kid`, `alg`, then the key). Private keys are sealed with the server key, bound to the
 * cluster's ARN and the key id, like every other secret at rest.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { SecretSealing } from '../iam/operation.js';
import type { ClusterSigningKey } from '../model/eks-entities.js';

export type SigningAlgorithm = ClusterSigningKey['alg'];

/** The algorithms a cluster may sign with. */
export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = ['RS256', 'ES256'];

/** Kubernetes' key id of a public key. */
export function kubernetesKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url');
}

const sealingContext = (clusterArn: string, kid: string) => `eks:cluster-signing-key:${clusterArn}:${kid}`;

/** A fresh signing key for a cluster, its private half sealed. */
export function newSigningKey(secrets: SecretSealing, clusterArn: string, alg: SigningAlgorithm, now: Date): ClusterSigningKey {
  const { publicKey, privateKey } =
    alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = kubernetesKeyId(publicKey);
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { kid, alg, publicJwk: jwk, sealedPrivateKey: secrets.seal(pem, sealingContext(clusterArn, kid)), createdAt: now.toISOString() };
}

/** The private key of a signing key (unsealed for one signature; never logged or returned). */
export function signingPrivateKey(secrets: SecretSealing, clusterArn: string, key: ClusterSigningKey): KeyObject {
  return createPrivateKey(secrets.unseal(key.sealedPrivateKey, sealingContext(clusterArn, key.kid)));
}

/** A key's JWKS entry, field for field as Kubernetes publishes it. */
export function publishedJwk(key: ClusterSigningKey): Record<string, string> {
  const { kty, n, e, crv, x, y } = key.publicJwk;
  const material: Record<string, string> = kty === 'RSA' ? { n: n!, e: e! } : { crv: crv!, x: x!, y: y! };
  return { use: 'sig', kty: kty!, kid: key.kid, alg: key.alg, ...material };
}

/** Whether a published JWK is the public half of a key (used by tests and the issuer check). */
export function jwkKeyId(jwk: Record<string, string>): string {
  return kubernetesKeyId(createPublicKey({ key: jwk, format: 'jwk' }));
}

/**
 * What a Rolecall-issued cluster's issuer publishes, unauthenticated, as a Kubernetes API server does
 * (pkg/serviceaccount/openidmetadata.go; irsa.md §2.5): the OpenID discovery document at
 * `<issuer>/.well-known/openid-configuration` — `issuer`, `jwks_uri`, `response_types_supported`
 * `["id_token"]`, `subject_types_supported` `["public"]`, `id_token_signing_alg_values_supported` (the
 * keys' algorithms, sorted) and nothing else — and the key set at `<issuer>/keys` (EKS's JWKS path), both
 * `Cache-Control: public, max-age=3600`. Registered clusters publish nothing here: their issuer does.
 */
import type { EksCluster } from '../model/eks-entities.js';
import type { StoreReader } from '../store/types.js';
import { publishedJwk } from './signing-keys.js';

/** The JWKS path under an issuer (EKS's `<issuer>/keys`). */
export const JWKS_PATH = '/keys';

/** One published document: its media type and body. */
export interface IssuerDocument {
  contentType: string;
  cacheControl: string;
  body: string;
}

const CACHE_CONTROL = 'public, max-age=3600';

async function issuingCluster(reader: StoreReader, name: string): Promise<EksCluster | undefined> {
  const cluster = await reader.find<EksCluster>('eksCluster', name);
  return cluster && cluster.name === name && cluster.issuerKind === 'rolecall' ? cluster : undefined;
}

/** The discovery document of the named Rolecall-issued cluster, or undefined when there is none. */
export async function discoveryDocument(reader: StoreReader, name: string): Promise<IssuerDocument | undefined> {
  const cluster = await issuingCluster(reader, name);
  if (!cluster) return undefined;
  const algorithms = [...new Set((cluster.signingKeys ?? []).map((key) => key.alg))].sort();
  const document = {
    issuer: cluster.issuer,
    jwks_uri: `${cluster.issuer}${JWKS_PATH}`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: algorithms,
  };
  return { contentType: 'application/json', cacheControl: CACHE_CONTROL, body: JSON.stringify(document) };
}

/** The key set of the named Rolecall-issued cluster, or undefined when there is none. */
export async function keySetDocument(reader: StoreReader, name: string): Promise<IssuerDocument | undefined> {
  const cluster = await issuingCluster(reader, name);
  if (!cluster) return undefined;
  return { contentType: 'application/jwk-set+json', cacheControl: CACHE_CONTROL, body: JSON.stringify({ keys: (cluster.signingKeys ?? []).map(publishedJwk) }) };
}

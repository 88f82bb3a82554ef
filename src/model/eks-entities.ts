/**
 * EKS entities as Rolecall stores them: clusters with their service-account token issuers, the public
 * keys of the issuers Rolecall signs for, and pod identity associations. Field names follow the EKS API's
 * shapes (camelCase) so operations return them with little mapping; timestamps are ISO 8601 strings.
 */

/** An RS256 or ES256 key a Rolecall-issued cluster signs tokens with. */
export interface ClusterSigningKey {
  /** Kubernetes' key id: base64url SHA-256 of the public key's DER SubjectPublicKeyInfo. */
  kid: string;
  alg: 'RS256' | 'ES256';
  /** The public key as a JWK (`kty`, `n`/`e` or `crv`/`x`/`y`), published in the issuer's JWKS. */
  publicJwk: Record<string, string>;
  /** The private key (PKCS#8 PEM), sealed with the server key and bound to the cluster's ARN and kid. */
  sealedPrivateKey: string;
  createdAt: string;
}

/** Where a cluster's tokens are verified: Rolecall's own keys, a registered issuer URL, or an inline JWKS. */
export type ClusterIssuerKind = 'rolecall' | 'issuer-url' | 'jwks';

/** A cluster: stored under its name, unique on this server (its issuer URL is `<public URL>/clusters/<name>`). */
export interface EksCluster {
  name: string;
  accountId: string;
  region: string;
  arn: string;
  createdAt: string;
  issuerKind: ClusterIssuerKind;
  /** `cluster.identity.oidc.issuer`: the `iss` of the cluster's service-account tokens. */
  issuer: string;
  signingKeys?: ClusterSigningKey[];
  /** The inline JWKS of a cluster registered with `jwks`. */
  jwks?: { keys: Record<string, unknown>[] };
  version?: string;
  roleArn?: string;
  /** Stored and returned as given (with AWS's defaults), never used. */
  resourcesVpcConfig?: Record<string, unknown>;
  kubernetesNetworkConfig?: Record<string, unknown>;
  logging?: Record<string, unknown>;
  accessConfig?: Record<string, unknown>;
  upgradePolicy?: Record<string, unknown>;
  clientRequestToken?: string;
  tags: Record<string, string>;
}

/**
 * The public keys of a token issuer this server signs for, stored under the issuer URL (account ''), so
 * AssumeRoleWithWebIdentity verifies a Rolecall-issued cluster's tokens without fetching its own issuer.
 */
export interface ServiceAccountIssuerKeys {
  issuer: string;
  clusterArn: string;
  keys: Record<string, string>[];
}

/** An EKS Pod Identity association, stored under `<clusterName>/<associationId>` in its account. */
export interface PodIdentityAssociationRecord {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  associationArn: string;
  associationId: string;
  tags: Record<string, string>;
  createdAt: string;
  modifiedAt: string;
  disableSessionTags: boolean;
  targetRoleArn?: string;
  /** Set when a target role is given: what EKS passes as sts:ExternalId to the target role. */
  externalId?: string;
  policy?: string;
  clientRequestToken?: string;
}

/**
 * The one association of a service account of a cluster, stored under
 * `<clusterName>/<namespace>/<serviceAccount>`: what makes the association unique and findable by the
 * token's subject.
 */
export interface PodIdentityBinding {
  associationId: string;
}

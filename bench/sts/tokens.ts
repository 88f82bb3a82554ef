/**
 * The web-identity tokens of the STS bench, minted before any measurement so the client's signing cost
 * never shows up as server latency: RS256 JWTs of the local issuer (what EKS issues), one `sub` each.
 */
import type { TestOidcIssuer } from '../../test/sts/oidc-issuer.js';
import { AUDIENCE, SUBJECT_PREFIX } from './fixtures.js';

/** Tokens valid for two hours from now, each for its own service account `${SUBJECT_PREFIX}sa-N`. */
export async function mintTokenPool(issuer: TestOidcIssuer, count: number): Promise<string[]> {
  const now = new Date();
  const tokens: Promise<string>[] = [];
  for (let i = 0; i < count; i++) {
    tokens.push(issuer.mint(issuer.claims(now, { sub: `${SUBJECT_PREFIX}sa-${i}`, aud: AUDIENCE, exp: Math.floor(now.getTime() / 1000) + 7200 })));
  }
  return Promise.all(tokens);
}

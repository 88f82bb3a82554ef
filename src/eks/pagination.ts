/**
 * EKS's list pagination (`maxResults` 1–100, default 100, and an opaque `nextToken`, null at the end): the
 * paging of iam/pagination.ts, with a malformed token answered the EKS way.
 */
import { paginate } from '../iam/pagination.js';
import { AwsError } from '../policy/errors.js';
import { invalidParameter } from './errors.js';

export interface EksPageRequest {
  maxResults?: number;
  nextToken?: string;
}

/** A page of a list sorted by `keyOf` (lower-cased keys, ascending). */
export function pageOf<T>(sorted: readonly T[], keyOf: (item: T) => string, request: EksPageRequest): { items: T[]; nextToken?: string } {
  try {
    const page = paginate(sorted, keyOf, { ...(request.nextToken !== undefined ? { Marker: request.nextToken } : {}), MaxItems: request.maxResults ?? 100 });
    return { items: page.items, ...(page.Marker ? { nextToken: page.Marker } : {}) };
  } catch (error) {
    if (error instanceof AwsError) throw invalidParameter('The nextToken parameter is invalid.');
    throw error;
  }
}

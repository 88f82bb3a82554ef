/**
 * Organizations' pagination (API_ListAccounts.html): `MaxResults` 1–20 in, `NextToken` out while more
 * remain. The token is opaque to clients: here, the last returned item's id, base64url-encoded; a token
 * that is not one of ours is InvalidInputException INVALID_NEXT_TOKEN.
 */
import { invalidInput } from './errors.js';

/** The page size when MaxResults is absent (AWS's maximum for these operations). */
export const DEFAULT_MAX_RESULTS = 20;

export interface PageRequest {
  NextToken?: string;
  MaxResults?: number;
}

/** One page of items sorted by id, and the token of the next page if any. */
export function paginate<T>(sorted: readonly T[], idOf: (item: T) => string, request: PageRequest): { items: T[]; NextToken?: string } {
  let start = 0;
  if (request.NextToken !== undefined) {
    const after = Buffer.from(request.NextToken, 'base64url').toString('utf8');
    if (!after || Buffer.from(after, 'utf8').toString('base64url') !== request.NextToken) throw invalidInput('INVALID_NEXT_TOKEN');
    start = sorted.findIndex((item) => idOf(item) > after);
    if (start < 0) start = sorted.length;
  }
  const max = request.MaxResults ?? DEFAULT_MAX_RESULTS;
  const items = sorted.slice(start, start + max);
  if (start + max >= sorted.length) return { items };
  return { items, NextToken: Buffer.from(idOf(items[items.length - 1]!), 'utf8').toString('base64url') };
}

/** Sorts by id (ids of one kind compare as AWS lists them: accounts numerically, others by text). */
export function byId<T extends { Id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
}

/**
 * IAM's list pagination (`Marker`/`MaxItems` in, `IsTruncated`/`Marker` out; MaxItems 1–1000, default 100).
 * The marker is opaque to clients: here, the last returned item's sort key, base64url-encoded.
 */
import { validationError } from '../model/errors.js';

export interface PageRequest {
  Marker?: string;
  MaxItems?: number;
}

export interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

export const DEFAULT_MAX_ITEMS = 100;

export function decodeMarker(marker: string | undefined): string | undefined {
  if (marker === undefined) return undefined;
  const decoded = Buffer.from(marker, 'base64url').toString('utf8');
  if (!decoded || Buffer.from(decoded, 'utf8').toString('base64url') !== marker) throw validationError('Invalid Marker.');
  return decoded;
}

export function encodeMarker(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/** Pages a list already sorted by `keyOf` (lower-cased keys, ascending). */
export function paginate<T>(sorted: readonly T[], keyOf: (item: T) => string, request: PageRequest): Page<T> {
  const after = decodeMarker(request.Marker);
  const max = request.MaxItems ?? DEFAULT_MAX_ITEMS;
  const start = after === undefined ? 0 : sorted.findIndex((item) => keyOf(item).toLowerCase() > after.toLowerCase());
  const remaining = start < 0 ? [] : sorted.slice(start);
  const items = remaining.slice(0, max);
  if (remaining.length > max) return { items, IsTruncated: true, Marker: encodeMarker(keyOf(items[items.length - 1]!).toLowerCase()) };
  return { items, IsTruncated: false };
}

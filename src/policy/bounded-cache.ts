/**
 * A cache of at most about `limit` entries that keeps the recently used ones, in O(1) per operation: two
 * generations of maps; when the young one fills up it becomes the old one and the previous old one is
 * dropped, and a hit in the old generation moves the entry back to the young one. (Evicting one entry
 * at a time with `map.delete(map.keys().next().value)` is not O(1) in V8: the deleted slots at the front
 * are skipped by every later `keys()` until the table is rebuilt.)
 */
export class BoundedCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly generationSize: number;

  constructor(limit: number) {
    this.generationSize = Math.max(1, Math.ceil(limit / 2));
  }

  get(key: K): V | undefined {
    const value = this.young.get(key);
    if (value !== undefined) return value;
    const aged = this.old.get(key);
    if (aged !== undefined) {
      this.old.delete(key);
      this.set(key, aged);
    }
    return aged;
  }

  set(key: K, value: V): void {
    if (this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }
}

/**
 * Documents recognized by a 32-bit hash of their text, so that nothing of a text seen once stays alive:
 * neither the text nor a map entry. (Kept as map keys, the text of every cold document outlived two
 * scavenges and was copied to the old generation — a third of a cold decision's time; kept as hashes in
 * a map, the map's tables still were.) The hash costs what V8's own string hash costs, which a map keyed
 * by the text computes anyway.
 */

/** FNV-1a over the text's UTF-16 code units, its high bits folded into the low ones; never 0. */
export function textHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  hash ^= hash >>> 16;
  return hash === 0 ? 1 : hash;
}

/**
 * The hashes seen lately, one slot each in a fixed table: a sight is forgotten when a later hash takes its
 * slot. With 65,536 slots a text is still recognized after 5,000 other texts 93% of the time, and a text
 * not recognized is on its next sight. Two texts with one hash make the second look seen.
 */
export class RecentHashes {
  private table: Int32Array | undefined;

  /** `slots` must be a power of two. */
  constructor(private readonly slots: number) {}

  /** Whether the hash was seen lately; records this sight. */
  seenBefore(hash: number): boolean {
    // Allocated on first use: a process that never compiles a policy from text does not pay for it.
    const table = (this.table ??= new Int32Array(this.slots));
    const slot = hash & (this.slots - 1);
    // Int32Array holds the hash as a signed integer.
    if (table[slot] === (hash | 0)) return true;
    table[slot] = hash;
    return false;
  }
}

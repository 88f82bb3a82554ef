/**
 * How the parser and the compiler build what a compiled policy keeps, so that V8 always allocates it in
 * the young generation.
 *
 * An object or array literal is an allocation site. When most objects of a site outlive a scavenge — as
 * the documents and compiled forms of the policies a server keeps do — V8 pretenures the site: from then
 * on it allocates that site's objects straight in the old generation, for good. The same code builds the
 * throwaway documents of a cold request (SimulateCustomPolicy, `policy eval` over distinct documents), which
 * would then land in the old generation, where only a full collection frees them, and keep the young
 * objects they point to alive through scavenges. Measured: the cold path ran at half its speed after the
 * warm workloads (docs/performance.md, "The cold path in a long-running process").
 *
 * So what a compiled policy keeps comes from class instances, `{}` filled field by field (an empty
 * literal has no site), and arrays made by `map`, `filter`, `flatMap` or `slice`; a literal only ever
 * makes temporaries (a list built in a literal is kept as a `slice()` of it). `new Array()` is no way
 * out: its site is tracked while its elements are small integers, and was seen pretenured.
 * test/policy/young-allocation.test.ts checks that a cold document's objects stay young.
 */

/** An empty plain object, to be filled field by field (`{}` has no allocation site, unlike `{ a, b }`). */
export function newObject<T extends object>(): T {
  return {} as T;
}

/**
 * A one-element list of a string or an object. `new Array(1)`'s site stops being tracked as soon as an
 * element that is not a small integer is stored, on its first use.
 */
export function listOf<T extends string | object>(item: T): T[] {
  const list = new Array<T>(1);
  list[0] = item;
  return list;
}

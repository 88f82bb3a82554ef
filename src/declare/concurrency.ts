/** Bounded concurrency for the per-role work of one run: IAM calls of different roles overlap. */

/**
 * Runs `work` over `items` with at most `limit` in flight; results keep the input order, and
 * `onEach` (if given) sees each result in input order as soon as all earlier ones are done.
 */
export async function mapInOrder<Item, Result>(
  items: readonly Item[],
  limit: number,
  work: (item: Item, index: number) => Promise<Result>,
  onEach?: (result: Result, index: number) => void,
): Promise<Result[]> {
  const results = new Array<Result>(items.length);
  const done = new Array<boolean>(items.length).fill(false);
  let next = 0;
  let reported = 0;
  const report = () => {
    while (reported < items.length && done[reported]) {
      onEach?.(results[reported]!, reported);
      reported++;
    }
  };
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
      done[index] = true;
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

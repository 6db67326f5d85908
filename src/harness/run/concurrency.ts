/**
 * Runs `job` on every item, at most `limit` at a time, and returns the results in item order.
 * A job that throws rejects the whole run; callers turn failures into results first. Once
 * `signal` aborts, no further item is started (their places stay empty); running jobs finish.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  job: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<(R | undefined)[]> {
  const results = new Array<R | undefined>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const index = next;
      next += 1;
      results[index] = await job(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

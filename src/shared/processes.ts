/** Whether a process exists (a killed child stays a zombie, and so counts, until its parent reaps it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * The pids among `pids` still alive after up to `withinMs`: a SIGKILLed child stays a zombie
 * until this process reaps it on a later event-loop turn, so a check at once would see it.
 */
export async function stillAlive(pids: readonly number[], withinMs: number): Promise<number[]> {
  const deadline = performance.now() + withinMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
    alive = alive.filter(isAlive);
  }
  return alive;
}

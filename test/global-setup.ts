import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServers } from '../scripts/build-servers.ts';
import { buildSource } from '../scripts/build.ts';

/**
 * Integration tests spawn the bundled servers and some run the built package (dist/): build both
 * from the current source first, so no test runs a stale build.
 *
 * Then one Node compile cache for this run, which the test workers inherit and pass on to the
 * programs they start (test/support/child-env.ts): most of the suite's CPU time is `helpdesk`
 * starting again and again, and a start that finds its modules compiled costs about a fifth less.
 * It is new for each run and removed after it, so no run sees another's.
 */
export default async function setup(): Promise<() => void> {
  await buildServers();
  buildSource();
  if (process.env.NODE_COMPILE_CACHE) return () => {};
  const cache = mkdtempSync(join(tmpdir(), 'helpdesk-test-compile-cache-'));
  process.env.NODE_COMPILE_CACHE = cache;
  return () => rmSync(cache, { recursive: true, force: true });
}

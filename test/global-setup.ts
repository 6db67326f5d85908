import { buildServers } from '../scripts/build-servers.ts';
import { buildSource } from '../scripts/build.ts';

/**
 * Integration tests spawn the bundled servers and some run the built package (dist/): build both
 * from the current source first, so no test runs a stale build.
 */
export default async function setup(): Promise<void> {
  await buildServers();
  buildSource();
}

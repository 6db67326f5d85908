import { buildServers } from '../scripts/build-servers.ts';

/** Integration tests spawn the bundled servers; build them from the current source first. */
export default async function setup(): Promise<void> {
  await buildServers();
}

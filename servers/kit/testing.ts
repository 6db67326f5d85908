import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { DATASET_NOW, fixedClock, type Clock } from '../../src/shared/clock.ts';
import type { ServerDeps } from './server.ts';

/** A tool answer as a test reads it: the parsed JSON and whether it was flagged as an error. */
export interface ToolAnswer {
  readonly isError: boolean;
  // `any`: tests index freely into the many result shapes of twenty tools.
  readonly data: any;
  readonly text: string;
  readonly structured: unknown;
}

/** A client connected in memory to one server built with a pinned clock (the dataset's today by default). */
export async function connectInMemory(
  build: (deps: ServerDeps) => Server,
  clock: Clock = fixedClock(DATASET_NOW),
): Promise<{ client: Client; call: (name: string, args?: unknown) => Promise<ToolAnswer>; close: () => Promise<void> }> {
  const server = build({ clock });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'unit-test', version: '0.0.0' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  await client.listTools();
  const call = async (name: string, args: unknown = {}): Promise<ToolAnswer> => {
    const result = await client.callTool({ name, arguments: args as Record<string, unknown> });
    const content = result.content as { type: string; text: string }[];
    const text = content[0]?.text ?? '';
    return { isError: result.isError === true, data: JSON.parse(text), text, structured: result.structuredContent };
  };
  return { client, call, close: () => client.close() };
}

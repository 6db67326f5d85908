import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { scriptedResponse, type ScriptedTurn } from '../../src/orchestrator/scripted-model.ts';

/** What the fake endpoint sends back for one request. */
export type FakeReply =
  | { readonly turn: Exclude<ScriptedTurn, { error: unknown }>; readonly delayMs?: number }
  | {
      readonly status: number;
      readonly json?: unknown;
      readonly raw?: string;
      readonly delayMs?: number;
      readonly headers?: Record<string, string>;
    };

/** A request the fake endpoint received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  // `any`: tests read arbitrary fields of the chat-completions body.
  readonly body: any;
}

export interface FakeOpenAI {
  /** Base URL to use as OPENAI_BASE_URL (ends in /v1). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Replies not used yet. */
  readonly remaining: () => number;
  close(): Promise<void>;
}

/**
 * A scripted OpenAI-compatible chat-completions server on 127.0.0.1 for tests of the live
 * path. Each POST to /v1/chat/completions takes the next reply; with none left it answers 500
 * with a message saying so, which makes an unexpected extra request visible.
 */
export async function startFakeOpenAI(replies: readonly FakeReply[], model = 'fake-model'): Promise<FakeOpenAI> {
  const queue = [...replies];
  const requests: RecordedRequest[] = [];
  let served = 0;
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', async () => {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* keep raw */
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const reply = queue.shift();
      if (!reply) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'fake OpenAI: no scripted reply left', type: 'server_error' } }));
        return;
      }
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (res.destroyed) return;
      if ('turn' in reply) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'chat.completion', created: 0, ...scriptedResponse(reply.turn, model, served++) }));
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.raw ?? JSON.stringify(reply.json ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    remaining: () => queue.length,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

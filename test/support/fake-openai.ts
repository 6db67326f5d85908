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

/** Replies in order, or a function choosing each from the request (undefined: none left). */
export type FakeReplies = readonly FakeReply[] | ((request: RecordedRequest) => FakeReply | undefined);

/**
 * A scripted turn as the Responses API writes it (POST /v1/responses), built here from the
 * API's documented shape rather than by the code under test.
 */
function responsesBody(turn: Exclude<ScriptedTurn, { error: unknown }>, model: string, index: number): unknown {
  const output =
    'answer' in turn
      ? [
          {
            type: 'message',
            id: `msg_${index}`,
            role: 'assistant',
            status: 'completed',
            content: [{ type: 'output_text', text: turn.answer, annotations: [] }],
          },
        ]
      : turn.toolCalls.map((call, i) => ({
          type: 'function_call',
          id: `fc_${index}_${i}`,
          call_id: call.id ?? `call_${index}_${i}`,
          name: call.name,
          arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}),
          status: 'completed',
        }));
  return {
    id: `resp_${index}`,
    object: 'response',
    created_at: 0,
    status: 'completed',
    model,
    output: [{ type: 'reasoning', id: `rs_${index}`, summary: [] }, ...output],
    usage: { input_tokens: 120, output_tokens: 30, total_tokens: 150 },
  };
}

/**
 * A scripted OpenAI-compatible server on 127.0.0.1 for tests of the live path, speaking chat
 * completions (POST /v1/chat/completions) and the Responses API (POST /v1/responses). Each
 * request takes the next reply (or the one `replies` chooses for it); with none left it answers
 * 500 with a message saying so, which makes an unexpected extra request visible.
 */
export async function startFakeOpenAI(replies: FakeReplies, model = 'fake-model'): Promise<FakeOpenAI> {
  const queue = typeof replies === 'function' ? [] : [...replies];
  const choose = typeof replies === 'function' ? replies : () => queue.shift();
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
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      requests.push(request);
      const reply = choose(request);
      if (!reply) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'fake OpenAI: no scripted reply left', type: 'server_error' } }));
        return;
      }
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (res.destroyed) return;
      if ('turn' in reply) {
        res.writeHead(200, { 'content-type': 'application/json' });
        const index = served++;
        res.end(
          JSON.stringify(
            request.path.endsWith('/responses')
              ? responsesBody(reply.turn, model, index)
              : { object: 'chat.completion', created: 0, ...scriptedResponse(reply.turn, model, index) },
          ),
        );
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

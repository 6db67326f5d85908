import { http, HttpResponse } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { canonicalJson, changedTools, firstDifference, type Cassette } from './cassette.ts';

/** Why a replay failed closed. */
export type ReplayFailureCode =
  | 'missing_cassette'
  | 'tools_changed'
  | 'request_mismatch'
  | 'unexpected_request'
  | 'unused_turns'
  | 'unhandled_request';

/** A replay failure: a distinct code, a sentence, and a readable diff where there is one. */
export interface ReplayFailure {
  readonly code: ReplayFailureCode;
  readonly reason: string;
  readonly diff?: string;
}

/** What msw hands an unhandled-request callback (only the parts used here). */
interface UnhandledFrame {
  readonly frame: { getUnhandledMessage(): Promise<string> };
  readonly defaults: { error(): void };
}

/** The fake origin replayed model requests go to; nothing listens there, msw answers in-process. */
export const REPLAY_ORIGIN = 'https://replay.mcp-helpdesk.test';

/**
 * One scenario's replay: hands out the recorded responses in order while each request equals the
 * recorded one, and fails closed — with a reason and a diff — on anything else.
 */
export class ReplaySession {
  readonly key: string;
  readonly cassette: Cassette;
  readonly failures: ReplayFailure[] = [];
  #cursor = 0;

  constructor(key: string, cassette: Cassette) {
    this.key = key;
    this.cassette = cassette;
  }

  /** The base URL to give the OpenAI client. */
  get baseURL(): string {
    return `${REPLAY_ORIGIN}/${encodeURIComponent(this.key)}/v1`;
  }

  /** Recorded exchanges not used (yet). */
  get unused(): number {
    return this.cassette.interactions.length - this.#cursor;
  }

  /** Answers one request: the recorded response, or a 400 that stops the loop. */
  answer(body: unknown): { status: number; body: unknown } {
    const index = this.#cursor;
    const recorded = this.cassette.interactions[index];
    if (!recorded) {
      return this.#fail({
        code: 'unexpected_request',
        reason: `request ${index + 1} has no recorded response (the cassette holds ${this.cassette.interactions.length}); the orchestrator asked the model more than when it was recorded`,
      });
    }
    if (canonicalJson(recorded.request) !== canonicalJson(body)) {
      const request = body as Record<string, unknown>;
      const tools = changedTools(recorded.request.tools, request.tools);
      if (tools.length > 0) {
        return this.#fail({ code: 'tools_changed', reason: `request ${index + 1}: tool definitions changed: ${tools.join(', ')}`, diff: firstDifference(recorded.request.tools, request.tools) });
      }
      const diff = firstDifference(recorded.request, body);
      return this.#fail({ code: 'request_mismatch', reason: `request ${index + 1} differs from the recording`, ...(diff ? { diff } : {}) });
    }
    this.#cursor += 1;
    return recorded.response;
  }

  /** Call when the scenario is over: recorded turns left unused are a failure. */
  finish(): void {
    if (this.unused > 0 && this.failures.length === 0) {
      this.failures.push({
        code: 'unused_turns',
        reason: `${this.unused} of ${this.cassette.interactions.length} recorded responses were never requested; the run stopped earlier than when it was recorded`,
      });
    }
  }

  #fail(failure: ReplayFailure): { status: number; body: unknown } {
    this.failures.push(failure);
    return { status: 400, body: { error: { message: `replay: ${failure.reason}`, type: 'replay_mismatch', code: failure.code } } };
  }
}

/**
 * Serves cassettes to the orchestrator's real OpenAI client through msw, in this process. Any
 * request msw has no handler for is an error, never a real network call: replay must fail
 * closed (msw 3 names this option `onUnhandledFrame`; the v2 name is silently ignored).
 */
export class ReplayHub {
  readonly #sessions = new Map<string, ReplaySession>();
  readonly unhandled: string[] = [];
  #server: SetupServer | undefined;

  /** Starts intercepting. */
  open(): void {
    if (this.#server) return;
    this.#server = setupServer(
      http.post(`${REPLAY_ORIGIN}/:session/v1/chat/completions`, async ({ request, params }) => {
        const session = this.#sessions.get(decodeURIComponent(String(params.session)));
        if (!session) {
          this.unhandled.push(`no replay session "${String(params.session)}"`);
          return HttpResponse.json({ error: { message: 'replay: unknown session' } }, { status: 400 });
        }
        const answer = session.answer(await request.json());
        // retry-after-ms 0: a recorded 5xx is retried at once instead of after the SDK's backoff.
        return HttpResponse.json(answer.body as Record<string, unknown>, { status: answer.status, headers: answer.status >= 400 ? { 'retry-after-ms': '0' } : {} });
      }),
    );
    this.#server.listen({
      onUnhandledFrame: async ({ frame, defaults }: UnhandledFrame) => {
        this.unhandled.push(await frame.getUnhandledMessage());
        defaults.error();
      },
    });
  }

  /** A session for one cassette; its key must be unique among running scenarios. */
  session(key: string, cassette: Cassette): ReplaySession {
    const session = new ReplaySession(key, cassette);
    this.#sessions.set(key, session);
    return session;
  }

  release(session: ReplaySession): void {
    this.#sessions.delete(session.key);
  }

  /** Stops intercepting; the process's fetch is its own again. */
  close(): void {
    this.#server?.close();
    this.#server = undefined;
  }
}

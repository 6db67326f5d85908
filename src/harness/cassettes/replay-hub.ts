import { http, HttpResponse } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { canonicalJson, changedTools, type Cassette } from './cassette.ts';
import { firstDifference } from './json-diff.ts';
import { judgeSections } from '../judge/request.ts';
import { requestDrifts, type Drift, type DriftKind } from './triage.ts';
import { asChatRequest, isResponsesRequest } from '../../orchestrator/responses-wire.ts';
import { urlOf } from './recorder.ts';

/** Why a replay failed closed. */
export type ReplayFailureCode =
  | 'missing_cassette'
  | 'tools_changed'
  | 'request_mismatch'
  | 'unexpected_request'
  | 'unused_turns'
  | 'unhandled_request'
  | 'judge_changed'
  | 'judge_missing'
  | 'judge_unused'
  | 'faults_changed';

/** A replay failure: a distinct code, a sentence, and a readable diff where there is one. */
export interface ReplayFailure {
  readonly code: ReplayFailureCode;
  readonly reason: string;
  readonly diff?: string;
  /** For a classified change (drift triage): its kind, its one-line name, and what it puts at risk. */
  readonly kind?: DriftKind;
  readonly change?: string;
  readonly risk?: string;
}

/** A classified change as a replay failure: the change and its risk in the reason, the evidence as the diff. */
export function driftFailure(code: ReplayFailureCode, drift: Drift, where = ''): ReplayFailure {
  return {
    code,
    kind: drift.kind,
    change: drift.change,
    risk: drift.risk,
    reason: `${drift.kind}: ${drift.change}${where}; ${drift.risk}`,
    diff: drift.detail,
  };
}

/** How a replay session compares requests. */
export interface SessionOptions {
  /** The tool definitions changed and were already triaged: compare requests without them. */
  readonly ignoreTools?: boolean;
  /** The judge is answered elsewhere (a rebase re-asks an authored script): its recorded verdicts go unused. */
  readonly judgeElsewhere?: boolean;
  /**
   * Serve the recorded responses in order whatever the requests say (the fault matrix: the
   * recorded decisions replayed against faulted tool results). Only running out of them fails.
   */
  readonly lenient?: boolean;
}

/** What msw hands an unhandled-request callback (only the parts used here). */
interface UnhandledFrame {
  readonly frame: { readonly protocol: string; readonly data: unknown; getUnhandledMessage(): Promise<string> };
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
  /** The request bodies received, in order (a rebase writes them as the new recording). */
  readonly received: unknown[] = [];
  readonly options: SessionOptions;
  #cursor = 0;
  #judgeCursor = 0;

  constructor(key: string, cassette: Cassette, options: SessionOptions = {}) {
    this.key = key;
    this.cassette = cassette;
    this.options = options;
  }

  /** The base URL to give the OpenAI client. */
  get baseURL(): string {
    return `${REPLAY_ORIGIN}/${encodeURIComponent(this.key)}/v1`;
  }

  /** The base URL to give the judge's OpenAI client. */
  get judgeBaseURL(): string {
    return `${REPLAY_ORIGIN}/${encodeURIComponent(this.key)}/judge/v1`;
  }

  /** Recorded exchanges not used (yet). */
  get unused(): number {
    return this.cassette.interactions.length - this.#cursor;
  }

  /**
   * Answers one request given as its JSON text (the body as sent): the orchestrator writes its
   * requests in the recorded key order, so text equality settles nearly every request without
   * parsing it; anything else is parsed and compared.
   */
  answerText(text: string): { status: number; body: unknown } {
    const recorded = this.cassette.interactions[this.#cursor];
    if (recorded && !this.options.lenient && !this.options.ignoreTools && JSON.stringify(recorded.request) === text) {
      this.received.push(recorded.request);
      this.#cursor += 1;
      return recorded.response;
    }
    return this.answer(JSON.parse(text));
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
    this.received.push(body);
    if (this.options.lenient) {
      this.#cursor += 1;
      return recorded.response;
    }
    const wire = (value: unknown) => (isResponsesRequest(value) ? 'the Responses API' : 'chat completions');
    if (wire(recorded.request) !== wire(body)) {
      return this.#fail({
        code: 'request_mismatch',
        reason: `request ${index + 1} was recorded through ${wire(recorded.request)} but is now sent through ${wire(body)}; record the cassette again`,
      });
    }
    const comparable = (value: unknown) => canonicalJson(this.options.ignoreTools ? { ...(value as object), tools: undefined } : value);
    // Plain text equality first; the canonical (key-sorted) comparison only runs when the texts differ.
    const same = !this.options.ignoreTools && JSON.stringify(recorded.request) === JSON.stringify(body);
    if (!same && comparable(recorded.request) !== comparable(body)) {
      // Triage reads one shape: a Responses API body is read as the chat request it stands for.
      const then = asChatRequest(recorded.request) as Record<string, unknown>;
      const request = asChatRequest(body) as Record<string, unknown>;
      const tools = this.options.ignoreTools ? [] : changedTools(then.tools, request.tools);
      if (tools.length > 0) {
        return this.#fail({
          code: 'tools_changed',
          reason: `request ${index + 1}: tool definitions changed: ${tools.join(', ')}`,
          diff: firstDifference(then.tools, request.tools),
        });
      }
      // A classified change (a tool result, the system prompt, a turn) is noted and the recorded
      // answer served all the same, so one run finds every drift of the scenario; it still fails.
      const drifts = requestDrifts(then, request);
      if (drifts.length > 0) {
        for (const drift of drifts) this.#note(driftFailure('request_mismatch', drift, ` (request ${index + 1})`));
        this.#cursor += 1;
        return recorded.response;
      }
      const diff = firstDifference(then, request);
      return this.#fail({ code: 'request_mismatch', reason: `request ${index + 1} differs from the recording`, ...(diff ? { diff } : {}) });
    }
    this.#cursor += 1;
    return recorded.response;
  }

  /**
   * Answers one judge request with the recorded verdict while the request (rubric, reference,
   * conversation, tool results, answer, judge model) equals the recorded one.
   */
  answerJudge(body: unknown): { status: number; body: unknown } {
    const index = this.#judgeCursor;
    const recorded = this.cassette.judge_interactions ?? [];
    const exchange = recorded[index];
    if (!exchange) {
      return this.#fail({
        code: 'judge_missing',
        reason: `judge request ${index + 1} has no recorded verdict (the cassette holds ${recorded.length}); the scenario gained a judge since it was recorded: author or record its cassette again`,
      });
    }
    if (canonicalJson(exchange.request) !== canonicalJson(body)) {
      const { changed, diff } = judgeDrift(exchange.request, body);
      return this.#fail({
        code: 'judge_changed',
        reason: `judge request ${index + 1}: ${changed} changed since the recording, so the recorded verdict no longer applies; re-record the judge (helpdesk eval --record) or re-author the cassette`,
        diff,
      });
    }
    this.#judgeCursor += 1;
    return exchange.response;
  }

  /** Whether a failure other than a classified change (drift) was met. */
  get broken(): boolean {
    return this.failures.some((f) => f.kind === undefined || f.kind === 'contract');
  }

  /** Call when the scenario is over: recorded turns left unused are a failure. */
  finish(): void {
    if (this.options.lenient) return;
    if (this.unused > 0 && !this.broken) {
      this.failures.push({
        code: 'unused_turns',
        reason: `${this.unused} of ${this.cassette.interactions.length} recorded responses were never requested; the run stopped earlier than when it was recorded`,
      });
    }
    const judged = this.cassette.judge_interactions?.length ?? 0;
    if (judged > this.#judgeCursor && !this.broken && !this.options.judgeElsewhere) {
      this.failures.push({
        code: 'judge_unused',
        reason: `${judged - this.#judgeCursor} of ${judged} recorded judge verdicts were never requested; the scenario lost a judge, or the run ended without an answer to judge`,
      });
    }
  }

  /** Keeps a classified change once per scenario (the same data change can reach several requests). */
  #note(failure: ReplayFailure): void {
    if (!this.failures.some((f) => f.change === failure.change)) this.failures.push(failure);
  }

  #fail(failure: ReplayFailure): { status: number; body: unknown } {
    this.failures.push(failure);
    return { status: 400, body: { error: { message: `replay: ${failure.reason}`, type: 'replay_mismatch', code: failure.code } } };
  }
}

/** Names the parts of a judge prompt that differ (the rubric, the answer, ...) and shows the first. */
function judgeDrift(recorded: unknown, now: unknown): { changed: string; diff: string } {
  const before = judgeSections(recorded);
  const after = judgeSections(now);
  const names = [...new Set([...before.keys(), ...after.keys()])].filter((name) => before.get(name) !== after.get(name));
  const model = (recorded as { model?: unknown }).model !== (now as { model?: unknown }).model ? ['the judge model'] : [];
  const parts = [...names.map((n) => `the ${n.toLowerCase()}`), ...model];
  const first = names[0];
  const diff = first
    ? `${first}:\n    recorded: ${before.get(first) ?? '(none)'}\n    now:      ${after.get(first) ?? '(none)'}`
    : (firstDifference(recorded, now) ?? '');
  return { changed: parts.length > 0 ? parts.join(' and ') : 'the request', diff };
}

/** A session's answer to one request as an HTTP response. */
function answerResponse(answer: { status: number; body: unknown }): Response {
  // retry-after-ms 0: a recorded 5xx is retried at once instead of after the SDK's backoff.
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(answer.status >= 400 ? { 'retry-after-ms': '0' } : {}),
  };
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers });
}

/**
 * Serves cassettes to the orchestrator's real OpenAI client through msw, in this process. Any
 * request msw has no handler for is an error, never a real network call: replay must fail
 * closed (msw 3 names this option `onUnhandledFrame`; the v2 name is silently ignored).
 */
export class ReplayHub {
  readonly #sessions = new Map<string, ReplaySession>();
  readonly unhandled: string[] = [];
  /** Origins of MCP servers at a URL: their traffic is the run's own, not a model call, and passes. */
  readonly #servers = new Set<string>();
  #server: SetupServer | undefined;

  /** Lets requests to an MCP server's origin through (a scenario's url servers); everything else stays refused. */
  allowServer(url: string): void {
    this.#servers.add(new URL(url).origin);
  }

  /**
   * A fetch for one session's OpenAI clients that answers in place, without msw or the network
   * stack in between (an intercepted fetch cost about half of a replayed scenario's time): the
   * agent's requests (chat completions or Responses API) and the judge's are served from the cassette; any other address is
   * refused and counted as unhandled, as the interceptor does.
   */
  fetchFor(session: ReplaySession): typeof fetch {
    const agent = [`${session.baseURL}/chat/completions`, `${session.baseURL}/responses`];
    const judge = `${session.judgeBaseURL}/chat/completions`;
    return async (input, init) => {
      const url = urlOf(input);
      const track = agent.includes(url) ? 'agent' : url === judge ? 'judge' : undefined;
      if (track === undefined || (init?.method ?? 'GET').toUpperCase() !== 'POST') {
        this.unhandled.push(`${init?.method ?? 'GET'} ${url} is not a recorded endpoint`);
        throw new TypeError(`replay: ${url} is not a recorded endpoint; nothing was sent`);
      }
      const text = typeof init?.body === 'string' ? init.body : await new Response(init?.body ?? null).text();
      const answer = track === 'agent' ? session.answerText(text) : session.answerJudge(JSON.parse(text));
      return answerResponse(answer);
    };
  }

  /** Starts intercepting. */
  open(): void {
    if (this.#server) return;
    const serve =
      (track: 'agent' | 'judge') =>
      async ({ request, params }: { request: Request; params: Record<string, unknown> }) => {
        const session = this.#sessions.get(decodeURIComponent(String(params.session)));
        if (!session) {
          this.unhandled.push(`no replay session "${String(params.session)}"`);
          return HttpResponse.json({ error: { message: 'replay: unknown session' } }, { status: 400 });
        }
        const body: unknown = await request.json();
        return answerResponse(track === 'agent' ? session.answer(body) : session.answerJudge(body));
      };
    this.#server = setupServer(
      http.post(`${REPLAY_ORIGIN}/:session/v1/chat/completions`, serve('agent')),
      http.post(`${REPLAY_ORIGIN}/:session/v1/responses`, serve('agent')),
      http.post(`${REPLAY_ORIGIN}/:session/judge/v1/chat/completions`, serve('judge')),
    );
    this.#server.listen({
      onUnhandledFrame: async ({ frame, defaults }: UnhandledFrame) => {
        const url = frame.protocol === 'http' ? (frame.data as { request?: Request } | undefined)?.request?.url : undefined;
        if (url !== undefined && this.#servers.has(new URL(url).origin)) return;
        this.unhandled.push(await frame.getUnhandledMessage());
        defaults.error();
      },
    });
  }

  /** A session for one cassette; its key must be unique among running scenarios. */
  session(key: string, cassette: Cassette, options: SessionOptions = {}): ReplaySession {
    const session = new ReplaySession(key, cassette, options);
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

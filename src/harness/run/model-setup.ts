import type { ModelClient } from '../../orchestrator/model-client.ts';
import { MODEL_MAX_RETRIES } from '../../orchestrator/constants.ts';
import type { OpenAIFunctionTool } from '../../orchestrator/openai-tools.ts';
import { OpenAIModel } from '../../orchestrator/openai-model.ts';
import { fromResponsesReply, requestTools, type ModelApi } from '../../orchestrator/responses-wire.ts';
import { canonicalJson, changedTools, readCassette, toolsHash, type Cassette, type Interaction } from '../cassettes/cassette.ts';
import { firstDifference } from '../cassettes/json-diff.ts';
import { describeFault, type Fault } from '../faults/fault.ts';
import { Recorder, scriptedFetch, scriptedJudgeFetch } from '../cassettes/recorder.ts';
import { contractBreaks, type RecordedCall } from '../cassettes/contract.ts';
import { driftFailure, type ReplayFailure, type ReplayHub, type ReplaySession } from '../cassettes/replay-hub.ts';
import { contractDrifts, toolDrifts } from '../cassettes/triage.ts';
import type { Scenario } from '../scenario/scenario.ts';

/** Where live and record mode send model requests. */
export interface LiveEndpoint {
  readonly apiKey: string;
  readonly baseURL?: string | undefined;
  readonly model: string;
  /** Chat completions (default) or the Responses API. */
  readonly api?: ModelApi | undefined;
  readonly timeoutMs?: number | undefined;
  readonly maxRetries?: number | undefined;
  /** The fetch the client uses (a live run's adaptive limit wraps the global one). */
  readonly fetch?: typeof fetch | undefined;
}

/** The model a scenario runs against in one mode, and what is left to do when it is over. */
export interface ModelSetup {
  readonly model: ModelClient;
  /** The judge of expect.judge, when the scenario has one. */
  readonly judge?: ModelClient | undefined;
  /** Replay: whether the agent's requests already failed to match (then nothing is judged). */
  readonly failed?: () => boolean;
  /** Replay: the judge requests refused so far (judge_changed, judge_missing), which reached no model. */
  readonly judgeRefusals?: () => readonly ReplayFailure[];
  /** Replay: closes the session and returns its failures (recorded turns left over, mismatches). */
  readonly finish: () => ReplayFailure[];
  /** Record: the cassette of what was exchanged. */
  readonly cassette: () => Cassette | undefined;
  /** Replay: changes of what the model was told that the cassette's live responses predate. */
  readonly stale?: readonly string[] | undefined;
}

/** Why a scenario cannot run in this mode at all. */
export interface SetupFailure {
  readonly error: string;
  readonly replay?: ReplayFailure[];
}

const nothing = { finish: (): ReplayFailure[] => [], cassette: (): Cassette | undefined => undefined };

/**
 * Replay: the orchestrator's real OpenAI client pointed at msw, which serves the cassette. Fails
 * before running when there is no cassette or the tools offered differ from the recording.
 */
export function replayModel(
  scenario: Scenario,
  path: string,
  tools: readonly OpenAIFunctionTool[],
  hub: ReplayHub,
  options: { rebase?: boolean; lenient?: boolean } = {},
): ModelSetup | SetupFailure {
  let cassette: Cassette | undefined;
  try {
    cassette = readCassette(path);
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (!cassette) {
    return {
      error: 'no cassette',
      replay: [
        {
          code: 'missing_cassette',
          reason: `no cassette at ${path}; record one (helpdesk eval --record --id ${scenario.id}) or author one from the scenario's script (helpdesk eval --author --id ${scenario.id})`,
        },
      ],
    };
  }
  if (options.lenient) return lenientReplay(scenario, cassette, hub);
  const faults = faultsChanged(scenario, cassette);
  if (faults) return { error: 'the faults differ from the recording', replay: [faults] };
  const triaged = cassette.tools_hash === toolsHash(tools) ? undefined : triageTools(cassette, tools);
  if (triaged?.contract) return { error: 'a recorded call breaks the current tool contract', replay: triaged.failures };
  // An authored cassette's verdicts are the script's: a rebase asks the script again, as --author does.
  const reauthor = options.rebase === true && cassette.source === 'authored' && scenario.script?.some((t) => 'judge' in t) === true;
  const session = hub.session(`${scenario.id}-${Math.random().toString(36).slice(2, 8)}`, cassette, {
    ignoreTools: triaged !== undefined || options.rebase === true,
    judgeElsewhere: reauthor,
  });
  session.failures.push(...(triaged?.failures ?? []));
  const unhandledBefore = hub.unhandled.length;
  const judgeModel = String(cassette.judge_interactions?.[0]?.request.model ?? cassette.model);
  const judgeRecorder = reauthor && scenario.script ? new Recorder(scriptedJudgeFetch(scenario.script, judgeModel)) : undefined;
  const judge = !hasJudge(scenario)
    ? undefined
    : judgeRecorder
      ? new OpenAIModel({
          apiKey: 'authoring-needs-no-key',
          baseURL: 'http://authoring.invalid/v1',
          model: judgeModel,
          maxRetries: 0,
          fetch: judgeRecorder.fetch,
        })
      : new OpenAIModel({
          apiKey: 'replay-has-no-key',
          baseURL: session.judgeBaseURL,
          model: judgeModel,
          maxRetries: 0,
          fetch: hub.fetchFor(session),
        });
  return {
    model: new OpenAIModel({
      apiKey: 'replay-has-no-key',
      baseURL: session.baseURL,
      model: cassette.model,
      api: cassette.api,
      maxRetries: cassette.max_retries,
      fetch: hub.fetchFor(session),
    }),
    ...nothing,
    judge,
    stale: cassette.stale_responses,
    // A rebase judges through data and prompt changes (a changed judge request then refuses it).
    failed: () => (options.rebase ? session.broken : session.failures.length > 0),
    judgeRefusals: () => session.failures.filter((f) => f.code === 'judge_changed' || f.code === 'judge_missing'),
    cassette: () => (options.rebase ? rebasedCassette(cassette, session, tools, judgeRecorder?.interactions) : undefined),
    finish: () => {
      session.finish();
      hub.release(session);
      // Any request msw had no handler for while this scenario ran: it was refused, never sent.
      const unhandled = hub.unhandled.slice(unhandledBefore);
      if (unhandled.length > 0) {
        session.failures.push({
          code: 'unhandled_request',
          reason: `${unhandled.length} request(s) to an unknown address were refused: ${unhandled[0]}`,
        });
      }
      return session.failures;
    },
  };
}

/**
 * A cassette's responses were the model's answers to tool results under its faults: replayed
 * under other faults (or none), they answer results that never happened, so replay fails closed.
 */
function faultsChanged(scenario: Scenario, cassette: Cassette): ReplayFailure | undefined {
  const recorded = cassette.faults ?? [];
  const now = scenario.faults ?? [];
  if (canonicalJson(recorded) === canonicalJson(now)) return undefined;
  const list = (faults: readonly unknown[]) =>
    faults.length === 0 ? 'no faults' : faults.map((f) => describeFault(f as Fault)).join('; ');
  return {
    code: 'faults_changed',
    reason: `the scenario injects ${list(now)}, but its cassette was recorded with ${list(recorded)}: the recorded responses answered other tool results; re-record or re-author the cassette (helpdesk eval --author --id ${scenario.id})`,
    diff: firstDifference(recorded, now) ?? '',
  };
}

/** The fault matrix's replay: the recorded responses in order, whatever the (faulted) requests say; no judge. */
function lenientReplay(scenario: Scenario, cassette: Cassette, hub: ReplayHub): ModelSetup {
  const session = hub.session(`${scenario.id}-${Math.random().toString(36).slice(2, 8)}`, cassette, { lenient: true });
  return {
    ...nothing,
    model: new OpenAIModel({
      apiKey: 'replay-has-no-key',
      baseURL: session.baseURL,
      model: cassette.model,
      api: cassette.api,
      maxRetries: cassette.max_retries,
      fetch: hub.fetchFor(session),
    }),
    failed: () => true,
    finish: () => {
      hub.release(session);
      return session.failures;
    },
  };
}

/**
 * The cassette a rebase writes: the recorded responses unchanged, each request as the orchestrator
 * sends it today (tool results, tool definitions, prompt), the header saying it was rebased, from
 * what and when, and — for a live recording — which changes of what the model was told its
 * responses predate. Undefined when nothing changed (the file stays byte-identical).
 */
function rebasedCassette(
  cassette: Cassette,
  session: ReplaySession,
  tools: readonly OpenAIFunctionTool[],
  judged: readonly Interaction[] | undefined,
): Cassette | undefined {
  const drifts = session.failures.filter((f) => f.kind !== undefined);
  const judgeChanged = judged !== undefined && canonicalJson(judged) !== canonicalJson(cassette.judge_interactions ?? []);
  if ((drifts.length === 0 && !judgeChanged) || session.received.length !== cassette.interactions.length) return undefined;
  const toldOtherwise = drifts.filter((f) => f.kind === 'prompt' || f.kind === 'tools_added').map((f) => f.change ?? f.reason);
  const stale = cassette.source === 'live' ? [...new Set([...(cassette.stale_responses ?? []), ...toldOtherwise])] : [];
  return {
    ...cassette,
    tools_hash: toolsHash(tools),
    interactions: cassette.interactions.map((exchange, i) => ({
      request: session.received[i] as Record<string, unknown>,
      response: exchange.response,
    })),
    rebased: {
      at: new Date().toISOString(),
      from: cassette.rebased?.at ?? cassette.recorded_at,
      changes: [...new Set([...drifts.map((f) => `${f.kind}: ${f.change}`), ...(judgeChanged ? ['judge: re-asked from the script'] : [])])],
    },
    ...(stale.length > 0 ? { stale_responses: stale } : {}),
    ...(judged && judged.length > 0 ? { judge_interactions: [...judged] } : {}),
  };
}

/** A recorded response body read as a chat completion (a Responses API body is converted; an unreadable one reads as no calls). */
function chatBody(body: unknown, api: ModelApi | undefined): unknown {
  if (api !== 'responses') return body;
  try {
    return fromResponsesReply(body);
  } catch {
    return undefined;
  }
}

/** The tool calls the recorded model responses made, in order. */
export function recordedCalls(cassette: Cassette): RecordedCall[] {
  return cassette.interactions.flatMap((i) => {
    const message = (
      chatBody(i.response.body, cassette.api) as {
        choices?: { message?: { tool_calls?: { function?: { name?: string; arguments?: unknown } }[] } }[];
      }
    )?.choices?.[0]?.message;
    return (message?.tool_calls ?? []).map((c) => ({
      name: c.function?.name ?? '?',
      arguments: typeof c.function?.arguments === 'string' ? c.function.arguments : JSON.stringify(c.function?.arguments ?? {}),
    }));
  });
}

/**
 * Why the tools offered differ from the recording, classified: recorded calls the current tools
 * refuse (contract: the run is not worth making), reworded or changed definitions (prompt) and
 * new tools. Without a contract break the scenario still runs, to find its other drifts.
 */
function triageTools(cassette: Cassette, tools: readonly OpenAIFunctionTool[]): { contract: boolean; failures: ReplayFailure[] } {
  const recorded = requestTools(cassette.interactions[0]?.request);
  const breaks = contractBreaks(recordedCalls(cassette), recorded, tools);
  const drifts = [...contractDrifts(breaks), ...toolDrifts(recorded, tools, breaks)];
  const failures =
    drifts.length > 0
      ? drifts.map((d) => driftFailure('tools_changed', d))
      : [
          {
            code: 'tools_changed' as const,
            reason: `the tools offered to the model differ from the recording: ${changedTools(recorded, tools).join(', ') || 'order changed'}; re-record or re-author the cassette`,
          },
        ];
  return { contract: breaks.length > 0, failures };
}

/** The judge's endpoint (its own, else the agent's), asked through chat completions whatever the agent's model speaks. */
function judgeOf(judge: LiveEndpoint | undefined, live: LiveEndpoint | undefined): LiveEndpoint | undefined {
  const endpoint = judge ?? live;
  return endpoint && { ...endpoint, api: 'chat' };
}

const hasJudge = (scenario: Scenario) => (scenario.expect.judge?.length ?? 0) > 0;

/**
 * Record: the live endpoint, or with `author` the scenario's script, behind a recorder that keeps
 * every exchange in wire format for the cassette. The judge is recorded apart, the same way.
 */
export function recordModel(
  scenario: Scenario,
  tools: readonly OpenAIFunctionTool[],
  live: LiveEndpoint | undefined,
  author: boolean,
  judge?: LiveEndpoint,
  authorApi?: ModelApi,
): ModelSetup | SetupFailure {
  const scriptModel = scenario.model.name ?? live?.model ?? 'gpt-4o-mini';
  if (author && !scenario.script) return { error: `scenario ${scenario.id} has no script to author a cassette from` };
  if (!author && !live) return { error: 'record mode needs a live endpoint' };
  const recorder = new Recorder(author && scenario.script ? scriptedFetch(scenario.script, scriptModel) : live?.fetch);
  const model = author ? scriptModel : (live as LiveEndpoint).model;
  const maxRetries = author ? 0 : (live?.maxRetries ?? MODEL_MAX_RETRIES);
  const api = author ? authorApi : live?.api;
  const client = new OpenAIModel({
    api,
    apiKey: author ? 'authoring-needs-no-key' : (live as LiveEndpoint).apiKey,
    baseURL: author ? 'http://authoring.invalid/v1' : live?.baseURL,
    model,
    maxRetries,
    fetch: recorder.fetch,
    ...(!author && live?.timeoutMs ? { timeoutMs: live.timeoutMs } : {}),
  });
  const judgeEndpoint = judgeOf(judge, live);
  const judgeRecorder = new Recorder(author && scenario.script ? scriptedJudgeFetch(scenario.script, scriptModel) : undefined);
  const judgeClient = !hasJudge(scenario)
    ? undefined
    : author || !judgeEndpoint
      ? new OpenAIModel({
          apiKey: 'authoring-needs-no-key',
          baseURL: 'http://authoring.invalid/v1',
          model: scriptModel,
          maxRetries: 0,
          fetch: judgeRecorder.fetch,
        })
      : new OpenAIModel({ ...judgeEndpoint, maxRetries: judgeEndpoint.maxRetries ?? MODEL_MAX_RETRIES, fetch: judgeRecorder.fetch });
  return {
    ...nothing,
    model: client,
    judge: judgeClient,
    cassette: () => ({
      format: 1,
      scenario: scenario.id,
      source: author ? 'authored' : 'live',
      model,
      ...(api === 'responses' ? { api } : {}),
      recorded_at: new Date().toISOString(),
      tools_hash: toolsHash(tools),
      max_retries: maxRetries,
      interactions: recorder.interactions,
      ...(scenario.faults ? { faults: scenario.faults } : {}),
      ...(judgeRecorder.interactions.length > 0 ? { judge_interactions: judgeRecorder.interactions } : {}),
    }),
  };
}

/** Live: the endpoint as it is, no cassette. */
export function liveModel(scenario: Scenario, live: LiveEndpoint | undefined, judge?: LiveEndpoint): ModelSetup | SetupFailure {
  if (!live) return { error: 'live mode needs an endpoint' };
  return {
    model: new OpenAIModel({ ...live, model: scenario.model.name ?? live.model, ...(live.fetch ? { fetch: live.fetch } : {}) }),
    ...(hasJudge(scenario) ? { judge: new OpenAIModel(judgeOf(judge, live) as LiveEndpoint) } : {}),
    ...nothing,
  };
}

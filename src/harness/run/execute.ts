import { formatDay, parseInstant } from '../../shared/clock.ts';
import { nowMs, type TraceSpan } from '../../shared/tracing.ts';
import type { ModelApi } from '../../orchestrator/responses-wire.ts';
import { runQuery } from '../../orchestrator/agent-loop.ts';
import type { ToolRouter } from '../../orchestrator/tool-router.ts';
import {
  mergeSettings,
  type ChatMessage,
  type ChatRequest,
  type ModelClient,
  type ModelSettings,
} from '../../orchestrator/model-client.ts';
import { systemPrompt } from '../../orchestrator/prompt.ts';
import type { Transcript } from '../../orchestrator/transcript.ts';
import { cassettePath, type Cassette } from '../cassettes/cassette.ts';
import type { ReplayFailure, ReplayHub } from '../cassettes/replay-hub.ts';
import type { FaultReport } from '../faults/fault.ts';
import { FaultPlan } from '../faults/plan.ts';
import { closeFaultedPool, unreachableFaults } from '../faults/faulted-pool.ts';
import { judgeName } from '../judge/request.ts';
import { askJudge, type JudgeCall } from '../judge/verdict.ts';
import type { LoadedScenario, Scenario } from '../scenario/scenario.ts';
import { liveModel, recordModel, replayModel, type LiveEndpoint, type ModelSetup, type SetupFailure } from './model-setup.ts';
import type { OpenedPool, PoolCache } from './pools.ts';
import { modeOf, observedCalls, type Mode, type RunMode, type ScenarioRun } from './scenario-run.ts';

/** How to run scenarios. */
export interface RunOptions {
  readonly mode: RunMode;
  readonly recordingsDir: string;
  readonly pools: PoolCache;
  /** Replay and rebase: the msw hub serving cassettes. */
  readonly hub?: ReplayHub;
  /** Live and record: the model's endpoint. */
  readonly live?: LiveEndpoint;
  /** Live and record: the judge of expect.judge (default: the live endpoint). */
  readonly judge?: LiveEndpoint;
  /**
   * Test seams for proving the harness catches a broken orchestrator: wrap the tool router,
   * or change the iteration cap. Never set in normal runs.
   */
  readonly breakRouter?: (router: ToolRouter) => ToolRouter;
  readonly maxIterations?: number;
  /** Record and author: return the cassette in the result instead of writing it (trials pick one). */
  readonly deferCassette?: boolean;
  /**
   * A cell of the fault matrix, not a graded scenario: replay serves the recorded decisions in
   * order whatever the faulted tool results say, no judge is asked, and no cassette is written.
   */
  readonly matrixCell?: boolean;
  /** Cancels the run's queries (stop reason `aborted`): the fault matrix's deadline per cell. */
  readonly signal?: AbortSignal;
  /** Traced runs: the span each scenario's span goes under (the run's, a model's, or another thread's). */
  readonly trace?: TraceSpan | undefined;
  /** Which trial of its scenario this run is (1-based), for its span. */
  readonly trial?: number | undefined;
  /** This run is the quiet re-run of a latency-only failure (its span says so). */
  readonly latencyRecheck?: boolean | undefined;
  /** The project's system prompt ("{{today}}" marks the date); default the built-in helpdesk's. */
  readonly promptTemplate?: string | undefined;
  /** The project's sampling settings; a scenario's `model` overrides each. */
  readonly modelSettings?: ModelSettings | undefined;
  /** Authoring: the wire format the cassettes are written in (live and record take the endpoint's). */
  readonly api?: ModelApi | undefined;
}

/** The parts of a run's options that are plain data: what a worker thread is given. */
export interface RunSettings {
  readonly mode: RunMode;
  readonly recordingsDir: string;
  readonly promptTemplate: string | undefined;
  readonly modelSettings?: ModelSettings | undefined;
  readonly api?: ModelApi | undefined;
}

/** What a thread owns for its runs: its server pools, its replay hub, the endpoints, the signal. */
export interface RunParts {
  readonly pools: PoolCache;
  readonly hub?: ReplayHub | undefined;
  readonly live?: LiveEndpoint | undefined;
  readonly judge?: LiveEndpoint | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly trace?: TraceSpan | undefined;
}

/** A run's options from its settings and this thread's parts: the one place they are put together. */
export function runOptions(settings: RunSettings, parts: RunParts): RunOptions {
  const { hub, live, judge, signal, trace } = parts;
  return {
    mode: settings.mode,
    recordingsDir: settings.recordingsDir,
    promptTemplate: settings.promptTemplate,
    pools: parts.pools,
    ...(settings.modelSettings ? { modelSettings: settings.modelSettings } : {}),
    ...(settings.api ? { api: settings.api } : {}),
    ...(hub ? { hub } : {}),
    ...(live ? { live } : {}),
    ...(judge ? { judge } : {}),
    ...(signal ? { signal } : {}),
    ...(trace ? { trace } : {}),
  };
}

/** What a run's options mean, decided in this one place. */
export interface RunPlan {
  /** What the results record as the mode. */
  readonly mode: Mode;
  readonly rebase: boolean;
  readonly author: boolean;
  /** Whether the judges of expect.judge are asked (a matrix cell asks none). */
  readonly askJudges: boolean;
  /** What becomes of the cassette a run makes: written now, after a rebase is settled, handed back, or dropped. */
  readonly cassette: 'write' | 'rebase' | 'return' | 'drop';
}

export function runPlan(options: RunOptions): RunPlan {
  const rebase = options.mode === 'rebase';
  const cassette = options.matrixCell ? 'drop' : rebase ? 'rebase' : options.deferCassette ? 'return' : 'write';
  return { mode: modeOf(options.mode), rebase, author: options.mode === 'author', askJudges: !options.matrixCell, cassette };
}

/** A run that reached its model and ran its turns: what the graders read, and what replay and recording kept. */
export interface Ran {
  readonly kind: 'ran';
  readonly run: ScenarioRun;
  /** What replay refused or found changed since the recording. */
  readonly replay: ReplayFailure[];
  /** The cassette this run made (record, author, rebase), not yet written. */
  readonly cassette: Cassette | undefined;
  readonly cassettePath: string;
  /** Replay: what the model was told differently since its recorded live responses (cassette header). */
  readonly stale: readonly string[] | undefined;
}

/** A run that never reached its turns: servers that did not start, a model that could not be set up, faults that cannot land. */
export interface NotRan {
  readonly kind: 'servers' | 'model' | 'faults';
  readonly error: string;
  readonly replay?: ReplayFailure[] | undefined;
}

/** What executing a scenario produced, before grading; a faulted run adds what its faults did. */
export type Execution = (Ran | NotRan) & { readonly faults?: FaultReport | undefined };

/** A model that keeps every request it forwards (the graders check what the model was told). */
class RequestLog implements ModelClient {
  readonly requests: ChatRequest[] = [];
  readonly #inner: ModelClient;
  constructor(inner: ModelClient) {
    this.#inner = inner;
  }
  get model(): string {
    return this.#inner.model;
  }
  complete(request: ChatRequest, options?: { signal?: AbortSignal }) {
    this.requests.push(request);
    return this.#inner.complete(request, options);
  }
}

async function runTurns(scenario: Scenario, model: ModelClient, router: ToolRouter, options: RunOptions): Promise<Transcript[]> {
  const transcripts: Transcript[] = [];
  let history: ChatMessage[] = [];
  const prompt = systemPrompt(formatDay(parseInstant(scenario.now)), options.promptTemplate);
  const maxIterations = options.maxIterations ?? scenario.model.max_iterations;
  const settings = mergeSettings(options.modelSettings, scenario.model);
  const { signal } = options;
  for (const turn of scenario.turns) {
    const { transcript, messages } = await runQuery({
      model,
      tools: router,
      query: turn,
      history,
      systemPrompt: prompt,
      maxIterations,
      settings,
      ...(signal ? { signal } : {}),
      ...(options.trace ? { trace: options.trace } : {}),
    });
    transcripts.push(transcript);
    history = messages;
    if (transcript.stop_reason !== 'final_answer') break;
  }
  return transcripts;
}

/** A judge's model call as a chat span under the scenario's (GenAI conventions), with its verdict. */
function judgeSpan(trace: TraceSpan | undefined, call: JudgeCall, startMs: number): void {
  if (!trace) return;
  const span = trace.child(`chat ${call.model}`, {
    kind: 'client',
    startMs,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': call.model,
      'gen_ai.usage.input_tokens': call.usage?.prompt_tokens,
      'gen_ai.usage.output_tokens': call.usage?.completion_tokens,
      'helpdesk.judge': call.name,
      'helpdesk.judge.score': call.verdict?.score,
      'helpdesk.judge.pass': call.verdict?.pass,
    },
  });
  if (call.error) span.fail('judge_error', call.error);
  span.end();
}

/**
 * Asks each judge of the scenario about the run's answer; none is asked when there is no answer.
 * A request replay refused (it differs from the recording) reached no model: its call says so,
 * not what the client made of replay's refusal.
 */
async function runJudges(
  scenario: Scenario,
  transcripts: readonly Transcript[],
  client: ModelClient | undefined,
  refusals?: () => readonly ReplayFailure[],
  trace?: TraceSpan,
): Promise<JudgeCall[]> {
  const specs = scenario.expect.judge ?? [];
  if (specs.length === 0 || !transcripts.at(-1)?.answer) return [];
  const calls: JudgeCall[] = [];
  for (const [i, spec] of specs.entries()) {
    const named = { ...spec, name: judgeName(spec, i) };
    if (!client) {
      calls.push({
        name: named.name,
        model: spec.model ?? '?',
        durationMs: 0,
        usage: null,
        verdict: undefined,
        error: 'no judge endpoint is configured',
      });
      continue;
    }
    const before = refusals?.().length ?? 0;
    const started = nowMs();
    const call = await askJudge(named, transcripts, client);
    judgeSpan(trace, call, started);
    const refused = refusals?.()[before];
    calls.push(
      refused && !call.verdict
        ? { ...call, error: `the judge was not asked: its request differs from the recording (see [${refused.code}])` }
        : call,
    );
  }
  return calls;
}

/** The model of a run, by its mode: the cassette, a recorder in front of the endpoint or the script, or the endpoint. */
function modelSetup(scenario: Scenario, options: RunOptions, plan: RunPlan, path: string, router: ToolRouter): ModelSetup | SetupFailure {
  const tools = router.openAITools();
  switch (plan.mode) {
    case 'replay':
      return options.hub
        ? replayModel(scenario, path, tools, options.hub, { rebase: plan.rebase, lenient: options.matrixCell === true })
        : { error: 'replay mode needs a ReplayHub' };
    case 'record':
      return recordModel(scenario, tools, options.live, plan.author, options.judge, options.api);
    case 'live':
      return liveModel(scenario, options.live, options.judge);
  }
}

/**
 * Runs one scenario's turns in its mode on its servers (a fresh faulted pool when it injects
 * faults), asks its judges, and returns what happened. Grades nothing and writes nothing.
 */
export async function executeScenario(loaded: LoadedScenario, options: RunOptions): Promise<Execution> {
  const { scenario } = loaded;
  const faultPlan = scenario.faults?.length ? new FaultPlan(scenario.faults) : undefined;
  let opened;
  try {
    // Replay refuses every request it has no cassette for; a url server's own traffic is let through.
    for (const server of Object.values(scenario.servers ?? {})) if (server.url !== undefined) options.hub?.allowServer(server.url);
    opened = faultPlan ? await options.pools.fresh(scenario, faultPlan.wrap) : await options.pools.get(scenario);
  } catch (error) {
    return { kind: 'servers', error: `servers did not start: ${(error as Error).message}` };
  }
  if (!faultPlan) return runOn(loaded, options, opened);
  const unreachable = unreachableFaults(faultPlan.faults, opened.pool);
  let execution: Execution | undefined;
  try {
    if (!unreachable) execution = await runOn(loaded, options, opened);
  } finally {
    const faults = await closeFaultedPool(opened.pool, faultPlan);
    options.pools.forget(opened.pool);
    execution ??= { kind: 'faults', error: `faults: ${unreachable ?? 'the run did not finish'}` };
    execution = { ...execution, faults };
  }
  return execution;
}

/** Runs one scenario's turns on an opened pool. */
async function runOn(loaded: LoadedScenario, options: RunOptions, opened: OpenedPool): Promise<Ran | NotRan> {
  const { scenario } = loaded;
  const plan = runPlan(options);
  const router = options.breakRouter ? options.breakRouter(opened.pool) : opened.pool;
  const path = cassettePath(options.recordingsDir, scenario.id);
  const setup = modelSetup(scenario, options, plan, path, router);
  if (!('model' in setup)) return { kind: 'model', error: setup.error, replay: setup.replay };

  const model = new RequestLog(setup.model);
  let transcripts: Transcript[] = [];
  let crash: string | undefined;
  try {
    transcripts = await runTurns(scenario, model, router, options);
  } catch (error) {
    crash = error instanceof Error ? error.message : String(error);
  }
  // A replay whose agent requests already drifted has nothing trustworthy to judge.
  const judge =
    crash || setup.failed?.() || !plan.askJudges
      ? undefined
      : await runJudges(scenario, transcripts, setup.judge, setup.judgeRefusals, options.trace);
  const replay = setup.finish();
  const run: ScenarioRun = {
    mode: plan.mode,
    transcripts,
    calls: observedCalls(transcripts),
    requests: model.requests,
    startupMs: opened.startupMs,
    discoveryMs: opened.discoveryMs,
    crash,
    judge,
  };
  return { kind: 'ran', run, replay, cassette: crash ? undefined : setup.cassette(), cassettePath: path, stale: setup.stale };
}

import { formatDay, parseInstant } from '../../shared/clock.ts';
import { runQuery } from '../../orchestrator/agent-loop.ts';
import type { ToolRouter } from '../../orchestrator/tool-router.ts';
import type { ChatMessage, ChatRequest, ModelClient } from '../../orchestrator/chat.ts';
import { systemPrompt } from '../../orchestrator/prompt.ts';
import type { Transcript } from '../../orchestrator/transcript.ts';
import { cassettePath, writeCassette, type Cassette } from '../cassettes/cassette.ts';
import { gradeCustom } from '../grading/custom.ts';
import { judgeName } from '../grading/answer-checks.ts';
import { grade } from '../grading/graders.ts';
import { observedCalls, type GradeResult, type Mode, type ScenarioRun } from './run.ts';
import { askJudge, type JudgeCall } from '../grading/judge.ts';
import { checksPass, scenarioScore } from '../grading/score.ts';
import { faultChecks } from '../faults/checks.ts';
import type { FaultReport } from '../faults/fault.ts';
import { FaultPlan } from '../faults/plan.ts';
import { closeFaultedPool, unreachableFaults } from '../faults/session.ts';
import type { OpenedPool, PoolCache } from './pools.ts';
import { liveModel, recordModel, replayModel, type LiveEndpoint } from './model-setup.ts';
import type { ReplayFailure, ReplayHub } from '../cassettes/replay-hub.ts';
import type { LoadedScenario, Scenario } from '../scenario/scenario.ts';

/** How to run scenarios. */
export interface RunOptions {
  readonly mode: Mode;
  readonly recordingsDir: string;
  readonly pools: PoolCache;
  /** Replay mode: the msw hub serving cassettes. */
  readonly hub?: ReplayHub;
  /** Live and record mode. */
  readonly live?: LiveEndpoint;
  /** Live and record mode: the judge of expect.judge (default: the live endpoint). */
  readonly judge?: LiveEndpoint;
  /** Record mode: take the model turns from each scenario's `script` instead of a live model. */
  readonly author?: boolean;
  /**
   * Test seams for proving the harness catches a broken orchestrator: wrap the tool router,
   * or change the iteration cap. Never set in normal runs.
   */
  readonly breakRouter?: (router: ToolRouter) => ToolRouter;
  readonly maxIterations?: number;
  /** Record mode: return the cassette in the result instead of writing it (trials pick one). */
  readonly deferCassette?: boolean;
  /**
   * Replay mode: rebase each cassette — replay the recorded model decisions against today's
   * servers, prompt and tools, and rewrite the cassette where the expectations still hold.
   */
  readonly rebase?: boolean;
  /**
   * A fault-matrix cell: replay serves the recorded decisions in order whatever the faulted tool
   * results say, no judge is asked, and no cassette is written in any mode.
   */
  readonly matrixCell?: boolean;
  /** Cancels the run's queries (stop reason `aborted`): the fault matrix's deadline per cell. */
  readonly signal?: AbortSignal;
  /** The project's system prompt ("{{today}}" marks the date); default the built-in helpdesk's. */
  readonly promptTemplate?: string | undefined;
}

/** What a rebase did with one cassette. */
export interface RebaseOutcome {
  readonly outcome: 'rebased' | 'unchanged' | 'refused';
  /** Rebased: the changes taken in; refused: why. */
  readonly reasons: readonly string[];
}

/** The outcome of one scenario. */
export interface ScenarioResult {
  readonly id: string;
  readonly file: string;
  readonly mode: Mode;
  readonly pass: boolean;
  readonly checks: readonly GradeResult[];
  readonly failures: readonly GradeResult[];
  /** The weighted score of the checks, 0 to 1 (null when the run was not graded). */
  readonly score: number | null;
  readonly replay: readonly ReplayFailure[];
  /** A failure of the infrastructure (a server did not start, a cassette is missing) rather than of the model. */
  readonly error: string | undefined;
  readonly run: ScenarioRun | undefined;
  readonly durationMs: number;
  /** Record mode with deferCassette: the cassette this run would have written. */
  readonly cassette?: Cassette | undefined;
  /** Rebase runs: what happened to the cassette. */
  readonly rebase?: RebaseOutcome | undefined;
  /** Replay: what the model was told differently since its recorded live responses (cassette header). */
  readonly staleResponses?: readonly string[] | undefined;
  /** Faulted runs: what the faults did. */
  readonly faults?: FaultReport | undefined;
  /** Set when this is the quiet re-run that confirmed (or cleared) latency failures under load. */
  readonly latencyConfirmed?: boolean | undefined;
}

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

/** A scenario that did not run to a graded end: the error (an infrastructure failure unless replay failures come with it). */
export function failedResult(loaded: LoadedScenario, mode: Mode, error: string, durationMs = 0, replay: ReplayFailure[] = []): ScenarioResult {
  return { id: loaded.scenario.id, file: loaded.file, mode, pass: false, checks: [], failures: [], score: null, replay, error, run: undefined, durationMs };
}

function failed(loaded: LoadedScenario, mode: Mode, started: number, error: string, replay: ReplayFailure[] = []): ScenarioResult {
  return failedResult(loaded, mode, error, performance.now() - started, replay);
}

async function runTurns(scenario: Scenario, model: ModelClient, router: ToolRouter, maxIterations: number, signal?: AbortSignal, promptTemplate?: string): Promise<Transcript[]> {
  const transcripts: Transcript[] = [];
  let history: ChatMessage[] = [];
  const prompt = systemPrompt(formatDay(parseInstant(scenario.now)), promptTemplate);
  for (const turn of scenario.turns) {
    const { transcript, messages } = await runQuery({ model, tools: router, query: turn, history, systemPrompt: prompt, maxIterations, ...(signal ? { signal } : {}) });
    transcripts.push(transcript);
    history = messages;
    if (transcript.stop_reason !== 'final_answer') break;
  }
  return transcripts;
}

/**
 * Asks each judge of the scenario about the run's answer; none is asked when there is no answer.
 * A request replay refused (it differs from the recording) reached no model: its call says so,
 * not what the client made of replay's refusal.
 */
async function runJudges(scenario: Scenario, transcripts: readonly Transcript[], client: ModelClient | undefined, refusals?: () => readonly ReplayFailure[]): Promise<JudgeCall[]> {
  const specs = scenario.expect.judge ?? [];
  if (specs.length === 0 || !transcripts.at(-1)?.answer) return [];
  const calls: JudgeCall[] = [];
  for (const [i, spec] of specs.entries()) {
    const named = { ...spec, name: judgeName(spec, i) };
    if (!client) {
      calls.push({ name: named.name, model: spec.model ?? '?', durationMs: 0, usage: null, verdict: undefined, error: 'no judge endpoint is configured' });
      continue;
    }
    const before = refusals?.().length ?? 0;
    const call = await askJudge(named, transcripts, client);
    const refused = refusals?.()[before];
    calls.push(refused && !call.verdict ? { ...call, error: `the judge was not asked: its request differs from the recording (see [${refused.code}])` } : call);
  }
  return calls;
}

/** The built-in checks and the custom graders of one run. */
async function gradeRun(loaded: LoadedScenario, run: ScenarioRun): Promise<GradeResult[]> {
  const { scenario } = loaded;
  try {
    const checks = grade(scenario, run);
    if (run.crash || !scenario.expect.custom?.length) return checks;
    const results = new Map(run.transcripts.flatMap((t) => t.events.flatMap((e) => (e.type === 'tool_result' ? [[e.id, e.content] as const] : []))));
    const custom = await gradeCustom(scenario.expect.custom, loaded.file, {
      scenarioId: scenario.id, turns: scenario.turns, transcripts: run.transcripts, calls: run.calls, results,
      answer: run.transcripts.at(-1)?.answer ?? '', requests: run.requests,
    });
    return [...checks, ...custom];
  } catch (error) {
    return [{ name: 'grading', pass: false, reason: `grading failed: ${(error as Error).message}` }];
  }
}

/**
 * Whether a rebase may rewrite the cassette: only data, prompt and added-tool changes, and only
 * when the scenario's expectations (groundedness included; latency aside) still hold with today's results.
 */
function settleRebase(replay: readonly ReplayFailure[], failures: readonly GradeResult[], expectationsHold: boolean, cassette: Cassette | undefined): RebaseOutcome {
  const blocking = replay.filter((f) => f.kind === undefined || f.kind === 'contract');
  if (blocking.length > 0) return { outcome: 'refused', reasons: blocking.map((f) => `[${f.code}] ${f.kind ? `${f.kind}: ${f.change}` : f.reason}`) };
  if (!expectationsHold) return { outcome: 'refused', reasons: failures.map((f) => `[${f.name}] ${f.reason}`) };
  if (!cassette) return { outcome: 'unchanged', reasons: [] };
  return { outcome: 'rebased', reasons: cassette.rebased?.changes ?? [] };
}

/** Runs one scenario in the given mode and grades it. Never throws: failures are results. */
export async function runScenario(loaded: LoadedScenario, options: RunOptions): Promise<ScenarioResult> {
  const outer = options.signal;
  if (!outer) return runScoped(loaded, options);
  // The run's own signal, tied to the long-lived one by a single listener removed when the run
  // ends: the model client and the tool calls add listeners of their own and do not all remove
  // them, and thousands left on one signal made each add and remove walk them all.
  const scope = new AbortController();
  const abort = () => scope.abort(outer.reason);
  if (outer.aborted) abort();
  else outer.addEventListener('abort', abort, { once: true });
  try {
    return await runScoped(loaded, { ...options, signal: scope.signal });
  } finally {
    outer.removeEventListener('abort', abort);
  }
}

async function runScoped(loaded: LoadedScenario, options: RunOptions): Promise<ScenarioResult> {
  const { scenario } = loaded;
  const started = performance.now();
  const mode = options.mode;
  const plan = scenario.faults?.length ? new FaultPlan(scenario.faults) : undefined;
  let opened;
  try {
    // Replay refuses every request it has no cassette for; a url server's own traffic is let through.
    for (const server of Object.values(scenario.servers ?? {})) if (server.url !== undefined) options.hub?.allowServer(server.url);
    opened = plan ? await options.pools.fresh(scenario, plan.wrap) : await options.pools.get(scenario);
  } catch (error) {
    return failed(loaded, mode, started, `servers did not start: ${(error as Error).message}`);
  }
  if (!plan) return runOn(loaded, options, opened, started);
  const unreachable = unreachableFaults(plan.faults, opened.pool);
  let result: ScenarioResult | undefined;
  try {
    if (!unreachable) result = await runOn(loaded, options, opened, started);
  } finally {
    const faults = await closeFaultedPool(opened.pool, plan);
    options.pools.forget(opened.pool);
    result = withFaults(loaded, result ?? failed(loaded, mode, started, `faults: ${unreachable ?? 'the run did not finish'}`), faults);
  }
  return result;
}

/** A faulted run's result with what its faults did, and their checks graded. */
function withFaults(loaded: LoadedScenario, result: ScenarioResult, faults: FaultReport): ScenarioResult {
  if (!result.run) return { ...result, faults };
  const checks = [...result.checks, ...faultChecks(faults)];
  const failures = checks.filter((c) => !c.pass);
  const score = scenarioScore(checks, loaded.scenario.expect.weights);
  const pass = result.rebase ? result.pass : result.replay.length === 0 && checksPass(checks, score, loaded.scenario.expect.score_threshold);
  return { ...result, faults, checks, failures, score, pass };
}

/** Runs one scenario on an opened pool and grades it. */
async function runOn(loaded: LoadedScenario, options: RunOptions, opened: OpenedPool, started: number): Promise<ScenarioResult> {
  const { scenario } = loaded;
  const mode = options.mode;
  const router = options.breakRouter ? options.breakRouter(opened.pool) : opened.pool;
  const tools = router.openAITools();
  const path = cassettePath(options.recordingsDir, scenario.id);

  const setup = mode === 'replay'
    ? options.hub ? replayModel(scenario, path, tools, options.hub, { rebase: options.rebase === true, lenient: options.matrixCell === true }) : { error: 'replay mode needs a ReplayHub' }
    : mode === 'record'
      ? recordModel(scenario, tools, options.live, options.author === true, options.judge)
      : liveModel(scenario, options.live, options.judge);
  if (!('model' in setup)) {
    const result = failed(loaded, mode, started, setup.error, setup.replay);
    // A rebase counts it as refused (a contract break, no cassette, other faults), with the reason.
    if (!options.rebase) return result;
    return { ...result, rebase: setup.replay?.length ? settleRebase(setup.replay, [], false, undefined) : { outcome: 'refused', reasons: [setup.error] } };
  }

  const model = new RequestLog(setup.model);
  let transcripts: Transcript[] = [];
  let crash: string | undefined;
  try {
    transcripts = await runTurns(scenario, model, router, options.maxIterations ?? scenario.model.max_iterations, options.signal, options.promptTemplate);
  } catch (error) {
    crash = error instanceof Error ? error.message : String(error);
  }
  // A replay whose agent requests already drifted has nothing trustworthy to judge.
  const judge = crash || setup.failed?.() || options.matrixCell ? undefined : await runJudges(scenario, transcripts, setup.judge, setup.judgeRefusals);
  const replay = setup.finish();
  const cassette = crash ? undefined : setup.cassette();
  if (cassette && !options.deferCassette && !options.rebase && !options.matrixCell) writeCassette(path, cassette);
  const run: ScenarioRun = {
    mode, transcripts, calls: observedCalls(transcripts), requests: model.requests,
    startupMs: opened.startupMs, discoveryMs: opened.discoveryMs, crash, judge,
  };
  const checks = await gradeRun(loaded, run);
  const failures = checks.filter((c) => !c.pass);
  const score = scenarioScore(checks, scenario.expect.weights);
  if (options.rebase) {
    // Latency is this machine's, not the recording's: it does not decide whether a cassette is rebased.
    const graded = checks.filter((c) => !c.name.startsWith('latency:'));
    const rebase = settleRebase(replay, graded.filter((c) => !c.pass), checksPass(graded, scenarioScore(graded, scenario.expect.weights), scenario.expect.score_threshold), cassette);
    if (rebase.outcome === 'rebased' && cassette) writeCassette(path, cassette);
    return {
      id: scenario.id, file: loaded.file, mode, pass: rebase.outcome !== 'refused', checks, failures, score,
      replay: rebase.outcome === 'refused' ? replay : [], error: undefined, run, durationMs: performance.now() - started, rebase,
      staleResponses: rebase.outcome === 'rebased' ? cassette?.stale_responses : setup.stale,
    };
  }
  return {
    id: scenario.id, file: loaded.file, mode, pass: replay.length === 0 && checksPass(checks, score, scenario.expect.score_threshold),
    checks, failures, score, replay, error: undefined, run, durationMs: performance.now() - started,
    ...(options.deferCassette && cassette ? { cassette } : {}),
    ...(setup.stale?.length ? { staleResponses: setup.stale } : {}),
  };
}

import { writeCassette, type Cassette } from '../cassettes/cassette.ts';
import type { TraceSpan } from '../../shared/tracing.ts';
import type { ReplayFailure } from '../cassettes/replay-hub.ts';
import { faultChecks } from '../faults/checks.ts';
import type { FaultReport } from '../faults/fault.ts';
import { gradeRun } from '../grading/grade-run.ts';
import { checksPass, scenarioScore, type GradeResult } from '../grading/score.ts';
import { failedResult, type RebaseOutcome, type ScenarioResult } from '../results/scenario-result.ts';
import { executeScenario, runPlan, type Ran, type RunOptions, type RunPlan } from '../run/execute.ts';
import type { LoadedScenario } from '../scenario/scenario.ts';

/**
 * Whether a rebase may rewrite the cassette: only data, prompt and added-tool changes, and only
 * when the scenario's expectations (groundedness included; latency aside) still hold with today's results.
 */
function settleRebase(
  replay: readonly ReplayFailure[],
  failures: readonly GradeResult[],
  expectationsHold: boolean,
  cassette: Cassette | undefined,
): RebaseOutcome {
  const blocking = replay.filter((f) => f.kind === undefined || f.kind === 'contract');
  if (blocking.length > 0)
    return { outcome: 'refused', reasons: blocking.map((f) => `[${f.code}] ${f.kind ? `${f.kind}: ${f.change}` : f.reason}`) };
  if (!expectationsHold) return { outcome: 'refused', reasons: failures.map((f) => `[${f.name}] ${f.reason}`) };
  if (!cassette) return { outcome: 'unchanged', reasons: [] };
  return { outcome: 'rebased', reasons: cassette.rebased?.changes ?? [] };
}

/** Runs one scenario in the given mode and grades it. Never throws for a failed run: failures are results. */
export async function runScenario(loaded: LoadedScenario, options: RunOptions): Promise<ScenarioResult> {
  const outer = options.signal;
  if (!outer) return runSpanned(loaded, options);
  // The run's own signal, tied to the long-lived one by a single listener removed when the run
  // ends: the model client and the tool calls add listeners of their own and do not all remove
  // them, and thousands left on one signal made each add and remove walk them all.
  const scope = new AbortController();
  const abort = () => scope.abort(outer.reason);
  if (outer.aborted) abort();
  else outer.addEventListener('abort', abort, { once: true });
  try {
    return await runSpanned(loaded, { ...options, signal: scope.signal });
  } finally {
    outer.removeEventListener('abort', abort);
  }
}

/** A traced run gets its scenario span (a fault matrix cell is not a scenario of the run). */
function runSpanned(loaded: LoadedScenario, options: RunOptions): Promise<ScenarioResult> {
  return options.trace && !options.matrixCell ? runTraced(loaded, options, options.trace) : runScoped(loaded, options);
}

/** The scenario's span under the run's: its verdict, why it failed, what replay refused and what its faults did. */
async function runTraced(loaded: LoadedScenario, options: RunOptions, parent: TraceSpan): Promise<ScenarioResult> {
  const { scenario } = loaded;
  const span = parent.child(`scenario ${scenario.id}`, {
    attributes: {
      'helpdesk.scenario.id': scenario.id,
      'helpdesk.scenario.file': loaded.file,
      'helpdesk.trial': options.trial,
      'helpdesk.run.mode': options.mode,
      'helpdesk.latency_recheck': options.latencyRecheck,
    },
  });
  try {
    const result = await runScoped(loaded, { ...options, trace: span });
    span.set({
      'helpdesk.scenario.pass': result.pass,
      'helpdesk.scenario.score': result.score ?? undefined,
      'helpdesk.scenario.failed_checks': result.failures.length > 0 ? result.failures.map((f) => f.name) : undefined,
    });
    for (const failure of result.replay)
      span.event('replay_failure', { 'helpdesk.replay.code': failure.code, 'helpdesk.replay.reason': failure.reason });
    for (const injection of result.faults?.injections ?? []) {
      span.event('fault_injected', {
        'helpdesk.fault.kind': injection.kind,
        'helpdesk.server': injection.server,
        'gen_ai.tool.name': injection.tool,
        'helpdesk.fault.call': injection.call,
      });
    }
    if (!result.pass) {
      const reason = result.error ?? result.replay[0]?.reason ?? result.failures.map((f) => `[${f.name}] ${f.reason}`).join('; ');
      span.fail(result.error ? 'infrastructure' : result.replay.length > 0 ? 'replay_failed' : 'scenario_failed', reason);
    }
    return { ...result, traceId: span.traceId };
  } catch (error) {
    span.fail((error as Error)?.name ?? 'Error', (error as Error)?.message);
    throw error;
  } finally {
    span.end();
  }
}

async function runScoped(loaded: LoadedScenario, options: RunOptions): Promise<ScenarioResult> {
  const started = performance.now();
  const plan = runPlan(options);
  const execution = await executeScenario(loaded, options);
  let result: ScenarioResult;
  if (execution.kind === 'ran') {
    result = await graded(loaded, plan, execution, started);
  } else {
    result = failedResult(loaded, plan.mode, execution.error, performance.now() - started, execution.replay ?? []);
    // A rebase counts a run that could not start its model as refused (a contract break, no cassette, other faults), with the reason.
    if (plan.rebase && execution.kind === 'model') {
      result = {
        ...result,
        rebase: execution.replay?.length
          ? settleRebase(execution.replay, [], false, undefined)
          : { outcome: 'refused', reasons: [execution.error] },
      };
    }
  }
  return execution.faults ? withFaults(loaded, result, execution.faults) : result;
}

/** A faulted run's result with what its faults did, and their checks graded. */
function withFaults(loaded: LoadedScenario, result: ScenarioResult, faults: FaultReport): ScenarioResult {
  if (!result.run) return { ...result, faults };
  const checks = [...result.checks, ...faultChecks(faults)];
  const failures = checks.filter((c) => !c.pass);
  const score = scenarioScore(checks, loaded.scenario.expect.weights);
  const pass = result.rebase
    ? result.pass
    : result.replay.length === 0 && checksPass(checks, score, loaded.scenario.expect.score_threshold);
  return { ...result, faults, checks, failures, score, pass };
}

/** Grades a run that ran, writes its cassette as its plan says, and settles a rebase. */
async function graded(loaded: LoadedScenario, plan: RunPlan, ran: Ran, started: number): Promise<ScenarioResult> {
  const { scenario } = loaded;
  const { run, replay, cassette } = ran;
  if (cassette && plan.cassette === 'write') writeCassette(ran.cassettePath, cassette);
  const checks = await gradeRun(loaded, run);
  const failures = checks.filter((c) => !c.pass);
  const score = scenarioScore(checks, scenario.expect.weights);
  if (plan.rebase) {
    // Latency is this machine's, not the recording's: it does not decide whether a cassette is rebased.
    const graded = checks.filter((c) => !c.name.startsWith('latency:'));
    const rebase = settleRebase(
      replay,
      graded.filter((c) => !c.pass),
      checksPass(graded, scenarioScore(graded, scenario.expect.weights), scenario.expect.score_threshold),
      cassette,
    );
    if (rebase.outcome === 'rebased' && cassette) writeCassette(ran.cassettePath, cassette);
    return {
      id: scenario.id,
      file: loaded.file,
      mode: plan.mode,
      pass: rebase.outcome !== 'refused',
      checks,
      failures,
      score,
      replay: rebase.outcome === 'refused' ? replay : [],
      error: undefined,
      run,
      durationMs: performance.now() - started,
      rebase,
      staleResponses: rebase.outcome === 'rebased' ? cassette?.stale_responses : ran.stale,
    };
  }
  return {
    id: scenario.id,
    file: loaded.file,
    mode: plan.mode,
    pass: replay.length === 0 && checksPass(checks, score, scenario.expect.score_threshold),
    checks,
    failures,
    score,
    replay,
    error: undefined,
    run,
    durationMs: performance.now() - started,
    ...(plan.cassette === 'return' && cassette ? { cassette } : {}),
    ...(ran.stale?.length ? { staleResponses: ran.stale } : {}),
  };
}

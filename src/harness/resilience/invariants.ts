import { STOP_REASONS } from '../../orchestrator/transcript.ts';
import type { ScenarioResult } from '../results/scenario-result.ts';
import type { FaultCheck } from '../faults/checks.ts';
import type { FaultKind } from '../faults/fault.ts';

/** The call a matrix cell faults, and what the cell may cost. */
export interface CellTarget {
  readonly kind: FaultKind;
  /** The tool's public name (as the model calls it) and its server. */
  readonly tool: string;
  readonly server: string;
  /** How long the run may take: the unfaulted run's time, plus the fault's worst cost, plus slack. */
  readonly budgetMs: number;
}

/** Envelopes that say a server failed (not that the data said no): other servers must never give one. */
const INFRASTRUCTURE =
  /^Server .+ (?:is unavailable|stopped during the call to .+)$|^Tool .+ timed out$|^Error calling tool |^Result of .+ is too large$/;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The run ended, within its budget (start-up aside), with an answer or a documented stop reason — never an exception. */
function ended({ run, error, durationMs }: ScenarioResult, target: CellTarget): FaultCheck {
  const name = 'resilience:ended';
  if (error) return { name, pass: false, reason: `the run did not complete: ${error}` };
  if (!run || run.crash) return { name, pass: false, reason: `the fault escaped as an exception: ${run?.crash ?? 'no run'}` };
  const last = run.transcripts.at(-1);
  if (!last) return { name, pass: false, reason: 'the run produced no transcript' };
  if (!STOP_REASONS.includes(last.stop_reason)) return { name, pass: false, reason: `undocumented stop reason "${last.stop_reason}"` };
  if (last.stop_reason === 'final_answer' && !last.answer?.trim()) return { name, pass: false, reason: 'ended with an empty answer' };
  // The fresh servers' start-up is the harness's cost, not the run's: the budget leaves it out.
  const ran = durationMs - run.startupMs;
  const within = ran <= target.budgetMs;
  return {
    name,
    pass: within,
    reason: `ended with ${last.stop_reason} after ${seconds(ran)} (budget ${seconds(target.budgetMs)})${within ? '' : ': over budget'}`,
  };
}

/** The faulted call reached the model as an envelope (a slow one as its late result). */
function reachedModel({ run, faults }: ScenarioResult, target: CellTarget): FaultCheck {
  const name = 'resilience:envelope';
  const hit = faults?.injections[0];
  if (!run || !hit) return { name, pass: false, reason: `the fault never hit a call of ${target.tool}` };
  const call = run.calls.find((c) => c.name === target.tool);
  if (!call) return { name, pass: false, reason: `no result of ${target.tool} reached the model` };
  if (target.kind === 'slow') {
    return call.envelope && INFRASTRUCTURE.test(call.envelope.error)
      ? { name, pass: false, reason: `the slow answer became "${call.envelope.error}" although it came within the timeout` }
      : { name, pass: true, reason: `the late answer of ${target.tool} reached the model after ${Math.round(call.durationMs)} ms` };
  }
  if (!call.envelope) return { name, pass: false, reason: `the model got ${target.tool}'s result as if nothing failed` };
  return { name, pass: true, reason: `the model got "${call.envelope.error}"${call.envelope.retryable ? ' (retryable)' : ''}` };
}

/** Every other server answered every call, and is still up. */
function othersAnswered({ run, faults }: ScenarioResult, target: CellTarget): FaultCheck {
  const name = 'resilience:others';
  const others = (run?.calls ?? []).filter((c) => c.server !== null && c.server !== target.server);
  const failed = others.filter((c) => c.envelope && INFRASTRUCTURE.test(c.envelope.error));
  const down = (faults?.servers ?? []).filter((s) => s.name !== target.server && s.state !== 'ready');
  if (failed.length > 0 || down.length > 0) {
    const parts = [
      ...failed.map((c) => `${c.name} on ${c.server} got "${c.envelope?.error}"`),
      ...down.map((s) => `server ${s.name} is ${s.state}`),
    ];
    return { name, pass: false, reason: parts.join('; ') };
  }
  const servers = [...new Set(others.map((c) => c.server))];
  return {
    name,
    pass: true,
    reason:
      others.length === 0
        ? 'no other server was called; all stayed up'
        : `${others.length} call(s) to ${servers.join(', ')} answered; all servers up`,
  };
}

/**
 * The invariants any agent and orchestrator must keep under a fault: the run ends in budget
 * with an answer or a documented stop reason, the faulted call reaches the model as an
 * envelope, the other servers keep answering, and no process is left behind.
 */
export function cellInvariants(result: ScenarioResult, target: CellTarget): FaultCheck[] {
  const leftover = result.faults?.leftover ?? [];
  return [
    ended(result, target),
    reachedModel(result, target),
    othersAnswered(result, target),
    {
      name: 'resilience:processes',
      pass: result.faults !== undefined && leftover.length === 0,
      reason: !result.faults
        ? 'the faulted servers were not closed by the run'
        : leftover.length === 0
          ? 'no process left behind'
          : `process(es) ${leftover.join(', ')} still running`,
    },
  ];
}

import type { RunRecord } from './records.ts';

/** Run-level gates from the command line. */
export interface GateOptions {
  /**
   * The share of passing trials the run needs. Given, it decides instead of the rule that every
   * scenario meets its own gate, which is then reported for information only.
   */
  readonly minPassRate?: number | undefined;
  readonly maxFlaky?: number | undefined;
}

/** One gate of a run. `pass` says whether it lets the run pass: an informational gate always does. */
export type Gate = RunRecord['gates'][number];

/** The every-scenario gate; informational when a minimum pass rate decides instead. */
function scenariosGate(record: RunRecord, informational: boolean): Gate {
  const failing = record.scenarios.filter((s) => !s.summary.pass).map((s) => s.id);
  const reason =
    failing.length === 0
      ? `all ${record.scenarios.length} scenarios meet their gate`
      : `${failing.length} scenario(s) below their gate: ${failing.join(', ')}`;
  if (!informational) return { name: 'scenarios', pass: failing.length === 0, reason };
  return { name: 'scenarios', pass: true, informational: true, reason: `${reason} (informational: --min-pass-rate decides)` };
}

/**
 * The gates of a run: each scenario must meet its own (every trial passes, or pass^k ≥ its
 * min_pass_k) — unless a minimum pass rate is given, which then decides in its place ("the run
 * passes when at least 80 % of the cases pass") — plus the optional maximum number of flaky
 * scenarios, and a complete run and a clean fault matrix when those apply.
 */
export function evaluateGates(record: RunRecord, options: GateOptions): Gate[] {
  const gates: Gate[] = [scenariosGate(record, options.minPassRate !== undefined)];
  if (options.minPassRate !== undefined) {
    const rate = record.totals.pass_rate ?? 0;
    gates.push({
      name: 'min_pass_rate',
      pass: rate >= options.minPassRate,
      reason: `pass rate ${(rate * 100).toFixed(1)}% (minimum ${(options.minPassRate * 100).toFixed(1)}%)`,
    });
  }
  if (options.maxFlaky !== undefined) {
    gates.push({
      name: 'max_flaky',
      pass: record.totals.flaky <= options.maxFlaky,
      reason: `${record.totals.flaky} flaky scenario(s) (maximum ${options.maxFlaky})`,
    });
  }
  if (record.partial) {
    gates.push({
      name: 'complete',
      pass: false,
      reason: `interrupted: ${record.partial.ran} of ${record.partial.selected} scenarios ran to their end; the others are not in this report`,
    });
  }
  if (record.resilience) {
    const failed = record.resilience.cells.filter((c) => !c.pass);
    gates.push({
      name: 'resilience',
      pass: failed.length === 0,
      reason:
        failed.length === 0
          ? `all ${record.resilience.cells.length} faulted runs kept every invariant`
          : `${failed.length} of ${record.resilience.cells.length} faulted runs broke an invariant: ${failed
              .slice(0, 5)
              .map((c) => `${c.scenario} × ${c.tool} × ${c.kind}`)
              .join(', ')}${failed.length > 5 ? ', …' : ''}`,
    });
  }
  return gates;
}

/** Whether a run passed: its gates when they were evaluated, else every scenario. */
export function runPassed(record: Pick<RunRecord, 'totals' | 'gates'>): boolean {
  return record.gates.length > 0 ? record.gates.every((g) => g.pass) : record.totals.failed === 0;
}

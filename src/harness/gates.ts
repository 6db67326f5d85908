import type { Check } from './grading/matchers.ts';
import type { RunRecord } from './results.ts';

/** Run-level gates from the command line. */
export interface GateOptions {
  readonly minPassRate?: number | undefined;
  readonly maxFlaky?: number | undefined;
}

/**
 * The gates of a run: each scenario must meet its own (every trial passes, or pass^k ≥ its
 * min_pass_k), plus the optional run-level minimum pass rate and maximum number of flaky scenarios.
 */
export function evaluateGates(record: RunRecord, options: GateOptions): (Check & { name: string })[] {
  const failing = record.scenarios.filter((s) => !s.summary.pass).map((s) => s.id);
  const gates = [{
    name: 'scenarios',
    pass: failing.length === 0,
    reason: failing.length === 0 ? `all ${record.scenarios.length} scenarios meet their gate` : `${failing.length} scenario(s) below their gate: ${failing.join(', ')}`,
  }];
  if (options.minPassRate !== undefined) {
    const rate = record.totals.pass_rate ?? 0;
    gates.push({ name: 'min_pass_rate', pass: rate >= options.minPassRate, reason: `pass rate ${(rate * 100).toFixed(1)}% (minimum ${(options.minPassRate * 100).toFixed(1)}%)` });
  }
  if (options.maxFlaky !== undefined) {
    gates.push({ name: 'max_flaky', pass: record.totals.flaky <= options.maxFlaky, reason: `${record.totals.flaky} flaky scenario(s) (maximum ${options.maxFlaky})` });
  }
  if (record.partial) {
    gates.push({ name: 'complete', pass: false, reason: `interrupted: ${record.partial.ran} of ${record.partial.selected} scenarios ran to their end; the others are not in this report` });
  }
  if (record.resilience) {
    const failed = record.resilience.cells.filter((c) => !c.pass);
    gates.push({
      name: 'resilience',
      pass: failed.length === 0,
      reason: failed.length === 0
        ? `all ${record.resilience.cells.length} faulted runs kept every invariant`
        : `${failed.length} of ${record.resilience.cells.length} faulted runs broke an invariant: ${failed.slice(0, 5).map((c) => `${c.scenario} × ${c.tool} × ${c.kind}`).join(', ')}${failed.length > 5 ? ', …' : ''}`,
    });
  }
  return gates;
}

import { ConfigError } from '../../orchestrator/errors.ts';
import { FAULT_KINDS, type FaultKind } from '../../harness/faults/fault.ts';
import { runFaultMatrix } from '../../harness/resilience/matrix.ts';
import type { ResilienceRecord } from '../../harness/results/resilience-record.ts';
import { writesCassettes, type RunMode } from '../../harness/run/run.ts';
import type { RunOptions } from '../../harness/run/execute.ts';
import type { ScenarioTrials } from '../../harness/results/scenario-result.ts';

/** The fault kinds of --fault-matrix (all unless --fault-kinds narrows them); undefined without the flag. */
export function matrixKinds(
  enabled: boolean, list: string | undefined, run: { readonly mode: RunMode; readonly trials: number },
): FaultKind[] | undefined {
  if (!enabled) {
    if (list !== undefined) throw new ConfigError('--fault-kinds needs --fault-matrix');
    return undefined;
  }
  if (writesCassettes(run.mode)) throw new ConfigError('--fault-matrix runs in replay mode (the default) or with --live; it never writes cassettes');
  if (run.trials > 1) throw new ConfigError('--fault-matrix cannot be combined with --trials');
  if (list === undefined) return [...FAULT_KINDS];
  const kinds = list.split(',').map((k) => k.trim()).filter(Boolean);
  const unknown = kinds.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0 || kinds.length === 0) {
    throw new ConfigError(`--fault-kinds: unknown kind(s) ${unknown.map((k) => `"${k}"`).join(', ') || '(none given)'}; the kinds are ${FAULT_KINDS.join(', ')}`);
  }
  return [...new Set(kinds)] as FaultKind[];
}

/** Runs the fault matrix over the suite's unfaulted results, with progress on stderr. */
export async function runMatrix(
  runs: readonly ScenarioTrials[], options: RunOptions, kinds: readonly FaultKind[], concurrency: number, tty: boolean,
): Promise<ResilienceRecord> {
  const baselines = runs.flatMap(({ loaded, results }) => (results[0] ? [{ loaded, result: results[0] }] : []));
  const matrix = await runFaultMatrix(baselines, options, {
    concurrency, kinds,
    onCell: (cell, done, total) => {
      const line = `[fault ${done}/${total}] ${cell.pass ? 'pass' : 'FAIL'} ${cell.scenario} × ${cell.tool} × ${cell.kind} (${(cell.duration_ms / 1000).toFixed(2)} s)`;
      process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
    },
  });
  if (tty) process.stderr.write('\n');
  return matrix;
}

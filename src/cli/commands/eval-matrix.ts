import { ConfigError } from '../../orchestrator/errors.ts';
import { FAULT_KINDS, type FaultKind } from '../../harness/faults/fault.ts';
import { writesCassettes, type RunMode } from '../../harness/run/scenario-run.ts';

/** The fault kinds of --fault-matrix (all unless --fault-kinds narrows them); undefined without the flag. */
export function matrixKinds(
  enabled: boolean,
  list: string | undefined,
  run: { readonly mode: RunMode; readonly trials: number },
): FaultKind[] | undefined {
  if (!enabled) {
    if (list !== undefined) throw new ConfigError('--fault-kinds needs --fault-matrix');
    return undefined;
  }
  if (writesCassettes(run.mode))
    throw new ConfigError('--fault-matrix runs in replay mode (the default) or with --live; it never writes cassettes');
  if (run.trials > 1) throw new ConfigError('--fault-matrix cannot be combined with --trials');
  if (list === undefined) return [...FAULT_KINDS];
  const kinds = list
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  const unknown = kinds.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0 || kinds.length === 0) {
    throw new ConfigError(
      `--fault-kinds: unknown kind(s) ${unknown.map((k) => `"${k}"`).join(', ') || '(none given)'}; the kinds are ${FAULT_KINDS.join(', ')}`,
    );
  }
  return [...new Set(kinds)] as FaultKind[];
}

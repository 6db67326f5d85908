/** A replay failure as a trial record keeps it (only the fields grouping reads). */
interface RecordedFailure {
  readonly code: string;
  readonly kind?: string | undefined;
  readonly change?: string | undefined;
  readonly risk?: string | undefined;
  readonly diff?: string | undefined;
}

/** One change and every scenario it touches: the run reports each change once, by its name. */
export interface DriftGroup {
  readonly kind: string;
  readonly change: string;
  readonly risk: string;
  /** The evidence as the first scenario showed it (a word diff, recorded vs now at its exact path, the refused call). */
  readonly detail: string;
  readonly scenarios: string[];
}

/**
 * Groups the classified replay failures of a run by change (kind and name), in the
 * order first seen; contract breaks first, as they are real breaks, then data, prompt, added tools.
 */
export function groupDrifts(scenarios: readonly { id: string; trials: readonly { replay: readonly RecordedFailure[] }[] }[]): DriftGroup[] {
  const groups = new Map<string, DriftGroup>();
  for (const scenario of scenarios) {
    for (const failure of scenario.trials.flatMap((t) => t.replay)) {
      if (!failure.kind || !failure.change) continue;
      // A prompt change is named by where it is (the system prompt), so its word diff tells changes apart.
      const key = `${failure.kind}\u0000${failure.change}\u0000${failure.kind === 'prompt' ? (failure.diff ?? '') : ''}`;
      const group = groups.get(key) ?? {
        kind: failure.kind,
        change: failure.change,
        risk: failure.risk ?? '',
        detail: failure.diff ?? '',
        scenarios: [],
      };
      if (!group.scenarios.includes(scenario.id)) group.scenarios.push(scenario.id);
      groups.set(key, group);
    }
  }
  const order = ['contract', 'data', 'prompt', 'tools_added'];
  return [...groups.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

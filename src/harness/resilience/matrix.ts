import { BUILTIN_SERVER_NAMES } from '../../orchestrator/builtin-servers.ts';
import { COLLISION_SEPARATOR } from '../../orchestrator/constants.ts';
import { mapLimited } from '../run/concurrency.ts';
import { type RunOptions } from '../run/execute.ts';
import { runScenario } from '../suite/run-scenario.ts';
import type { ScenarioResult, ScenarioTrials } from '../results/scenario-result.ts';
import type { LoadedScenario } from '../scenario/scenario.ts';
import { FAULT_KINDS, type Fault, type FaultKind } from '../faults/fault.ts';
import type { FaultCheck } from '../faults/checks.ts';
import { cellInvariants, type CellTarget } from './invariants.ts';
import type { ResilienceRecord } from '../results/resilience-record.ts';

/** The tool timeout of a matrix cell (a hang costs this much), unless the scenario sets a lower one. */
export const MATRIX_TOOL_TIMEOUT_MS = 3_000;
/** How late a slow fault answers in the matrix: well inside the timeout, so the answer must arrive. */
export const MATRIX_SLOW_MS = 500;
/** Room in a cell's budget for restarts and a loaded machine. */
export const MATRIX_SLACK_MS = 5_000;
/** A cell still running this long after its budget is cancelled (stop reason aborted, over budget). */
export const MATRIX_DEADLINE_GRACE_MS = 30_000;

/** One run of a scenario with one fault on its first call of one tool, graded. */
export type MatrixCell = ResilienceRecord['cells'][number];

/** A scenario's unfaulted run: it says which tools the scenario calls and how long it takes. */
export interface MatrixBaseline {
  readonly loaded: LoadedScenario;
  readonly result: ScenarioResult;
}

interface PlannedCell {
  readonly loaded: LoadedScenario;
  readonly target: CellTarget;
}

/** The tool's name on its own server (a public name may carry the server as a prefix after a collision). */
function serverToolName(tool: string, server: string): string {
  const prefix = `${server}${COLLISION_SEPARATOR}`;
  return tool.startsWith(prefix) ? tool.slice(prefix.length) : tool;
}

/**
 * The cell's scenario: the same turns, one fault on the first call of the tool, a short timeout.
 * With `called` (replay, where the tools offered do not steer the recorded decisions) only the
 * built-in servers the scenario called start: a cell starts fresh servers, and fewer is faster.
 */
function faulted(loaded: LoadedScenario, kind: FaultKind, tool: string, server: string, called?: ReadonlySet<string>): LoadedScenario {
  const fault: Fault = {
    kind,
    server,
    tool: serverToolName(tool, server),
    call: 1,
    ...(kind === 'slow' ? { delay_ms: MATRIX_SLOW_MS } : {}),
  };
  const timeout = Math.min(loaded.scenario.tool_timeout_ms ?? MATRIX_TOOL_TIMEOUT_MS, MATRIX_TOOL_TIMEOUT_MS);
  const idle = called ? BUILTIN_SERVER_NAMES.filter((name) => !called.has(name) && !loaded.scenario.servers?.[name]) : [];
  const servers =
    idle.length === 0
      ? loaded.scenario.servers
      : {
          ...loaded.scenario.servers,
          ...Object.fromEntries(idle.map((name) => [name, { command: 'node', args: [], env: {}, disabled: true }])),
        };
  return { ...loaded, scenario: { ...loaded.scenario, faults: [fault], tool_timeout_ms: timeout, ...(servers ? { servers } : {}) } };
}

/** The cells of the matrix (scenario × tool it calls × kind), and the scenarios that cannot take part. */
export function planMatrix(
  baselines: readonly MatrixBaseline[],
  kinds: readonly FaultKind[] = FAULT_KINDS,
  trimServers = false,
): { cells: PlannedCell[]; skipped: ResilienceRecord['skipped'] } {
  const cells: PlannedCell[] = [];
  const skipped: { scenario: string; reason: string }[] = [];
  for (const { loaded, result } of baselines) {
    const id = loaded.scenario.id;
    if (loaded.scenario.faults?.length) {
      skipped.push({ scenario: id, reason: 'injects faults of its own' });
      continue;
    }
    if (result.error) {
      skipped.push({ scenario: id, reason: `did not run unfaulted: ${result.error}` });
      continue;
    }
    const tools = new Map<string, string>();
    for (const call of result.run?.calls ?? []) if (call.server !== null && !tools.has(call.name)) tools.set(call.name, call.server);
    if (tools.size === 0) {
      skipped.push({ scenario: id, reason: 'calls no tool' });
      continue;
    }
    const called = trimServers ? new Set(tools.values()) : undefined;
    for (const [tool, server] of tools) {
      for (const kind of kinds) {
        const cell = faulted(loaded, kind, tool, server, called);
        const budgetMs = result.durationMs + (cell.scenario.tool_timeout_ms ?? MATRIX_TOOL_TIMEOUT_MS) + MATRIX_SLACK_MS;
        cells.push({ loaded: cell, target: { kind, tool, server, budgetMs } });
      }
    }
  }
  return { cells, skipped };
}

/**
 * One cell, graded. Its queries are cancelled `grace` after the budget; a run that does not end
 * even then (an orchestrator that ignores cancellation) is given up on and fails, so one stuck
 * cell cannot stall the matrix — its fresh servers are stopped when the pools close.
 */
async function runCell(loaded: LoadedScenario, target: CellTarget, options: RunOptions, grace: number): Promise<FaultCheck[]> {
  const limit = Math.ceil(target.budgetMs + grace);
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<FaultCheck[]>((resolve) => {
    timer = setTimeout(
      () =>
        resolve([
          {
            name: 'resilience:ended',
            pass: false,
            reason: `the run did not end ${(limit / 1000).toFixed(1)} s after it started, even when cancelled (budget ${(target.budgetMs / 1000).toFixed(1)} s)`,
          },
        ]),
      limit + grace,
    );
  });
  const run = runScenario(loaded, { ...options, matrixCell: true, deferCassette: true, signal: AbortSignal.timeout(limit) }).then(
    (result) => cellInvariants(result, target),
    (error: unknown) => [
      { name: 'resilience:ended', pass: false, reason: `the harness failed: ${error instanceof Error ? error.message : String(error)}` },
    ],
  );
  try {
    return await Promise.race([run, stuck]);
  } finally {
    clearTimeout(timer);
  }
}

/** The baselines of the fault matrix: each scenario's unfaulted first trial, as the suite kept it. */
export function matrixBaselines(runs: readonly ScenarioTrials[]): MatrixBaseline[] {
  return runs.flatMap(({ loaded, results }) => (results[0] ? [{ loaded, result: results[0] }] : []));
}

/**
 * Runs each selected scenario once per (tool it called unfaulted × fault kind), on fresh servers,
 * and grades the invariants any agent must keep. Offline, the recorded decisions are replayed in
 * order whatever the faulted results say; live, the model meets the fault for real. Nothing is
 * recorded and no judge is asked.
 */
export async function runFaultMatrix(
  baselines: readonly MatrixBaseline[],
  options: RunOptions,
  settings: {
    readonly concurrency: number;
    readonly kinds?: readonly FaultKind[];
    readonly onCell?: (cell: MatrixCell, done: number, total: number) => void;
    /** How long after its budget a cell is cancelled (and as long again, given up on). */
    readonly deadlineGraceMs?: number;
  },
): Promise<ResilienceRecord> {
  const kinds = settings.kinds ?? FAULT_KINDS;
  const { cells, skipped } = planMatrix(baselines, kinds, options.mode === 'replay');
  let done = 0;
  const grace = settings.deadlineGraceMs ?? MATRIX_DEADLINE_GRACE_MS;
  const results = await mapLimited(cells, settings.concurrency, async ({ loaded, target }) => {
    const started = performance.now();
    const checks = await runCell(loaded, target, options, grace);
    const durationMs = performance.now() - started;
    const cell: MatrixCell = {
      scenario: loaded.scenario.id,
      tool: target.tool,
      server: target.server,
      kind: target.kind,
      pass: checks.every((c) => c.pass),
      duration_ms: Math.round(durationMs),
      budget_ms: Math.round(target.budgetMs),
      checks: [...checks],
    };
    done += 1;
    settings.onCell?.(cell, done, cells.length);
    return cell;
  });
  return { kinds: [...kinds], cells: results.filter((cell) => cell !== undefined), skipped };
}

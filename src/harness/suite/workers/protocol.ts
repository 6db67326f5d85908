import type { ServersConfig } from '../../../orchestrator/config.ts';
import type { RunSettings } from '../../run/execute.ts';
import type { Prices } from '../../results/prices.ts';
import type { ScenarioRecord } from '../../results/records.ts';
import type { ScenarioResult } from '../../results/scenario-result.ts';

/** Everything a worker needs to run scenarios the way the main thread would: plain data only. */
export interface WorkerSetup extends RunSettings {
  /** The project root: the built-in servers, and scenario files shown relative to it. */
  readonly root: string;
  /** The folder scenario files were loaded relative to (their `file` as the main thread has it). */
  readonly cwd: string;
  readonly serverEnv: Readonly<Record<string, string>>;
  /** The project's servers (undefined: the built-ins of root). */
  readonly servers: ServersConfig | undefined;
  readonly headerEnv: Readonly<Record<string, string | undefined>>;
  /** The fault matrix follows: send back each result without transcripts. */
  readonly matrix: boolean;
  readonly k: number;
  /** The prices of the cost estimates (undefined: the built-in table). */
  readonly prices: Prices | undefined;
  /** Traced runs: the run's span, which this thread's scenario spans go under. */
  readonly traceparent?: string | undefined;
  /** Scenarios this worker runs at once. */
  readonly concurrency: number;
  /** The selected scenarios, by index: the file to load and the case's ID. */
  readonly jobs: readonly { readonly file: string; readonly id: string }[];
  /** One job per server pool the suite needs: the worker starts those pools before it runs anything. */
  readonly prepare: readonly number[];
  /** One Int32: the index of the next job, shared by every worker (Atomics.add hands out each once). */
  readonly next: SharedArrayBuffer;
  /**
   * Test seam for proving a lost thread costs only its own scenario: the thread exits (code 7) when
   * it starts the scenario with this ID. Never set in normal runs.
   */
  readonly exitOnScenario?: string | undefined;
}

/** From the main thread to a worker. */
export type ToWorker =
  /** Start the pools (one worker at a time, so no start-up figure is taken under another's load). */
  | { readonly type: 'prepare' }
  /** Every worker's pools are up: take jobs. */
  | { readonly type: 'start' }
  | { readonly type: 'abort' }
  /** Run the latency-only failures kept so far again, one at a time; the others are idle. */
  | { readonly type: 'confirm' }
  | { readonly type: 'close' };

/** From a worker to the main thread. */
export type FromWorker =
  | { readonly type: 'started'; readonly index: number }
  | { readonly type: 'progress'; readonly index: number; readonly pass: boolean; readonly durationMs: number }
  /** A finished scenario: its journal line, its thin record, and (fault matrix) its results without transcripts. */
  | {
      readonly type: 'record';
      readonly index: number;
      readonly line: string;
      readonly thin: ScenarioRecord;
      readonly matrix?: ScenarioResult[];
    }
  /** A job cut short by the interruption: not reported, not lost. */
  | { readonly type: 'dropped'; readonly index: number }
  /** A job whose scenario could not be loaded again in the worker: it fails with the reason. */
  | { readonly type: 'lost'; readonly index: number; readonly reason: string }
  | { readonly type: 'confirmed'; readonly index: number; readonly pass: boolean }
  /** The process IDs of the servers this worker has running (the main thread's exit hook kills their groups). */
  | { readonly type: 'pids'; readonly pids: readonly number[] }
  /** This worker's pools are up. */
  | { readonly type: 'ready' }
  /** No job is left for this worker (or it was aborted). */
  | { readonly type: 'idle' }
  | { readonly type: 'confirm-done' }
  | { readonly type: 'closed' };

import { Worker } from 'node:worker_threads';
import { killProcessGroup } from '../../../orchestrator/process-transport.ts';
import type { ScenarioRecord } from '../../results/records.ts';
import type { ScenarioResult } from '../../results/scenario-result.ts';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol.ts';

/** What the main thread hears of the workers' scenarios. */
export interface WorkerEvents {
  /** A scenario ran (before any quiet re-run): for the progress line. */
  onProgress(index: number, pass: boolean, durationMs: number): void;
  /** A scenario is settled: its journal line, thin record and (fault matrix) slim results. */
  onRecord(index: number, line: string, thin: ScenarioRecord, matrix: ScenarioResult[] | undefined): void;
  /** A scenario could not run to a record (its file broke, its worker died): it fails with this reason. */
  onLost(index: number, reason: string): void;
  /** A latency-only failure was run again alone. */
  onConfirmed(index: number, pass: boolean): void;
}

/** How long a worker may take to stop its servers before it is terminated. */
const CLOSE_TIMEOUT_MS = 15_000;
/** The worker's file beside this one: TypeScript in the source tree, JavaScript once built (dist/). */
const WORKER_FILE = import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js';

/** One worker thread and what the main thread knows of it. */
class EvalWorker {
  readonly thread: Worker;
  /** Jobs started and not settled: lost if the worker dies. */
  readonly open = new Set<number>();
  pids: readonly number[] = [];
  dead = false;
  #waiting = new Map<FromWorker['type'], () => void>();

  constructor(setup: WorkerSetup, events: WorkerEvents) {
    this.thread = new Worker(new URL(WORKER_FILE, import.meta.url), { workerData: setup });
    this.thread.on('message', (message: FromWorker) => this.#receive(message, events));
    const die = (reason: string) => {
      if (this.dead) return;
      this.dead = true;
      for (const index of this.open) events.onLost(index, `the worker thread running it stopped: ${reason}`);
      this.open.clear();
      // A worker gone without closing its pools leaves their servers to this thread.
      for (const pid of this.pids) killProcessGroup(pid);
      this.pids = [];
      for (const wake of this.#waiting.values()) wake();
      this.#waiting.clear();
    };
    this.thread.on('error', (error: Error) => die(error.message));
    this.thread.on('exit', (code) => die(`exit code ${code}`));
  }

  send(message: ToWorker): void {
    if (!this.dead) this.thread.postMessage(message);
  }

  /** Resolves when the worker sends a message of this type, or dies. */
  until(type: 'ready' | 'idle' | 'confirm-done' | 'closed'): Promise<void> {
    if (this.dead) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.set(type, resolve));
  }

  #receive(message: FromWorker, events: WorkerEvents): void {
    switch (message.type) {
      case 'started':
        this.open.add(message.index);
        break;
      case 'progress':
        events.onProgress(message.index, message.pass, message.durationMs);
        break;
      case 'record':
        this.open.delete(message.index);
        events.onRecord(message.index, message.line, message.thin, message.matrix);
        break;
      case 'dropped':
        this.open.delete(message.index);
        break;
      case 'lost':
        this.open.delete(message.index);
        events.onLost(message.index, message.reason);
        break;
      case 'confirmed':
        events.onConfirmed(message.index, message.pass);
        break;
      case 'pids':
        this.pids = message.pids;
        break;
      case 'closed':
        this.pids = [];
        this.#wake('closed');
        break;
      default:
        this.#wake(message.type);
    }
  }

  #wake(type: FromWorker['type']): void {
    const wake = this.#waiting.get(type);
    this.#waiting.delete(type);
    wake?.();
  }
}

/** Jobs per worker: `concurrency` spread as evenly as it goes, at least one each. */
function shares(concurrency: number, workers: number): number[] {
  return Array.from({ length: workers }, (_, i) => Math.max(1, Math.floor(concurrency / workers) + (i < concurrency % workers ? 1 : 0)));
}

/**
 * Runs the jobs of `setup` across `workers` threads, `concurrency` scenarios at a time in all.
 * Each worker sets up its own server pools and replay hub once (one worker after another, so no
 * start-up figure is taken under load) and takes jobs from a shared counter until none is left; latency-only failures are then re-run one worker at a time, so
 * each quiet run is alone. Interrupted (`signal`), no further job starts and the ones in flight
 * end as cancelled. A worker that dies loses only the scenarios it was running; the others go on.
 * Every worker's servers are stopped before this returns, and killed if the process exits first.
 */
export async function runInWorkers(
  setup: Omit<WorkerSetup, 'next' | 'concurrency'>,
  workers: number,
  concurrency: number,
  events: WorkerEvents,
  signal?: AbortSignal,
): Promise<void> {
  const next = new SharedArrayBuffer(4);
  const pool = shares(concurrency, workers).map((share) => new EvalWorker({ ...setup, next, concurrency: share }, events));
  const killServers = () => {
    for (const worker of pool) for (const pid of worker.pids) killProcessGroup(pid);
  };
  process.once('exit', killServers);
  const abort = () => {
    for (const worker of pool) worker.send({ type: 'abort' });
  };
  signal?.addEventListener('abort', abort, { once: true });
  try {
    for (const worker of pool) {
      if (signal?.aborted) break;
      worker.send({ type: 'prepare' });
      await worker.until('ready');
    }
    for (const worker of pool) worker.send({ type: 'start' });
    await Promise.all(pool.map((worker) => worker.until('idle')));
    if (!signal?.aborted) {
      for (const worker of pool) {
        worker.send({ type: 'confirm' });
        await worker.until('confirm-done');
      }
      // Jobs no worker took because every one of them died.
      const taken = Math.min(Atomics.load(new Int32Array(next), 0), setup.jobs.length);
      for (let index = taken; index < setup.jobs.length; index += 1) events.onLost(index, 'not run: every worker thread stopped');
    }
  } finally {
    signal?.removeEventListener('abort', abort);
    await Promise.all(
      pool.map(async (worker) => {
        worker.send({ type: 'close' });
        const timer = setTimeout(() => void worker.thread.terminate(), CLOSE_TIMEOUT_MS);
        await worker.until('closed');
        clearTimeout(timer);
        await worker.thread.terminate();
      }),
    );
    process.off('exit', killServers);
  }
}

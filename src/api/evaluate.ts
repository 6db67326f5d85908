import { mkdtempSync, rmSync } from 'node:fs';
import { startTracing } from '../shared/tracing.ts';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { evaluateGates, runPassed, type GateOptions } from '../harness/results/gates.ts';
import { writeReports } from '../harness/reporters/write.ts';
import type { RunRecord } from '../harness/results/records.ts';
import { openRunJournal } from '../harness/results/report-folder.ts';
import { evaluateSuite, newRunId, workerCount } from '../harness/suite/run-suite.ts';
import { SuiteSession, type SuiteOptions } from './session.ts';

/** What to evaluate and how. Every field is optional: by default the suite of `cwd` is replayed offline. */
export interface EvaluateOptions extends SuiteOptions {
  /** Runs of each scenario (record and live); default 1. */
  readonly trials?: number;
  /** pass^k: the trials that must all pass; default every trial. */
  readonly k?: number;
  /** Scenarios in flight at once; default 4. */
  readonly concurrency?: number;
  /**
   * Suite-level gates, as eval's --min-pass-rate and --max-flaky: with `minPassRate` the pass rate decides
   * instead of every scenario passing (the scenarios gate is then informational).
   */
  readonly gates?: GateOptions;
  /** Write results.json, junit.xml, summary.md and report.html here (relative to `cwd`); default no files. */
  readonly reportDir?: string;
  /** Each finished scenario (trial), as it finishes. */
  readonly onResult?: (result: {
    readonly id: string;
    readonly pass: boolean;
    readonly durationMs: number;
    readonly trial: number;
  }) => void;
}

/** A finished evaluation: the record results.json holds (each scenario whole), and the gates' verdict. */
export interface Evaluation {
  readonly record: RunRecord;
  /** Every gate passed and every selected scenario file could be loaded: what exit code 0 means for `helpdesk eval`. */
  readonly passed: boolean;
  /** The report files written (empty without `reportDir`). */
  readonly reports: readonly string[];
}

/**
 * Runs a suite as `helpdesk eval` does — the same scenarios, servers, grading and records — and
 * returns its results record. Servers start here and stop before it returns, whatever happens.
 */
export async function evaluate(options: EvaluateOptions = {}): Promise<Evaluation> {
  const session = new SuiteSession(options);
  try {
    return await evaluateOpened(session, options);
  } finally {
    await session.close();
  }
}

async function evaluateOpened(session: SuiteSession, options: EvaluateOptions): Promise<Evaluation> {
  const { suite, project, run, cwd } = session;
  const trials = options.trials ?? 1;
  const k = options.k ?? trials;
  const scratch = options.reportDir === undefined ? mkdtempSync(join(tmpdir(), 'helpdesk-evaluate-')) : undefined;
  const reportDir = scratch ?? resolve(cwd, options.reportDir as string);
  // As eval does: one run writes a reports folder at a time.
  const opened = openRunJournal(reportDir);
  const { journal } = opened;
  // Traced when the session's environment names an OTLP endpoint, as `helpdesk eval` is: one trace for the run.
  const tracing = await startTracing(session.env);
  const runId = newRunId(session.mode);
  const trace = tracing?.root(`helpdesk evaluate ${session.mode}`, {
    attributes: { 'helpdesk.run.id': runId, 'helpdesk.run.mode': session.mode, 'helpdesk.scenarios': suite.scenarios.length },
  });
  try {
    const { record } = await evaluateSuite(
      suite.scenarios,
      suite.invalid,
      {
        run: trace ? { ...run, trace } : run,
        journal,
        root: project.root,
        cwd,
        serverEnv: session.serverEnv,
        headerEnv: session.env,
        servers: project.servers,
        prices: project.prices,
        trials,
        k,
        concurrency: options.concurrency ?? 4,
        // Worker threads load their scenarios from files: scenarios declared in code run in this thread.
        workers: session.inCode ? 1 : workerCount(undefined, { live: run.live !== undefined, trials, scenarios: suite.scenarios.length }),
        matrix: false,
        onResult: (id, pass, durationMs, trial) => options.onResult?.({ id, pass, durationMs, trial }),
        onConfirm: () => {},
      },
      { runId, authored: session.mode === 'author', model: run.live?.model ?? null, shard: null },
    );
    record.gates = evaluateGates(record, options.gates ?? {});
    trace?.set({ 'helpdesk.run.passed': record.totals.passed, 'helpdesk.run.failed': record.totals.failed });
    if (trace && !runPassed(record)) trace.fail('gates_failed', 'the run failed its gates');
    const reports = scratch === undefined ? await writeReports(record, reportDir, { root: project.root, journal }) : [];
    const full: RunRecord = { ...record, scenarios: record.scenarios.map((s) => journal.full(s)) };
    return { record: full, passed: suite.invalid.length === 0 && runPassed(record), reports };
  } finally {
    trace?.end();
    await tracing?.flush();
    opened.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

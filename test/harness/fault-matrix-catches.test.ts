import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFaultMatrix } from '../../src/harness/resilience/matrix.ts';
import { type RunOptions } from '../../src/harness/run/execute.ts';
import { runScenario } from '../../src/harness/suite/run-scenario.ts';
import { loadScenarios } from '../../src/harness/scenario/load-suite.ts';
import type { ToolRouter } from '../../src/orchestrator/tool-router.ts';
import { ROOT } from '../servers.ts';
import { useReplayBench } from '../support/replay-bench.ts';

// The fault matrix in-process, over the real servers, against a deliberately broken orchestrator:
// it must fail the cells the break shows in, and end a cell whose run never ends. The matrix
// through the CLI is test/integration/fault-matrix-cli.test.ts.

describe('the fault matrix catches a broken orchestrator', () => {
  const bench = useReplayBench('fault-matrix');

  it('fails resilience:envelope when a failed call reaches the model as a plain result', async () => {
    // A router that passes every failed call on as if it had worked.
    const hiding = (router: ToolRouter): ToolRouter => ({
      openAITools: () => router.openAITools(),
      serverOf: (name) => router.serverOf(name),
      callTool: async (name, args, signal) => {
        const outcome = await router.callTool(name, args, signal);
        return outcome.envelope
          ? { server: outcome.server, tool: outcome.tool, durationMs: outcome.durationMs, content: '{"status":"ok"}' }
          : outcome;
      },
    });
    const options: RunOptions = bench.options({ recordingsDir: join(ROOT, 'recordings') });
    const [loaded] = loadScenarios(join(ROOT, 'scenarios'), { ids: ['critical-tickets-cust-001'] }, ROOT);
    const baseline = await runScenario(loaded!, options);
    expect(baseline.pass).toBe(true);
    const matrix = await runFaultMatrix(
      [{ loaded: loaded!, result: baseline }],
      { ...options, breakRouter: hiding },
      { concurrency: 2, kinds: ['tool_error', 'crash', 'slow'] },
    );
    const verdicts = Object.fromEntries(
      matrix.cells.map((c) => [c.kind, c.checks.filter((k) => !k.pass).map((k) => `${k.name}: ${k.reason}`)]),
    );
    expect(verdicts).toEqual({
      tool_error: ["resilience:envelope: the model got search_tickets's result as if nothing failed"],
      crash: ["resilience:envelope: the model got search_tickets's result as if nothing failed"],
      slow: [],
    });
  });

  it('gives up on a cell whose run never ends, even when cancelled, and goes on', async () => {
    // A router whose calls never answer and that ignores cancellation.
    const stuck = (router: ToolRouter): ToolRouter => ({
      openAITools: () => router.openAITools(),
      serverOf: (name) => router.serverOf(name),
      callTool: () => new Promise(() => {}),
    });
    const options: RunOptions = bench.options({ recordingsDir: join(ROOT, 'recordings') });
    const [loaded] = loadScenarios(join(ROOT, 'scenarios'), { ids: ['critical-tickets-cust-001'] }, ROOT);
    const baseline = await runScenario(loaded!, options);
    // A short tool timeout keeps the cell's budget (run + tool timeout + slack) near 6 s instead of 8 s;
    // the router answers no call either way.
    const quick = { ...loaded!, scenario: { ...loaded!.scenario, tool_timeout_ms: 500 } };
    const matrix = await runFaultMatrix(
      [{ loaded: quick, result: baseline }],
      { ...options, breakRouter: stuck },
      { concurrency: 1, kinds: ['tool_error'], deadlineGraceMs: 100 },
    );
    expect(matrix.cells).toHaveLength(1);
    expect(matrix.cells[0]?.pass).toBe(false);
    expect(matrix.cells[0]?.checks).toEqual([
      {
        name: 'resilience:ended',
        pass: false,
        reason: expect.stringMatching(/^the run did not end \d+\.\d s after it started, even when cancelled \(budget \d+\.\d s\)$/),
      },
    ]);
  }, 30_000);
});

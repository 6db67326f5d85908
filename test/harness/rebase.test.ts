import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolRouter } from '../../src/orchestrator/tool-router.ts';
import type { OpenAIFunctionTool } from '../../src/orchestrator/openai-tools.ts';
import { PoolCache } from '../../src/harness/run/pools.ts';
import { ReplayHub } from '../../src/harness/cassettes/replay-hub.ts';
import { type RunOptions } from '../../src/harness/run/execute.ts';
import { runScenario } from '../../src/harness/suite/run-scenario.ts';
import { type ScenarioResult } from '../../src/harness/results/scenario-result.ts';
import { loadScenarioFile } from '../../src/harness/scenario/scenario.ts';
import { ROOT } from '../servers.ts';

// Drift triage and rebase against real servers: each test plants a change where the orchestrator
// meets the servers (their results or their tool definitions), as an edit of the sample data or
// of a tool would, then replays and rebases authored cassettes.

let dir: string;
let pools: PoolCache;
let hub: ReplayHub;

const SCENARIOS = {
  assignees: {
    turns: ['Who works on the critical tickets of CUST-001?'],
    script: [
      { tool_calls: [{ name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } }] },
      { answer: 'TKT-1001 is with John Doe and TKT-1004 with Sarah Lee.' },
    ],
    expect: { tools: { mode: 'exact', calls: [{ name: 'search_tickets' }] }, answer: { contains: ['TKT-1004'] } },
  },
  untouched: {
    turns: ['Find articles about BSOD.'],
    script: [{ tool_calls: [{ name: 'search_solutions', arguments: { query: 'BSOD' } }] }, { answer: 'KB-001 covers it.' }],
    expect: { tools: { mode: 'exact', calls: [{ name: 'search_solutions' }] } },
  },
} as const;

type Id = keyof typeof SCENARIOS;
const cassettePath = (id: Id) => join(dir, 'recordings', `${id}.json`);
const cassetteText = (id: Id) => readFileSync(cassettePath(id), 'utf8');
const load = (id: Id) => loadScenarioFile(join(dir, 'scenarios', `${id}.json`));
const explain = (r: ScenarioResult) => JSON.stringify({ replay: r.replay, failures: r.failures, rebase: r.rebase });

/** The real router with its tool results or tool definitions changed. */
function planted(change: {
  result?: (name: string, content: string) => string;
  tools?: (tools: OpenAIFunctionTool[]) => OpenAIFunctionTool[];
}) {
  return (router: ToolRouter): ToolRouter => ({
    openAITools: () => (change.tools ? change.tools([...router.openAITools()]) : router.openAITools()),
    serverOf: (name) => router.serverOf(name),
    async callTool(name, args, signal) {
      const outcome = await router.callTool(name, args, signal);
      return change.result ? { ...outcome, content: change.result(name, outcome.content) } : outcome;
    },
  });
}

const renamedAssignee = planted({ result: (_name, content) => content.replaceAll('Sarah Lee', 'Sara Leigh') });

function options(extra: Partial<RunOptions> = {}): RunOptions {
  return { mode: 'replay', hub, pools, recordingsDir: join(dir, 'recordings'), ...extra };
}

async function authorAll(): Promise<void> {
  hub.close();
  for (const id of Object.keys(SCENARIOS) as Id[]) {
    const authored = await runScenario(load(id), options({ mode: 'author' }));
    expect(authored.pass, explain(authored)).toBe(true);
  }
  hub.open();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rebase-'));
  mkdirSync(join(dir, 'scenarios'));
  for (const [id, body] of Object.entries(SCENARIOS)) {
    writeFileSync(join(dir, 'scenarios', `${id}.json`), JSON.stringify({ id, description: `rebase: ${id}`, ...body }));
  }
  pools = new PoolCache(ROOT);
  hub = new ReplayHub();
  await authorAll();
});

afterAll(async () => {
  hub.close();
  await pools.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('drift triage and rebase', () => {
  it('rebases a sample-data change: the tool results are refreshed, the header says so, and replay is green again', async () => {
    await authorAll();
    const before = JSON.parse(cassetteText('assignees'));
    const untouched = cassetteText('untouched');

    const drifted = await runScenario(load('assignees'), options({ breakRouter: renamedAssignee }));
    expect(drifted.pass).toBe(false);
    expect(drifted.replay).toEqual([
      expect.objectContaining({ kind: 'data', change: 'search_tickets result tickets[].assignee: "Sarah Lee" → "Sara Leigh"' }),
    ]);

    const rebased = await runScenario(load('assignees'), options({ breakRouter: renamedAssignee, mode: 'rebase' }));
    expect(rebased.rebase).toEqual({
      outcome: 'rebased',
      reasons: ['data: search_tickets result tickets[].assignee: "Sarah Lee" → "Sara Leigh"'],
    });
    const after = JSON.parse(cassetteText('assignees'));
    expect(after).toMatchObject({
      source: 'authored',
      recorded_at: before.recorded_at,
      rebased: { from: before.recorded_at, changes: rebased.rebase?.reasons },
    });
    expect(Date.parse(after.rebased.at)).toBeGreaterThanOrEqual(Date.parse(before.recorded_at));
    expect(after.interactions[1].request.messages[3].content).toContain('Sara Leigh');
    expect(after.interactions.map((i: { response: unknown }) => i.response)).toEqual(
      before.interactions.map((i: { response: unknown }) => i.response),
    );
    expect(after.stale_responses).toBeUndefined();
    expect(await runScenario(load('untouched'), options({ mode: 'rebase' }))).toMatchObject({
      pass: true,
      rebase: { outcome: 'unchanged' },
    });
    expect(cassetteText('untouched')).toBe(untouched);

    const replayed = await runScenario(load('assignees'), options({ breakRouter: renamedAssignee }));
    expect(replayed.pass, explain(replayed)).toBe(true);
    const again = cassetteText('assignees');
    expect((await runScenario(load('assignees'), options({ breakRouter: renamedAssignee, mode: 'rebase' }))).rebase?.outcome).toBe(
      'unchanged',
    );
    expect(cassetteText('assignees')).toBe(again);
  });

  it('refuses to rebase when the new results no longer support the recorded answer, and leaves the cassette as it was', async () => {
    await authorAll();
    const original = cassetteText('assignees');
    // TKT-1004 is no longer critical: the search returns TKT-1001 alone.
    const demoted = planted({
      result: (name, content) => {
        if (name !== 'search_tickets') return content;
        const body = JSON.parse(content) as { tickets: { ticket_id: string }[]; count?: number };
        return JSON.stringify({ ...body, tickets: body.tickets.filter((t) => t.ticket_id !== 'TKT-1004'), count: 1 });
      },
    });
    const result = await runScenario(load('assignees'), options({ breakRouter: demoted, mode: 'rebase' }));
    expect(result.pass).toBe(false);
    expect(result.rebase).toEqual({
      outcome: 'refused',
      reasons: ["[grounded] answer mentions TKT-1004, which no tool returned (nor the user's messages)"],
    });
    expect(cassetteText('assignees')).toBe(original);
  });

  it('reports a renamed argument as a contract break naming the call, in replay and in a refused rebase', async () => {
    await authorAll();
    const original = cassetteText('assignees');
    const renamed = planted({
      tools: (tools) =>
        tools.map((t) => {
          if (t.function.name !== 'search_tickets') return t;
          const { customer_id: moved, ...rest } = (t.function.parameters.properties ?? {}) as Record<string, unknown>;
          return { ...t, function: { ...t.function, parameters: { ...t.function.parameters, properties: { ...rest, customer: moved } } } };
        }),
    });
    const replayed = await runScenario(load('assignees'), options({ breakRouter: renamed }));
    expect(replayed.pass).toBe(false);
    expect(replayed.replay[0]).toMatchObject({
      code: 'tools_changed',
      kind: 'contract',
      change: 'search_tickets refuses a recorded call: the argument "customer_id" is now "customer"',
      diff: 'search_tickets({"customer_id":"CUST-001","priority":"critical"}): the argument "customer_id" is now "customer"',
    });
    expect(replayed.run).toBeUndefined();
    const rebased = await runScenario(load('assignees'), options({ breakRouter: renamed, mode: 'rebase' }));
    // Counted as refused, with the reason, so a rebase's summary adds up to the scenarios it ran.
    expect(rebased.rebase).toEqual({
      outcome: 'refused',
      reasons: ['[tools_changed] contract: search_tickets refuses a recorded call: the argument "customer_id" is now "customer"'],
    });
    expect(rebased.pass).toBe(false);
    expect(cassetteText('assignees')).toBe(original);
  });

  it('rebases a reworded description into a live cassette and then reports its responses as recorded against an older description', async () => {
    await authorAll();
    const live = JSON.parse(cassetteText('untouched'));
    writeFileSync(cassettePath('untouched'), JSON.stringify({ ...live, source: 'live' }));
    const reworded = planted({
      tools: (tools) =>
        tools.map((t) =>
          t.function.name === 'search_solutions'
            ? { ...t, function: { ...t.function, description: `${t.function.description} Prefer short queries.` } }
            : t,
        ),
    });

    const drifted = await runScenario(load('untouched'), options({ breakRouter: reworded }));
    expect(drifted.replay).toEqual([expect.objectContaining({ kind: 'prompt', change: 'search_solutions description reworded' })]);
    expect(drifted.replay[0]?.diff).toMatch(/\{\+Prefer short queries\.\+\}$/);

    const rebased = await runScenario(load('untouched'), options({ breakRouter: reworded, mode: 'rebase' }));
    expect(rebased.rebase?.outcome, explain(rebased)).toBe('rebased');
    expect(JSON.parse(cassetteText('untouched'))).toMatchObject({
      source: 'live',
      stale_responses: ['search_solutions description reworded'],
    });
    const replayed = await runScenario(load('untouched'), options({ breakRouter: reworded }));
    expect(replayed.pass, explain(replayed)).toBe(true);
    expect(replayed.staleResponses).toEqual(['search_solutions description reworded']);
  });
});

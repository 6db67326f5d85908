import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolRouter } from '../../src/orchestrator/tool-router.ts';
import { PoolCache } from '../../src/harness/run/pools.ts';
import { ReplayHub } from '../../src/harness/cassettes/replay-hub.ts';
import { type RunOptions } from '../../src/harness/run/execute.ts';
import { runScenario } from '../../src/harness/suite/run-scenario.ts';
import { type ScenarioResult } from '../../src/harness/results/scenario-result.ts';
import { loadScenarioFile, type LoadedScenario } from '../../src/harness/scenario/scenario.ts';
import { ROOT } from '../servers.ts';

// Each test authors a small scenario's cassette with the healthy orchestrator, then replays it
// against a deliberately broken one: the harness must fail the run, with the right reason.

let dir: string;
let pools: PoolCache;
let hub: ReplayHub;

const SCENARIOS = {
  'worked-example': {
    turns: ['What are the critical tickets for customer CUST-001?'],
    script: [
      { tool_calls: [{ name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } }] },
      { answer: 'TKT-1001 and TKT-1004 are critical.' },
    ],
    expect: {
      tools: { mode: 'exact', calls: [{ name: 'search_tickets', args: { customer_id: 'CUST-001', priority: 'critical' } }] },
      answer: { contains: ['TKT-1001', 'TKT-1004'] },
    },
  },
  'parallel-pair': {
    turns: ['Show customer CUST-002 and its outstanding balance.'],
    script: [
      {
        tool_calls: [
          { name: 'lookup_customer', arguments: { customer_id: 'CUST-002' } },
          { name: 'calculate_outstanding_balance', arguments: { customer_id: 'CUST-002' } },
        ],
      },
      { answer: 'DataFlow Solutions owes 3000, of which 2150 is overdue.' },
    ],
    expect: {
      tools: { mode: 'unordered', calls: [{ name: 'lookup_customer' }, { name: 'calculate_outstanding_balance' }] },
      answer: { contains: ['3000'] },
    },
  },
  'iteration-cap': {
    turns: ['Keep checking ticket TKT-1001.'],
    script: Array.from({ length: 10 }, () => ({ tool_calls: [{ name: 'get_ticket_details', arguments: { ticket_id: 'TKT-1001' } }] })),
    expect: { stop_reason: 'max_iterations', iterations: { exact: 10 } },
  },
} as const;

function writeScenario(id: string, body: object): LoadedScenario {
  const file = join(dir, 'scenarios', `${id}.json`);
  writeFileSync(file, JSON.stringify({ id, description: `harness self-test: ${id}`, ...body }));
  return loadScenarioFile(file);
}

function options(extra: Partial<RunOptions> = {}): RunOptions {
  return { mode: 'replay', hub, pools, recordingsDir: join(dir, 'recordings'), ...extra };
}

function reasons(result: ScenarioResult): string {
  return JSON.stringify({ replay: result.replay, failures: result.failures, error: result.error });
}

/** A router that behaves like the real one except where `change` says otherwise. */
function broken(change: Partial<ToolRouter>): (router: ToolRouter) => ToolRouter {
  return (router) => ({
    openAITools: change.openAITools ?? (() => router.openAITools()),
    serverOf: (name) => router.serverOf(name),
    callTool: change.callTool ? change.callTool.bind(router) : (name, args, signal) => router.callTool(name, args, signal),
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'harness-catches-'));
  mkdirSync(join(dir, 'scenarios'));
  pools = new PoolCache(ROOT);
  hub = new ReplayHub();
  for (const [id, body] of Object.entries(SCENARIOS)) {
    const authored = await runScenario(writeScenario(id, body), options({ mode: 'author' }));
    expect(authored.pass, reasons(authored)).toBe(true);
  }
  hub.open();
});

afterAll(async () => {
  hub.close();
  await pools.close();
  rmSync(dir, { recursive: true, force: true });
});

const load = (id: keyof typeof SCENARIOS) => loadScenarioFile(join(dir, 'scenarios', `${id}.json`));

describe('the harness catches a broken orchestrator', () => {
  it('passes the healthy orchestrator on every self-test scenario', async () => {
    for (const id of Object.keys(SCENARIOS) as (keyof typeof SCENARIOS)[]) {
      const result = await runScenario(load(id), options());
      expect(result.pass, `${id}: ${reasons(result)}`).toBe(true);
    }
  });

  it('fails a wrong route: the tool result the model receives differs from the recording', async () => {
    const result = await runScenario(
      load('worked-example'),
      options({
        breakRouter: broken({
          callTool(this: ToolRouter, name, args, signal) {
            // Routed to the wrong tool on the wrong server.
            return name === 'search_tickets'
              ? this.callTool('lookup_customer', { customer_id: 'CUST-001' }, signal)
              : this.callTool(name, args, signal);
          },
        }),
      }),
    );
    expect(result.pass).toBe(false);
    expect(result.replay[0]).toMatchObject({ code: 'request_mismatch', kind: 'data' });
    expect(result.replay[0]?.change).toMatch(/^search_tickets result /);
    expect(result.replay[0]?.diff).toMatch(/^search_tickets\(\{"customer_id":"CUST-001","priority":"critical"\}\) → /);
    // The customer record came back where the ticket list was expected.
    expect(result.replay[0]?.diff).toMatch(/→ tickets: recorded \[\{"ticket_id":"TKT-1001",.*, now nothing$/);
  });

  it('fails a dropped tool call: one of two parallel calls never answers', async () => {
    const result = await runScenario(
      load('parallel-pair'),
      options({
        breakRouter: broken({
          async callTool(this: ToolRouter, name, args, signal) {
            const outcome = await this.callTool(name, args, signal);
            return name === 'calculate_outstanding_balance' ? { ...outcome, content: '' } : outcome;
          },
        }),
      }),
    );
    expect(result.pass).toBe(false);
    expect(result.replay[0]).toMatchObject({ code: 'request_mismatch', kind: 'data' });
    expect(result.replay[0]?.reason).toMatch(/^data: calculate_outstanding_balance result \(whole value\): .* \(request 2\); /);
    expect(result.replay[0]?.diff).toMatch(/, now ""$/);
  });

  it('fails a changed tool result and shows where it changed', async () => {
    const result = await runScenario(
      load('parallel-pair'),
      options({
        breakRouter: broken({
          async callTool(this: ToolRouter, name, args, signal) {
            const outcome = await this.callTool(name, args, signal);
            return { ...outcome, content: outcome.content.replace('"outstanding_balance":3000', '"outstanding_balance":2999') };
          },
        }),
      }),
    );
    expect(result.pass).toBe(false);
    expect(result.replay).toEqual([
      expect.objectContaining({
        code: 'request_mismatch',
        kind: 'data',
        change: 'calculate_outstanding_balance result outstanding_balance: 3000 → 2999',
        diff: 'calculate_outstanding_balance({"customer_id":"CUST-002"}) → outstanding_balance: recorded 3000, now 2999',
      }),
    ]);
  });

  it('fails a missing iteration cap: the loop asks the model an eleventh time', async () => {
    const result = await runScenario(load('iteration-cap'), options({ maxIterations: 50 }));
    expect(result.pass).toBe(false);
    expect(result.replay[0]?.code).toBe('unexpected_request');
    expect(result.replay[0]?.reason).toContain('request 11 has no recorded response');
    expect(result.failures.map((f) => f.reason)).toContain('expected stop reason max_iterations, got model_error');
  });

  it('fails a changed tool description and names the tool', async () => {
    const result = await runScenario(
      load('worked-example'),
      options({
        breakRouter: (router) => ({
          ...broken({})(router),
          openAITools: () =>
            router
              .openAITools()
              .map((t) =>
                t.function.name === 'get_invoice'
                  ? { ...t, function: { ...t.function, description: `${t.function.description} Changed.` } }
                  : t,
              ),
        }),
      }),
    );
    expect(result.pass).toBe(false);
    expect(result.replay).toEqual([
      expect.objectContaining({ code: 'tools_changed', kind: 'prompt', change: 'get_invoice description reworded' }),
    ]);
    expect(result.replay[0]?.diff).toMatch(/{\+Changed\.\+}$/);
  });

  it('fails a changed system prompt with a diff of the prompt', async () => {
    const cassette = join(dir, 'recordings', 'worked-example.json');
    const original = readFileSync(cassette, 'utf8');
    try {
      const edited = JSON.parse(original);
      edited.interactions[0].request.messages[0].content = 'You are a pirate.';
      writeFileSync(cassette, JSON.stringify(edited));
      const result = await runScenario(load('worked-example'), options());
      expect(result.pass).toBe(false);
      expect(result.replay).toEqual([expect.objectContaining({ code: 'request_mismatch', kind: 'prompt', change: 'the system prompt' })]);
      expect(result.replay[0]?.diff).toMatch(
        /^You are \{\+an IT-support assistant for\+\} a \[-pirate\.-\]\{\+managed-services company\.\n/,
      );
    } finally {
      writeFileSync(cassette, original);
    }
  });

  it('fails when recorded turns are left unused', async () => {
    const cassette = join(dir, 'recordings', 'worked-example.json');
    const original = readFileSync(cassette, 'utf8');
    try {
      const edited = JSON.parse(original);
      edited.interactions.push(edited.interactions[1]);
      writeFileSync(cassette, JSON.stringify(edited));
      const result = await runScenario(load('worked-example'), options());
      expect(result.pass).toBe(false);
      expect(result.replay[0]?.code).toBe('unused_turns');
      expect(result.replay[0]?.reason).toContain('1 of 3 recorded responses were never requested');
    } finally {
      writeFileSync(cassette, original);
    }
  });

  it('fails a scenario without a cassette and says how to make one', async () => {
    const lonely = writeScenario('no-cassette', { turns: ['Hello?'], expect: {} });
    const result = await runScenario(lonely, options());
    expect(result.pass).toBe(false);
    expect(result.replay[0]?.code).toBe('missing_cassette');
    expect(result.replay[0]?.reason).toContain('helpdesk eval --author --id no-cassette');
  });

  it('never lets a replayed run reach the network: an unknown host is an error, not a live call', async () => {
    await expect(fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', body: '{}' })).rejects.toThrow();
    expect(hub.unhandled.at(-1)).toContain('api.openai.com');
  });

  it('fails a scenario during which something asked an address outside the cassette', async () => {
    const result = await runScenario(
      load('worked-example'),
      options({
        breakRouter: broken({
          async callTool(this: ToolRouter, name, args, signal) {
            await fetch('https://telemetry.example.invalid/ping').catch(() => undefined);
            return this.callTool(name, args, signal);
          },
        }),
      }),
    );
    expect(result.pass).toBe(false);
    expect(result.replay[0]?.code).toBe('unhandled_request');
    expect(result.replay[0]?.reason).toContain('telemetry.example.invalid');
  });
});

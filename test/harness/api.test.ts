import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineConfig, defineScenario, evaluate, loadSuite, SuiteSession } from '../../src/index.ts';
import { startFakeOpenAI } from '../support/fake-openai.ts';
import { ROOT } from '../servers.ts';

// The package's API (what `import … from 'mcp-helpdesk'` gives), against the real servers.

const scratch = mkdtempSync(join(tmpdir(), 'helpdesk-api-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the mcp-helpdesk API', () => {
  it('evaluates a selection of the suite offline and returns the record results.json holds, each scenario whole', {
    timeout: 60_000,
  }, async () => {
    const reportDir = join(scratch, 'smoke');
    const seen: string[] = [];
    const { passed, record, reports } = await evaluate({
      cwd: ROOT,
      filter: { tags: ['smoke'] },
      reportDir,
      onResult: (r) => seen.push(r.id),
    });
    const selected = loadSuite(join(ROOT, 'scenarios'), { tags: ['smoke'] }, ROOT)
      .scenarios.map((s) => s.scenario.id)
      .sort();
    expect(selected.length).toBeGreaterThan(0);
    expect(record.scenarios.map((s) => s.id)).toEqual(selected);
    expect(seen.sort()).toEqual(selected);
    expect(passed).toBe(true);
    expect(record.gates.map((g) => g.name)).toEqual(['scenarios']);
    // Whole records: the transcripts keep their events (the CLI's in-memory copies drop them).
    expect(record.scenarios.every((s) => (s.trials[0]?.transcripts[0]?.events.length ?? 0) > 0)).toBe(true);
    expect(reports.map((p) => p.replace(`${reportDir}/`, ''))).toEqual(['results.json', 'junit.xml', 'summary.md', 'report.html']);
    const written = JSON.parse(readFileSync(join(reportDir, 'results.json'), 'utf8')) as typeof record;
    expect(written.scenarios.map((s) => [s.id, s.summary.pass])).toEqual(record.scenarios.map((s) => [s.id, s.summary.pass]));
  });

  it("runs scenarios declared in code against a config given as a value, and fails them with the graders' reasons", {
    timeout: 60_000,
  }, async () => {
    const recordings = join(scratch, 'recordings');
    const scenario = defineScenario({
      id: 'api-critical',
      description: 'a scenario declared in code',
      turns: ['What are the critical tickets for customer CUST-001?'],
      script: [
        { tool_calls: [{ name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } }] },
        { answer: 'TKT-1001 and TKT-1004.' },
      ],
      expect: { tools: { mode: 'exact', calls: [{ name: 'search_tickets' }] }, answer: { contains: ['TKT-1009'] } },
    });
    const config = defineConfig({ mcpServers: { kb: { command: 'node', disabled: true } } });
    const authored = await evaluate({ cwd: ROOT, config, scenarios: [scenario], recordings, mode: 'author' });
    expect(authored.record.authored).toBe(true);
    const failures = authored.record.scenarios[0]?.trials[0]?.checks.filter((c) => !c.pass).map((c) => `${c.name}: ${c.reason}`);
    expect(failures).toEqual(['answer: expected to contain "TKT-1009", got "TKT-1001 and TKT-1004."']);
    expect(authored.passed).toBe(false);
    // The cassette authored above now replays: the same verdict, offline.
    const replayed = await evaluate({ cwd: ROOT, config, scenarios: [scenario], recordings });
    expect(replayed.record.mode).toBe('replay');
    expect(replayed.record.scenarios[0]?.trials[0]?.checks.filter((c) => !c.pass).map((c) => c.name)).toEqual(['answer']);
  });

  it('records a live model on a local OpenAI-compatible endpoint, keeps its key out of the cassette, then replays it offline with the same verdict', {
    timeout: 60_000,
  }, async () => {
    const recordings = join(scratch, 'recorded');
    const key = 'sk-api-test-key-never-written';
    const model = await startFakeOpenAI(
      [
        { turn: { toolCalls: [{ name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } }] } },
        { turn: { answer: 'Customer CUST-001 has 2 critical tickets: TKT-1001 and TKT-1004.' } },
      ],
      'local-model',
    );
    try {
      const filter = { ids: ['critical-tickets-cust-001'] };
      const recorded = await evaluate({
        cwd: ROOT,
        filter,
        recordings,
        mode: 'record',
        model: { apiKey: key, baseURL: model.url, model: 'local-model', maxRetries: 0 },
      });
      expect(recorded.passed).toBe(true);
      expect(recorded.record.model).toBe('local-model');
      expect(model.requests).toHaveLength(2);
      const cassette = readFileSync(join(recordings, 'critical-tickets-cust-001.json'), 'utf8');
      expect(cassette).toContain('TKT-1004');
      expect(cassette).not.toContain(key);
      const replayed = await evaluate({ cwd: ROOT, filter, recordings, env: {} });
      expect(replayed.record.scenarios.map((s) => [s.id, s.summary.pass])).toEqual([['critical-tickets-cust-001', true]]);
      expect(model.requests).toHaveLength(2);
    } finally {
      await model.close();
    }
  });

  it('refuses a scenario or a config with a bad field, naming it', () => {
    expect(() => defineScenario({ id: 'x', description: 'd', turns: ['q'], expect: { tools: { mdoe: 'exact' } } } as never)).toThrow(
      /scenario x:\n {2}expect\.tools: Unrecognized key: "mdoe"/,
    );
    expect(() => defineConfig({ mcpServers: {}, builtinServers: 'no' } as never)).toThrow(/Invalid config:\n {2}builtinServers: /);
  });

  it('needs a key for a live run and says which variable, before any server starts', async () => {
    await expect(evaluate({ cwd: ROOT, mode: 'live', env: { PATH: process.env.PATH } })).rejects.toThrow(/^OPENAI_API_KEY is not set/);
  });

  it('names the scenarios a session has when asked for one it has not', () => {
    const session = new SuiteSession({ cwd: ROOT, filter: { ids: ['critical-tickets-cust-001'] } });
    expect(() => session.case('nope')).toThrow('no scenario "nope" in the suite (it has critical-tickets-cust-001)');
  });

  it('reports a scenario file that cannot be loaded as a failed scenario, and the evaluation as not passed', {
    timeout: 30_000,
  }, async () => {
    const dir = join(scratch, 'broken');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'typo.json'),
      JSON.stringify({ id: 'typo', description: 'd', turns: ['q'], expect: { tools: { mdoe: 'exact' } } }),
    );
    const { passed, record } = await evaluate({ cwd: ROOT, scenarios: dir });
    expect(passed).toBe(false);
    expect(record.scenarios.map((s) => [s.id, s.summary.pass])).toEqual([['typo', false]]);
    expect(JSON.stringify(record.scenarios[0])).toContain('Unrecognized key: \\"mdoe\\"');
  });
});

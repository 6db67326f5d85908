import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PoolCache } from '../../src/harness/run/pools.ts';
import { ReplayHub } from '../../src/harness/cassettes/replay-hub.ts';
import { runRecord, scenarioRecord, trialRecord, type RunRecord, type TrialRecord } from '../../src/harness/results/records.ts';
import { costUsd, PRICE_TABLE } from '../../src/harness/results/prices.ts';
import { runScenario } from '../../src/harness/suite/run-scenario.ts';
import { loadScenarioFile, type LoadedScenario, type Scenario } from '../../src/harness/scenario/scenario.ts';
import { writeReports } from '../../src/harness/reporters/write.ts';
import { TIMELINES_READY, timelinesOf } from '../support/report-page.ts';
import { chromiumMissing, livingGroupMembers, openChromiumPage, type ChromiumPage } from '../support/chromium.ts';
import { ROOT } from '../servers.ts';

const missing = chromiumMissing();
if (missing) console.warn(`test/e2e/report-html-browser.test.ts: browser tests skipped because ${missing}`);

const HOSTILE =
  'Hostile description <script>window.__pwned = true; document.title = "pwned"</script><img src="x" onerror="window.__pwned = true">';

/**
 * A scenario of the suite, with latency budgets no loaded machine misses: the page is under test here,
 * not this machine's speed, and this file runs beside others (a slow server start would fail every
 * run on that pool and change the counts the page shows).
 */
const load = (id: string): LoadedScenario => {
  const loaded = loadScenarioFile(join(ROOT, 'scenarios', `${id}.json`), ROOT);
  const latency = { startup_ms: 60_000, discovery_ms: 60_000, tool_call_ms: 60_000, query_ms: 60_000 };
  return { ...loaded, scenario: { ...loaded.scenario, expect: { ...loaded.scenario.expect, latency } } };
};

/** A trial as a live run would record it: with token usage and its cost from the price table. */
const withUsage = (trial: TrialRecord, prompt: number, completion: number): TrialRecord => ({
  ...trial,
  usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  cost_usd: costUsd('gpt-4o-mini', prompt, completion),
});

/** The same scenario under another ID and description (the cassette is still found by the original ID). */
const renamed = (loaded: LoadedScenario, id: string, change: Partial<Scenario> = {}): LoadedScenario => ({
  file: loaded.file,
  scenario: { ...loaded.scenario, ...change, id },
});

/**
 * A run record from real replayed scenarios: passing ones (a tool call with arguments, an error
 * envelope), a request_mismatch, a flaky one with a hostile description, and one whose servers
 * never start (every trial an infrastructure error).
 */
async function buildRecord(pools: PoolCache, hub: ReplayHub): Promise<RunRecord> {
  const options = { mode: 'replay' as const, hub, pools, recordingsDir: join(ROOT, 'recordings') };
  const trials = async (loaded: LoadedScenario, count: number): Promise<TrialRecord[]> => {
    const out: TrialRecord[] = [];
    for (let i = 1; i <= count; i += 1) out.push(trialRecord(await runScenario(loaded, options), loaded.scenario, i));
    return out;
  };
  const critical = load('critical-tickets-cust-001');
  const notFound = load('err-ticket-not-found');
  const mismatch = { ...critical, scenario: { ...critical.scenario, turns: ['What are the critical tickets for customer CUST-002?'] } };
  const wrongAnswer = {
    ...critical,
    scenario: { ...critical.scenario, expect: { ...critical.scenario.expect, answer: { contains: ['TKT-9999'] } } },
  };
  const broken: LoadedScenario = {
    file: join(ROOT, 'scenarios', 'servers-never-start.json'),
    scenario: {
      ...critical.scenario,
      id: 'servers-never-start',
      servers: Object.fromEntries(
        ['tickets', 'customers', 'billing', 'kb', 'assets'].map((name) => [
          name,
          name === 'tickets'
            ? { command: process.execPath, args: ['-e', 'process.exit(3)'], env: {}, disabled: false }
            : { command: 'node', args: [], env: {}, disabled: true },
        ]),
      ),
    },
  };
  const flakyTrials = [...(await trials(critical, 1)), ...(await trials(wrongAnswer, 1)).map((t) => ({ ...t, trial: 2 }))];
  const scenarios = [
    // Authored cassettes carry no token usage; these trials get what a live run would report.
    scenarioRecord(
      critical,
      (await trials(critical, 2)).map((t) => withUsage(t, 12_000, 800)),
      1,
    ),
    scenarioRecord(notFound, await trials(notFound, 2), 1),
    scenarioRecord(renamed(mismatch, 'critical-tickets-changed-question'), await trials(mismatch, 2), 1),
    scenarioRecord(renamed(critical, 'hostile-description', { description: HOSTILE }), flakyTrials, 1),
    scenarioRecord(broken, await trials(broken, 2), 1),
  ];
  return runRecord(
    {
      runId: 'report-html-test',
      startedAt: new Date().toISOString(),
      durationMs: 4321,
      mode: 'replay',
      authored: false,
      model: 'gpt-4o-mini',
      trials: 2,
      k: 1,
      shard: null,
    },
    scenarios,
    [{ name: 'min_pass_rate', pass: false, reason: 'pass rate 62.5% is below 90%' }],
  );
}

let dir: string;
let record: RunRecord;
let page: ChromiumPage;
let fileUrl: string;

describe.skipIf(missing !== null)('report.html in headless Chromium', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'helpdesk-report-'));
    const pools = new PoolCache(ROOT);
    const hub = new ReplayHub();
    hub.open();
    try {
      record = await buildRecord(pools, hub);
    } finally {
      hub.close();
      await pools.close();
    }
    await writeReports(record, dir, { root: ROOT });
    fileUrl = pathToFileURL(join(dir, 'report.html')).href;
    page = await openChromiumPage({ width: 1280, height: 900 });
    await page.goto(fileUrl);
    await page.evaluate(TIMELINES_READY);
  }, 30_000);

  afterAll(async () => {
    await page?.close();
    // HELPDESK_KEEP_REPORT=1 keeps the report and screenshot to look at.
    if (process.env.HELPDESK_KEEP_REPORT) console.warn(`report kept in ${dir}`);
    else if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('builds the record the page shows: 2 passed, 3 failed, 1 flaky, 1 infrastructure-only scenario', () => {
    expect(record.scenarios.map((s) => [s.id, s.summary.class, s.summary.pass])).toEqual([
      ['critical-tickets-changed-question', 'stable_fail', false],
      ['critical-tickets-cust-001', 'stable_pass', true],
      ['err-ticket-not-found', 'stable_pass', true],
      ['hostile-description', 'flaky', false],
      ['servers-never-start', 'no_data', false],
    ]);
    expect(record.scenarios[0]?.trials[0]?.replay[0]?.code).toBe('request_mismatch');
  });

  it('renders without console errors, exceptions or any request but the file itself', async () => {
    expect(await page.evaluate<string>('document.readyState')).toBe('complete');
    expect(page.log.consoleErrors).toEqual([]);
    expect(page.log.exceptions).toEqual([]);
    expect(page.log.failedRequests).toEqual([]);
    expect(page.log.requests).toEqual([fileUrl]);
    // The inline script ran and parsed the embedded record.
    expect(await page.evaluate<string>('document.documentElement.dataset.runId')).toBe('report-html-test');
  });

  it('shows the run counts in the overview cards and tokens and cost per scenario', async () => {
    const cards = await page.evaluate<Record<string, string>>(`Object.fromEntries([...document.querySelectorAll('.card')]
      .map((c) => [c.dataset.metric, c.querySelector('.value').textContent]))`);
    expect(cards).toEqual({
      scenarios: '5',
      passed: '2',
      failed: '3',
      flaky: '1',
      infra: '1',
      'pass-rate': '62.5%',
      tokens: '25,600',
      cost: '$0.0046',
    });
    expect(await page.evaluate<string>(`document.querySelector('[data-metric=infra] .name').textContent`)).toBe(
      'infra only · 2 infra trials',
    );
    const row = await page.evaluate<string[]>(
      `[...document.querySelectorAll('tr[data-scenario="critical-tickets-cust-001"] td')].map((td) => td.textContent)`,
    );
    expect(row.slice(0, 6)).toEqual(['critical-tickets-cust-001', 'passed', '2/2', '1.00', '1.00', 'stable_pass']);
    expect(row.slice(9, 11)).toEqual(['12,800', '$0.0046']);
    expect(
      await page.evaluate<string>(`document.querySelector('tr[data-reason-for="critical-tickets-changed-question"]').textContent`),
    ).toBe(
      'request_mismatch prompt: user turn "What are the critical tickets for customer CUST-001?" (request 1); the model was told something else, so its choices may change; only a live re-record can confirm them',
    );
    expect(await page.evaluate<string>(`document.querySelector('table.scenarios caption').textContent`)).toContain(
      `price table ${PRICE_TABLE.version}`,
    );
  });

  it('draws p50/p95/p99 bars for end to end, model and each server/tool, and a dot per timed trial', async () => {
    const charts = await page.evaluate<{ labels: string[]; bars: number; p99: number; dots: number; height: number }[]>(`
      [...document.querySelectorAll('svg.latency-chart, svg.strip-chart')].map((svg) => ({
        labels: [...svg.querySelectorAll('text.label > title')].map((t) => t.textContent.replace(/ \\(\\d+ samples\\)$/, '')),
        bars: svg.querySelectorAll('rect.bar[width]').length,
        p99: svg.querySelectorAll('rect.bar.p99').length,
        dots: svg.querySelectorAll('circle.dot').length,
        height: svg.getBoundingClientRect().height,
      }))`);
    expect(charts.map((c) => c.labels)).toEqual([
      ['end to end', 'model'],
      ['tickets/get_ticket_details', 'tickets/search_tickets'],
      ['critical-tickets-changed-question', 'critical-tickets-cust-001', 'err-ticket-not-found', 'hostile-description'],
    ]);
    // Three bars per series: p50, p95, p99.
    expect(charts.map((c) => c.p99)).toEqual([2, 2, 0]);
    expect(charts.map((c) => c.bars)).toEqual([6, 6, 0]);
    expect(charts[2]?.dots).toBe(8);
    for (const chart of charts) expect(chart.height).toBeGreaterThan(60);
  });

  it('shows a tool call in the timeline with its arguments and the error envelope it returned', async () => {
    const calls = await page.evaluate<string[]>(
      `[...document.querySelectorAll('#scenario-err-ticket-not-found .tool-call')].map((c) => c.innerText || c.textContent)`,
    );
    expect(calls[0]).toContain('"ticket_id": "TKT-9999"');
    expect(calls[0]).toContain('Ticket TKT-9999 not found');
    expect(calls[0]).toContain('search_tickets');
    const heads = await page.evaluate<string[]>(
      `[...document.querySelectorAll('#scenario-critical-tickets-cust-001 .step-title')].map((t) => t.textContent)`,
    );
    expect(heads.slice(0, 3)).toEqual(['model · iteration 1', 'tool · tickets/search_tickets', 'model · iteration 2']);
  });

  it('shows a <script> in a scenario description as text without running it', async () => {
    expect(await page.evaluate<boolean>('window.__pwned === true')).toBe(false);
    expect(await page.evaluate<string>('document.title')).not.toBe('pwned');
    expect(await page.evaluate<string>(`document.querySelector('#scenario-hostile-description .description').textContent`)).toBe(HOSTILE);
    expect(await page.evaluate<number>(`document.querySelectorAll('main script, main img').length`)).toBe(0);
  });

  it('expands every timeline with the Expand all button', async () => {
    const open = await page.evaluate<number[]>(`(() => {
      const before = document.querySelectorAll('details.scenario[open]').length;
      document.getElementById('expand-all').click();
      return [before, document.querySelectorAll('details.scenario[open]').length];
    })()`);
    expect(open).toEqual([0, 5]);
  });

  it('filters the table to failures or an ID and draws only those timelines; a link to a scenario opens its timeline', async () => {
    const state = async () =>
      page.evaluate<{ rows: string[]; timelines: string[]; info: string }>(`({
      rows: [...document.querySelectorAll('#scenario-rows tr[data-scenario]')].map((r) => r.dataset.scenario),
      timelines: [...document.querySelectorAll('#timelines details.scenario')].map((d) => d.id.slice(9)),
      info: document.getElementById('page-info').textContent,
    })`);
    const all = await state();
    expect(all.rows).toEqual(record.scenarios.map((s) => s.id));
    expect(all.timelines).toEqual(all.rows);
    expect(all.info).toBe(`${record.scenarios.length} of ${record.scenarios.length} scenarios · page 1 of 1`);
    await page.evaluate(
      `(() => { const box = document.getElementById('failed-only'); box.checked = true; box.dispatchEvent(new Event('change')); })()`,
    );
    await page.evaluate(TIMELINES_READY);
    const failed = record.scenarios.filter((s) => !s.summary.pass).map((s) => s.id);
    expect((await state()).rows).toEqual(failed);
    expect((await state()).timelines).toEqual(failed);
    await page.evaluate(
      `(() => { const f = document.getElementById('filter'); f.value = 'tickets-c'; f.dispatchEvent(new Event('input')); })()`,
    );
    await page.evaluate(TIMELINES_READY);
    expect((await state()).rows).toEqual(['critical-tickets-changed-question']);
    expect((await state()).info).toBe(`1 of ${record.scenarios.length} scenarios · page 1 of 1`);
    // A passing scenario's link clears the filters that hide it and opens its timeline.
    await page.evaluate(`location.hash = '#scenario-critical-tickets-cust-001'`);
    await page.evaluate(`new Promise((r) => setTimeout(r, 50))`);
    await page.evaluate(TIMELINES_READY);
    expect((await state()).rows).toEqual(all.rows);
    expect(await page.evaluate<boolean>(`document.getElementById('scenario-critical-tickets-cust-001').open`)).toBe(true);
    expect(page.log.exceptions).toEqual([]);
  });

  it('takes a non-empty PNG screenshot of the whole page', async () => {
    await page.evaluate(`document.getElementById('collapse-all').click();
      for (const id of ['scenario-critical-tickets-changed-question', 'scenario-err-ticket-not-found']) document.getElementById(id).open = true;`);
    const png = await page.screenshot();
    const path = join(dir, 'report.png');
    writeFileSync(path, png);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(statSync(path).size).toBeGreaterThan(20_000);
    expect(page.log.exceptions).toEqual([]);
  });

  it('leaves no Chromium process and no profile behind once the page is closed', async () => {
    const { pid, profileDir } = page;
    expect(livingGroupMembers(pid).length).toBeGreaterThan(0);
    await page.close();
    expect(livingGroupMembers(pid)).toEqual([]);
    expect(existsSync(profileDir)).toBe(false);
    expect(timelinesOf(readFileSync(join(dir, 'report.html'), 'utf8')).join('')).toContain('&lt;script&gt;window.__pwned');
  });
});

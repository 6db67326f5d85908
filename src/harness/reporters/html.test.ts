import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sampleRecord, sampleScenario, sampleTranscript, sampleTrial } from '../../../test/support/run-records.ts';
import { runRecord } from '../results/records.ts';
import { endToEndStrip, latencySeries, niceTicks, percentileChart, STRIP_MAX_ROWS } from './html-charts.ts';
import { RESULT_PREVIEW_CHARS, scenarioTimeline } from './html-timeline.ts';
import { PAGE_SIZE, reportHtml } from './html.ts';
import { chunksOf, rowIndexOf, rowsOf, timelinesOf } from '../../../test/support/report-page.ts';

const RUN = {
  runId: 'r',
  startedAt: '2025-10-05T12:00:00.000Z',
  durationMs: 10,
  mode: 'replay' as const,
  authored: false,
  model: 'gpt-4o-mini',
  trials: 1,
  k: 1,
  shard: null,
};

const HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)> & "quoted"';

/** The text between a start tag matching `open` and the next `</script>`. */
function scriptBody(html: string, open: RegExp): string {
  const start = open.exec(html);
  if (!start) throw new Error(`no ${open} in the page`);
  const from = start.index + start[0].length;
  return html.slice(from, html.indexOf('</script>', from));
}

describe('reportHtml', () => {
  const record = sampleRecord();
  const html = reportHtml(record);

  it('escapes scenario text wherever it appears, the embedded JSON included', () => {
    const hostile = runRecord(RUN, [
      sampleScenario(
        'hostile',
        [
          sampleTrial(1, [sampleTranscript(HOSTILE, [], HOSTILE)], {
            pass: false,
            reason: HOSTILE,
            failures: [{ name: 'answer', pass: false, reason: HOSTILE }],
          }),
        ],
        1,
        { description: HOSTILE },
      ),
    ]);
    const page = reportHtml(hostile);
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img');
    expect(rowsOf(page).join('')).toContain(
      '&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quoted&quot;',
    );
    // The row index, one chunk and the page's own script; nothing else is a script.
    expect(page.match(/<script/g)).toHaveLength(3);
    const index = rowIndexOf(page);
    expect(index.rows.map((r) => r.slice(0, 2))).toEqual([['hostile', 'failed']]);
    const [row] = rowsOf(page);
    expect(row).not.toContain('<script');
    expect(row).toContain('&lt;/script&gt;&lt;script&gt;alert(1)');
    const [timeline] = timelinesOf(page);
    expect(timeline).toContain('<p class="description">&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(timeline).not.toMatch(/<script|<img/);
  });

  it('indexes every scenario in table order with its status, row and the chunk and place of its timeline', () => {
    const index = rowIndexOf(html);
    expect(index).toMatchObject({ run_id: record.run_id, page_size: PAGE_SIZE });
    expect(index.rows.map((r) => [r[0], r[2], r[3]])).toEqual(record.scenarios.map((s, i) => [s.id, 0, i]));
    expect(index.rows.map((r) => r[1])).toEqual(
      record.scenarios.map((s) => (s.summary.pass ? 'passed' : expect.not.stringMatching(/^passed$/))),
    );
    const timelines = timelinesOf(html);
    expect(timelines.map((t) => /id="scenario-([^"]+)"/.exec(t)?.[1])).toEqual(record.scenarios.map((s) => s.id));
    expect(rowsOf(html).map((r) => /data-scenario="([^"]+)"/.exec(r)?.[1])).toEqual(record.scenarios.map((s) => s.id));
  });

  it('splits a large run into chunks of one page each, every scenario in the chunk and place its row names', () => {
    const many = runRecord(
      RUN,
      Array.from({ length: PAGE_SIZE * 2 + 5 }, (_, i) =>
        sampleScenario(`s-${String(i).padStart(3, '0')}`, [sampleTrial(1, [sampleTranscript('q', [], 'a')])], 1),
      ),
    );
    const page = reportHtml(many);
    const index = rowIndexOf(page);
    expect(new Set(index.rows.map((r) => r[2]))).toEqual(new Set([0, 1, 2]));
    const chunks = chunksOf(page);
    expect(chunks.map((c) => [c.rows.length, c.timelines.length])).toEqual([
      [PAGE_SIZE, PAGE_SIZE],
      [PAGE_SIZE, PAGE_SIZE],
      [5, 5],
    ]);
    for (const [id, , chunk, place] of index.rows) {
      expect(chunks[chunk]?.timelines[place]).toContain(`id="scenario-${id}"`);
      expect(chunks[chunk]?.rows[place]).toContain(`data-scenario="${id}"`);
    }
  });

  it('allows only its own inline script, by hash, and no source of anything in its Content-Security-Policy', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const script = scriptBody(html, /<script>/);
    const hash = createHash('sha256').update(script).digest('base64');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
  });

  it('refers to nothing outside the file: no src, no external href, no url(), no @import', () => {
    expect(html).not.toMatch(/\ssrc=/);
    expect(html.match(/href="[^"]*"/g)?.every((h) => h.startsWith('href="#'))).toBe(true);
    expect(html).not.toMatch(/url\(|@import/);
  });

  it('shows the counts of the run in the overview cards', () => {
    const card = (metric: string) => new RegExp(`data-metric="${metric}"><span class="value">([^<]*)<`).exec(html)?.[1];
    expect([card('scenarios'), card('passed'), card('failed'), card('flaky'), card('infra'), card('pass-rate'), card('tokens')]).toEqual([
      '6',
      '2',
      '4',
      '1',
      '1',
      '50%',
      '20,800',
    ]);
  });

  it('names the price table the costs come from', () => {
    expect(html).toContain(`Cost estimated from price table ${record.price_table} (USD per million tokens)`);
  });
});

describe('latency charts', () => {
  it('collects end to end, model and one series per server/tool from the timed trials', () => {
    const series = latencySeries(sampleRecord());
    expect(series.queries.map((s) => [s.label, s.values.length])).toEqual([
      ['end to end', 16],
      ['model', 40],
    ]);
    expect(series.tools.map((s) => [s.label, s.values.length])).toEqual([
      ['tickets/get_ticket_details', 8],
      ['tickets/search_tickets', 16],
    ]);
  });

  it('draws p50, p95 and p99 bars to scale for each series', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const svg = percentileChart('Tools', [
      { label: 'tickets/search_tickets', values },
      { label: 'kb/search_solutions', values: values.map((v) => v / 2) },
    ]);
    const widths = [...svg.matchAll(/<rect class="bar p(\d+)" x="260" y="\d+" width="([\d.]+)"/g)].map((m) => [m[1], Number(m[2])]);
    // Axis 0–100 ms over 774 px: p50 = 50 ms is half the plot.
    expect(widths).toEqual([
      ['50', 387],
      ['95', 735.3],
      ['99', 766.3],
      ['50', 193.5],
      ['95', 367.6],
      ['99', 383.1],
    ]);
    expect(svg).toContain('<title>tickets/search_tickets p95: 95 ms (100 samples)</title>');
  });

  it('draws the slowest 50 scenarios of a large run in the strip plot, slowest first, and says so', () => {
    const scenarios = Array.from({ length: 120 }, (_, i) => {
      const trial = sampleTrial(1, [sampleTranscript('q', [], 'a')]);
      return sampleScenario(`s-${String(i).padStart(3, '0')}`, [{ ...trial, latency: { ...trial.latency, end_to_end_ms: i } }], 1);
    });
    const svg = endToEndStrip(scenarios);
    expect(svg).toContain(`the ${STRIP_MAX_ROWS} slowest of 120 scenarios by median, slowest first`);
    const labels = [...svg.matchAll(/<text class="label"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(labels).toEqual(Array.from({ length: STRIP_MAX_ROWS }, (_, i) => `s-${String(119 - i).padStart(3, '0')}`));
    expect(svg.match(/<circle/g)).toHaveLength(STRIP_MAX_ROWS);
  });

  it('lists a series without samples as such instead of drawing a bar', () => {
    const svg = percentileChart('Model', [{ label: 'model', values: [] }]);
    expect(svg).toContain('no samples');
    expect(svg).not.toContain('<rect class="bar');
  });

  it('puts axis ticks at 1, 2 or 5 times a power of ten up to the maximum', () => {
    expect(niceTicks(73)).toEqual([0, 20, 40, 60, 80]);
    expect(niceTicks(4.2)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(niceTicks(1200)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});

describe('scenario timeline', () => {
  const scenario = sampleRecord().scenarios.find((s) => s.id === 'ticket-not-found');

  it('shows each tool call with its server, arguments, duration and the error envelope it returned', () => {
    const html = scenarioTimeline(scenario!, 2);
    expect(html).toContain(
      'tool · <span class="tool-name">tickets/get_ticket_details</span> <span class="badge envelope-badge">error envelope</span>',
    );
    expect(html).toContain('<pre class="args">{\n  &quot;ticket_id&quot;: &quot;TKT-9999&quot;\n}</pre>');
    expect(html).toContain('<dt>error</dt><dd>Ticket TKT-9999 not found</dd>');
    expect(html).toContain('<dt>follow-up tools</dt><dd>search_tickets</dd>');
    expect(html).toContain('<span class="timing">+40 ms · 3.0 ms</span>');
  });

  it('cuts a long tool result in the page and says how much is left out', () => {
    const long = 'x'.repeat(RESULT_PREVIEW_CHARS + 250);
    const transcript = sampleTranscript('q', [{ name: 'get_article', server: 'kb', args: { id: 'KB-001' }, ms: 5, result: long }], 'a');
    const html = scenarioTimeline(sampleScenario('long', [sampleTrial(1, [transcript])], 1), 1);
    expect(html).toContain(`result · ${(RESULT_PREVIEW_CHARS + 250).toLocaleString('en-US')} characters`);
    expect(html).toContain('… (250 more characters in results.json)');
    expect(html).not.toContain('x'.repeat(RESULT_PREVIEW_CHARS + 1));
  });
});

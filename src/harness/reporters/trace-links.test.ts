import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sampleRecord } from '../../../test/support/run-records.ts';
import type { RunRecord } from '../results/records.ts';
import { reportHtml } from './html.ts';
import { summaryMarkdown } from './markdown.ts';
import { traceHref } from './report-format.ts';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

/** The sample run with every trial traced. */
function traced(): RunRecord {
  const record = sampleRecord();
  return { ...record, scenarios: record.scenarios.map((s) => ({ ...s, trials: s.trials.map((t) => ({ ...t, trace_id: TRACE })) })) };
}

/** The scenario timelines of report.html, unpacked from their gzip pages. */
function timelines(html: string): string {
  return [...html.matchAll(/<script type="application\/gzip" id="page-\d+">([^<]+)<\/script>/g)]
    .map((m) =>
      (JSON.parse(gunzipSync(Buffer.from(m[1] as string, 'base64')).toString('utf8')) as { timelines: string[] }).timelines.join(''),
    )
    .join('');
}

describe('trace IDs in the reports', () => {
  it('fills a trace viewer template, and gives nothing without one', () => {
    expect(traceHref('http://localhost:16686/trace/{trace_id}', TRACE)).toBe(`http://localhost:16686/trace/${TRACE}`);
    expect(traceHref(undefined, TRACE)).toBeUndefined();
    expect(traceHref('http://localhost:16686/', TRACE)).toBeUndefined();
  });

  it("names a failed scenario's trace in summary.md, linked when HELPDESK_TRACE_URL is set", () => {
    const plain = summaryMarkdown(traced());
    expect(plain).toMatch(new RegExp(`- \\*\\*wrong-tool\\*\\*.* · trace \`${TRACE}\``));
    const linked = summaryMarkdown(traced(), { traceUrl: 'http://localhost:16686/trace/{trace_id}' });
    expect(linked).toContain(`· trace [\`${TRACE}\`](http://localhost:16686/trace/${TRACE})`);
    expect(summaryMarkdown(sampleRecord())).not.toContain('· trace');
  });

  it("shows each traced trial's trace ID in report.html, as a link to the viewer when a template is set", () => {
    expect(timelines(reportHtml(traced()))).toContain(` · trace <code class="trace-id">${TRACE}</code>`);
    expect(timelines(reportHtml(traced(), { traceUrl: 'http://localhost:16686/trace/{trace_id}' }))).toContain(
      `<a href="http://localhost:16686/trace/${TRACE}" rel="noreferrer"><code class="trace-id">${TRACE}</code></a>`,
    );
    expect(timelines(reportHtml(sampleRecord()))).not.toContain('trace-id');
  });
});

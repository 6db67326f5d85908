import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../src/harness/reporters/write.ts';
import { writeComparison } from '../../src/harness/reporters/comparison.ts';
import { comparisonRecord } from '../../src/harness/results/comparison.ts';
import type { RunRecord } from '../../src/harness/results/records.ts';
import { startViewer, type Viewer } from '../../src/harness/viewer/server.ts';
import { rawRequest } from '../support/raw-http.ts';
import { BAD_FOLDERS, BASE_RUN, HEAD_RUN, HOSTILE_ID, writeViewerRuns } from '../support/viewer-runs.ts';

const SECRET = 'secret-outside-the-reports-folder-7f3a';
const ODD_RUN = 'odd <b>&"run"';

let dir: string;
let outside: string;
let viewer: Viewer;
let runs: { base: RunRecord; head: RunRecord };

const get = (path: string, options: { method?: string; host?: string } = {}) => rawRequest(viewer.port, path, options);

/** The rows of a page's table body with the given data attribute, as [value, row HTML]. */
function rows(html: string, attribute: string): [string, string][] {
  return [...html.matchAll(new RegExp(`<tr[^>]* ${attribute}="([^"]*)"[^>]*>(.*?)</tr>`, 'g'))].map((m) => [m[1] ?? '', m[2] ?? '']);
}

function section(html: string, id: string): string {
  const match = new RegExp(`<section id="${id}"[^>]*>(.*?)</section>`).exec(html);
  if (!match) throw new Error(`no section ${id}`);
  return match[1] ?? '';
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'helpdesk-viewer-'));
  outside = mkdtempSync(join(tmpdir(), 'helpdesk-outside-'));
  writeFileSync(join(outside, 'secret.txt'), SECRET);
  mkdirSync(join(outside, 'run'));
  writeFileSync(join(outside, 'run', 'report.html'), SECRET);
  runs = await writeViewerRuns(dir);
  // A run folder whose name is markup, a link out of a run folder, and a run folder that is a link out.
  await writeReports({ ...runs.base, run_id: ODD_RUN, started_at: '2025-10-01T00:00:00.000Z' }, join(dir, ODD_RUN));
  symlinkSync(join(outside, 'secret.txt'), join(dir, BASE_RUN, 'leak.txt'));
  symlinkSync(join(outside, 'run'), join(dir, 'linked-out'));
  viewer = await startViewer({ root: dir, port: 0 });
});

afterAll(async () => {
  await viewer?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('helpdesk view (the viewer over HTTP)', () => {
  it('listens on 127.0.0.1 only, on the port the system chose', () => {
    expect(viewer.url).toBe(`http://127.0.0.1:${viewer.port}/`);
    expect(viewer.port).toBeGreaterThan(0);
  });

  it('lists the runs newest first with their headline numbers, and the bad folders as unreadable with the reason', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toMatch(
      /^default-src 'none'; style-src 'sha256-[^']+'; img-src data:; base-uri 'none'; form-action 'self'/,
    );
    const listed = rows(page.body, 'data-run');
    expect(listed.map(([id]) => id)).toEqual([
      HEAD_RUN,
      BASE_RUN,
      'odd &lt;b&gt;&amp;&quot;run&quot;',
      'broken-json',
      'linked-out',
      'no-results',
      'wrong-version',
    ]);
    const cells = (row: string) => Object.fromEntries([...row.matchAll(/data-metric="([^"]+)">([^<]*)</g)].map((m) => [m[1], m[2]]));
    expect(cells(listed[0]?.[1] ?? '')).toEqual({ scenarios: '5', passed: '4', failed: '1', 'pass-rate': '80%', duration: '2.50 s' });
    expect(cells(listed[1]?.[1] ?? '')).toEqual({ scenarios: '4', passed: '3', failed: '1', 'pass-rate': '75%', duration: '2.50 s' });
    expect(listed[0]?.[1]).toContain(
      `<a href="/runs/${HEAD_RUN}/">${HEAD_RUN}</a></td><td>2025-10-06T12:00:00.000Z</td><td>replay</td><td>gpt-4o-mini</td>`,
    );
    expect(listed[0]?.[1]).toContain(`href="/compare?base=${BASE_RUN}&amp;head=${HEAD_RUN}"`);
    for (const [folder, reason] of Object.entries(BAD_FOLDERS)) {
      expect(listed.find(([id]) => id === folder)?.[1]).toMatch(new RegExp(`unreadable: [^<]*${reason}`));
    }
    expect(listed.find(([id]) => id === 'linked-out')?.[1]).toContain('outside the served folder');
    // The folder name is text wherever it appears: no element of it reaches the page.
    expect(page.body).not.toContain('<b>&');
    expect(page.body).toContain(`href="/runs/${encodeURIComponent(ODD_RUN).replace(/&/g, '&amp;')}/"`);
    expect(page.body).not.toContain(SECRET);
  });

  it('offers two selects that compare the newest run with the one before it', async () => {
    const { body } = await get('/');
    expect(body).toMatch(/<form class="pick" method="get" action="\/compare">/);
    expect(body).toMatch(new RegExp(`<select name="base" id="base">.*<option value="${BASE_RUN}" selected>`));
    expect(body).toMatch(new RegExp(`<select name="head" id="head"><option value="${HEAD_RUN}" selected>`));
  });

  it("serves a run's report.html as it is at /runs/<id>/, and redirects /runs/<id> there", async () => {
    const page = await get(`/runs/${HEAD_RUN}/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toBe(readFileSync(join(dir, HEAD_RUN, 'report.html'), 'utf8'));
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect((await get(`/runs/${HEAD_RUN}/report.html`)).body).toBe(page.body);
    const bare = await get(`/runs/${HEAD_RUN}`);
    expect(bare.status).toBe(301);
    expect(bare.headers.location).toBe(`/runs/${HEAD_RUN}/`);
  });

  it.each([
    ['results.json', 'application/json; charset=utf-8'],
    ['junit.xml', 'application/xml; charset=utf-8'],
    ['summary.md', 'text/markdown; charset=utf-8'],
  ])('serves %s of a run byte for byte as %s', async (file, type) => {
    const page = await get(`/runs/${BASE_RUN}/${file}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe(type);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body).toBe(readFileSync(join(dir, BASE_RUN, file), 'utf8'));
    const head = await get(`/runs/${BASE_RUN}/${file}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(page.body));
    expect(head.body).toBe('');
  });

  it('compares two runs: headline numbers of both, then regressions, fixes, new and removed scenarios, latency changes', async () => {
    const page = await get(`/compare?base=${BASE_RUN}&head=${HEAD_RUN}`);
    expect(page.status).toBe(200);
    expect(page.body.indexOf('id="regressions"')).toBeLessThan(page.body.indexOf('id="fixes"'));
    expect(page.body.indexOf('id="fixes"')).toBeLessThan(page.body.indexOf('id="added"'));
    expect(page.body.indexOf('id="removed"')).toBeLessThan(page.body.indexOf('id="costs"'));
    const headline = Object.fromEntries(
      [...page.body.matchAll(/<tr data-metric="([^"]+)"><th>[^<]*<\/th><td class="num">([^<]*)<\/td><td class="num">([^<]*)<\/td>/g)].map(
        (m) => [m[1], [m[2], m[3]]],
      ),
    );
    expect(headline).toMatchObject({ scenarios: ['4', '5'], passed: ['3', '4'], failed: ['1', '1'], 'trial pass rate': ['75%', '80%'] });
    const regressions = rows(section(page.body, 'regressions'), 'data-kind');
    expect(regressions.map(([kind, row]) => [kind, /data-scenario|>([a-z-]+)<\/a>/.exec(row)?.[1]])).toEqual([
      ['newly_failing', 'password-reset'],
      ['pass_k_drop', 'password-reset'],
    ]);
    expect(regressions[0]?.[1]).toContain(`<a class="scenario" href="/runs/${HEAD_RUN}/#scenario-password-reset">password-reset</a>`);
    expect(regressions[0]?.[1]).toContain(`passed in ${BASE_RUN}, fails now (0/2 trials pass)`);
    const ids = (name: string) =>
      [...section(page.body, name).matchAll(/<a class="scenario" href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[2], m[1]]);
    expect(ids('fixes')).toEqual([['vpn-outage', `/runs/${HEAD_RUN}/#scenario-vpn-outage`]]);
    expect(ids('added')).toEqual([
      ['new-&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;', `/runs/${HEAD_RUN}/#scenario-${encodeURIComponent(HOSTILE_ID)}`],
      ['new-laptop', `/runs/${HEAD_RUN}/#scenario-new-laptop`],
    ]);
    expect(ids('removed')).toEqual([['old-printer', `/runs/${BASE_RUN}/#scenario-old-printer`]]);
    expect(section(page.body, 'costs')).toContain('p95 end-to-end latency rose from 82 ms to 570 ms');
    expect(page.body).not.toContain('<img');
  });

  it('shows the latency fall as better when the runs are compared the other way round', async () => {
    const page = await get(`/compare?base=${HEAD_RUN}&head=${BASE_RUN}`);
    expect(section(page.body, 'regressions')).toContain('data-scenario="vpn-outage"');
    expect(section(page.body, 'fixes')).toContain('data-scenario="password-reset"');
    expect(section(page.body, 'costs')).toMatch(
      /data-direction="better" data-scenario="slow-lookup".*p95 end-to-end latency fell from 570 ms to 82 ms/,
    );
  });

  it('answers 404 naming the run when a compared run does not exist, 400 when one is not given, 422 when it is unreadable', async () => {
    const missing = await get(`/compare?base=${BASE_RUN}&head=no-such-run%3Cx%3E`);
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('no run &quot;no-such-run&lt;x&gt;&quot;');
    const traversal = await get(`/compare?base=..%2F..%2Fetc&head=${HEAD_RUN}`);
    expect(traversal.status).toBe(404);
    expect(traversal.body).toContain('no run &quot;../../etc&quot;');
    expect((await get(`/compare?base=${BASE_RUN}`)).status).toBe(400);
    const unreadable = await get(`/compare?base=broken-json&head=${HEAD_RUN}`);
    expect(unreadable.status).toBe(422);
    expect(unreadable.body).toContain('run &quot;broken-json&quot;: results.json is not valid JSON');
  });

  it.each([
    '/runs/../../etc/passwd',
    '/runs/%2e%2e/%2e%2e/etc/passwd',
    `/runs/${BASE_RUN}/..%2f..%2fetc%2fpasswd`,
    `/runs/${BASE_RUN}/%2e%2e/${HEAD_RUN}/results.json`,
    '/runs/%2Fetc/passwd',
    '//etc/passwd',
    `/runs/${BASE_RUN}/%00results.json`,
    `/runs/${BASE_RUN}/leak.txt`,
    '/runs/linked-out/',
    '/runs/linked-out/report.html',
    `/runs/${BASE_RUN}/${encodeURIComponent('/etc/passwd')}`,
    '/runs/.hidden/',
  ])('refuses %s with 400 or 404 and shows nothing of what lies outside', async (path) => {
    const page = await get(path);
    expect([400, 404]).toContain(page.status);
    expect(page.body).not.toContain(SECRET);
    expect(page.body).not.toContain('root:');
  });

  it('answers 404 for a file a run does not have and for a path it does not serve', async () => {
    const file = await get(`/runs/${BASE_RUN}/nothing.json`);
    expect(file.status).toBe(404);
    expect(file.body).toContain('has no file nothing.json');
    expect((await get('/elsewhere')).status).toBe(404);
    expect((await get('/runs/no-such-run/')).body).toContain('no run &quot;no-such-run&quot;');
  });

  it('answers 405 to anything but GET and HEAD, and 421 to a host name other than its own', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const page = await get('/', { method });
      expect(page.status).toBe(405);
      expect(page.headers.allow).toBe('GET, HEAD');
    }
    expect((await get('/', { host: `attacker.example:${viewer.port}` })).status).toBe(421);
    expect((await get('/', { host: `localhost:${viewer.port}` })).status).toBe(200);
  });

  it('reads a run again once its results.json changes', async () => {
    const before = await get('/');
    expect(rows(before.body, 'data-run').find(([id]) => id === BASE_RUN)?.[1]).toContain('data-metric="scenarios">4<');
    await writeReports(
      { ...runs.base, scenarios: runs.base.scenarios.slice(0, 1), totals: { ...runs.base.totals, scenarios: 1 } },
      join(dir, BASE_RUN),
    );
    const after = await get('/');
    expect(rows(after.body, 'data-run').find(([id]) => id === BASE_RUN)?.[1]).toContain('data-metric="scenarios">1<');
    await writeReports(runs.base, join(dir, BASE_RUN));
  });

  it('lists a run folder added while it serves, and forgets it once removed', async () => {
    await writeReports({ ...runs.head, run_id: 'later', started_at: '2025-10-07T00:00:00.000Z' }, join(dir, 'later'));
    expect(rows((await get('/')).body, 'data-run')[0]?.[0]).toBe('later');
    rmSync(join(dir, 'later'), { recursive: true });
    expect(rows((await get('/')).body, 'data-run').map(([id]) => id)).not.toContain('later');
    expect((await get('/compare?base=later&head=later')).status).toBe(404);
  });

  it('frees its port when closed', async () => {
    const other = await startViewer({ root: dir });
    expect((await fetch(other.url)).status).toBe(200);
    await other.close();
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(other.port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});

describe('helpdesk view of a comparison of models', () => {
  it("lists the comparison with its models and how many scenarios differ, opens comparison.html at /runs/<id>/, and serves each model's report inside it", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'helpdesk-viewer-models-'));
    const own = await startViewer({ root: folder, port: 0 });
    try {
      const compared = join(folder, 'compare-run');
      await writeReports(runs.base, join(compared, 'model-a'));
      await writeReports(runs.head, join(compared, 'model-b'));
      const record = comparisonRecord({ runId: 'compare-run', startedAt: '2025-10-06T00:00:00.000Z', durationMs: 1500, selected: 2 }, [
        { label: 'model-a', model: 'model-a', api: 'chat', report: 'model-a', record: runs.base },
        { label: 'model-b', model: 'model-b', api: 'responses', report: 'model-b', record: runs.head },
      ]);
      writeComparison(record, compared);
      const fetchPage = (path: string) => rawRequest(own.port, path);

      const index = await fetchPage('/');
      const [row] = rows(index.body, 'data-run');
      expect(row?.[0]).toBe('compare-run');
      expect(row?.[1]).toContain('model-a vs model-b');
      expect(row?.[1]).toContain(`${record.differing.length} scenario${record.differing.length === 1 ? '' : 's'} differ`);
      expect(record.differing.length).toBeGreaterThan(0);
      expect(index.body).toContain('1 comparison of models');
      expect(index.body).not.toContain('data-status="unreadable"');

      const page = await fetchPage('/runs/compare-run/');
      expect(page.status).toBe(200);
      expect(page.body).toBe(readFileSync(join(compared, 'comparison.html'), 'utf8'));
      const inner = await fetchPage('/runs/compare-run/model-b/report.html');
      expect(inner.status).toBe(200);
      expect(inner.body).toBe(readFileSync(join(compared, 'model-b', 'report.html'), 'utf8'));

      writeFileSync(join(compared, 'comparison.json'), '{"kind":"comparison"}');
      const broken = await fetchPage('/');
      expect(rows(broken.body, 'data-run')[0]?.[1]).toContain('unreadable: comparison.json: schema_version');
    } finally {
      await own.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViewer, type Viewer } from '../../src/harness/viewer/server.ts';
import { chromiumMissing, livingGroupMembers, openChromiumPage, type ChromiumPage } from '../support/chromium.ts';
import { TIMELINES_READY } from '../support/report-page.ts';
import { BASE_RUN, HEAD_RUN, writeViewerRuns } from '../support/viewer-runs.ts';

const missing = chromiumMissing();
if (missing) console.warn(`test/e2e/viewer-browser.test.ts: browser tests skipped because ${missing}`);

let dir: string;
let viewer: Viewer;
let page: ChromiumPage;

/** Clicks the element `selector` names and waits until the page that loads has a URL matching `url` and has loaded. */
async function follow(selector: string, url: RegExp): Promise<string> {
  const before = await page.evaluate<string>('location.href');
  await page.evaluate(`document.querySelector(${JSON.stringify(selector)}).click()`);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    // While the next document replaces this one, evaluating may fail: that is the navigation, so try again.
    const state = await page
      .evaluate<{ href: string; ready: string }>('({ href: location.href, ready: document.readyState })')
      .catch(() => undefined);
    if (state && state.href !== before && url.test(state.href) && state.ready === 'complete') return state.href;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`clicking ${selector} on ${before} did not load a page matching ${url} within 10 s`);
}

describe.skipIf(missing !== null)('helpdesk view in headless Chromium', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'helpdesk-viewer-browser-'));
    await writeViewerRuns(dir);
    viewer = await startViewer({ root: dir, port: 0 });
    page = await openChromiumPage({ width: 1280, height: 900 });
    await page.goto(viewer.url);
  }, 30_000);

  afterAll(async () => {
    await page?.close();
    await viewer?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists both runs newest first and the unreadable folders with their reasons', async () => {
    const runs = await page.evaluate<[string, string][]>(`[...document.querySelectorAll('table.runs tbody tr')]
      .map((r) => [r.dataset.run, r.dataset.status])`);
    expect(runs).toEqual([
      [HEAD_RUN, 'failed'],
      [BASE_RUN, 'failed'],
      ['broken-json', 'unreadable'],
      ['no-results', 'unreadable'],
      ['wrong-version', 'unreadable'],
    ]);
    expect(await page.evaluate<string>(`document.querySelector('tr[data-run="no-results"] .reason').textContent`)).toBe(
      'unreadable: no results.json',
    );
    expect(await page.evaluate<[string, string]>(`[document.getElementById('base').value, document.getElementById('head').value]`)).toEqual(
      [BASE_RUN, HEAD_RUN],
    );
  });

  it('opens the comparison from the form and shows the regression first, with the scenario linking into the head run', async () => {
    const href = await follow('#compare', /\/compare\?/);
    expect(href).toBe(`${viewer.url}compare?base=${BASE_RUN}&head=${HEAD_RUN}`);
    const sections = await page.evaluate<[string, string][]>(
      `[...document.querySelectorAll('main section')].map((s) => [s.id, s.dataset.count])`,
    );
    expect(sections).toEqual([
      ['regressions', '2'],
      ['fixes', '1'],
      ['added', '2'],
      ['removed', '1'],
      ['costs', '1'],
    ]);
    const row = await page.evaluate<{ text: string; visible: boolean; link: string }>(`(() => {
      const row = document.querySelector('#regressions tr[data-kind="newly_failing"]');
      return { text: row.innerText, visible: row.getBoundingClientRect().height > 0, link: row.querySelector('a.scenario').href };
    })()`);
    expect(row.visible).toBe(true);
    expect(row.text).toContain('password-reset');
    expect(row.text).toContain(`passed in ${BASE_RUN}, fails now (0/2 trials pass)`);
    expect(row.link).toBe(`${viewer.url}runs/${HEAD_RUN}/#scenario-password-reset`);
    // The hostile scenario ID is text on the page, not an element.
    expect(await page.evaluate<boolean>('window.__pwned === undefined && document.querySelectorAll("main img").length === 0')).toBe(true);
  });

  it("follows the regression's link into the run's report, which opens that scenario's timeline", async () => {
    const href = await follow('#regressions tr[data-kind="newly_failing"] a.scenario', /\/runs\//);
    expect(href).toBe(`${viewer.url}runs/${HEAD_RUN}/#scenario-password-reset`);
    await page.evaluate(TIMELINES_READY);
    expect(await page.evaluate<string>('document.documentElement.dataset.runId')).toBe(HEAD_RUN);
    const shown = await page.evaluate<{ status: string; open: boolean; answer: string }>(`(() => {
      const timeline = document.getElementById('scenario-password-reset');
      return {
        status: document.querySelector('tr[data-scenario="password-reset"]').dataset.status,
        open: timeline.open,
        answer: timeline.textContent,
      };
    })()`);
    expect(shown).toMatchObject({ status: 'failed', open: true });
    expect(shown.answer).toContain('TKT-1001 only.');
  });

  it('logs no console error, exception or failed request, and requests nothing but the viewer', () => {
    expect(page.log.consoleErrors).toEqual([]);
    expect(page.log.exceptions).toEqual([]);
    expect(page.log.failedRequests).toEqual([]);
    expect(page.log.requests.length).toBeGreaterThanOrEqual(3);
    expect(page.log.requests.filter((url) => !url.startsWith(viewer.url))).toEqual([]);
    expect(page.log.requests).toContain(`${viewer.url}runs/${HEAD_RUN}/`);
  });

  it('leaves no Chromium process and no profile behind once the page is closed', async () => {
    const { pid, profileDir } = page;
    await page.close();
    expect(livingGroupMembers(pid)).toEqual([]);
    expect(existsSync(profileDir)).toBe(false);
  });
});

import { gunzipSync } from 'node:zlib';

/** The chunks of report.html, unpacked: each page's table rows and timelines as HTML, in table order. */
export function chunksOf(html: string): { rows: string[]; timelines: string[] }[] {
  const chunks = [...html.matchAll(/<script type="application\/gzip" id="page-(\d+)">([^<]*)<\/script>/g)];
  return chunks.map(
    (m) => JSON.parse(gunzipSync(Buffer.from(m[2] ?? '', 'base64')).toString('utf8')) as { rows: string[]; timelines: string[] },
  );
}

/** The timelines report.html carries in its gzip chunks, as HTML, in table order. */
export function timelinesOf(html: string): string[] {
  return chunksOf(html).flatMap((c) => c.timelines);
}

/** The table rows report.html carries in its gzip chunks, as HTML, in table order. */
export function rowsOf(html: string): string[] {
  return chunksOf(html).flatMap((c) => c.rows);
}

/** The page's row index: run ID, page size and one row per scenario (ID, status, chunk, place in it). */
export function rowIndexOf(html: string): { run_id: string; page_size: number; rows: [string, string, number, number][] } {
  const start = html.indexOf('<script type="application/json" id="run-index">');
  if (start < 0) throw new Error('report.html has no run-index');
  const from = html.indexOf('>', start) + 1;
  return JSON.parse(html.slice(from, html.indexOf('</script>', from)));
}

/** A page expression that resolves once report.html has drawn the timelines of its current page. */
export const TIMELINES_READY = `new Promise((resolve, reject) => {
  const started = Date.now();
  const check = () => {
    if (document.documentElement.dataset.timelines === 'ready') resolve(true);
    else if (Date.now() - started > 10000) reject(new Error('the timelines were not drawn within 10 s'));
    else setTimeout(check, 5);
  };
  check();
})`;

// `npm run bench:traces` (and a row of `npm run bench`): what tracing costs. The built-in suite
// replayed by `helpdesk eval` as a user runs it, without OTEL_EXPORTER_OTLP_ENDPOINT (the SDK is
// never loaded) and with it (every span exported to an OTLP/HTTP receiver on loopback), in
// alternating runs so drift in the machine's speed hits both alike; medians and their ratio.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median } from './bench-startup.ts';
import { isMain } from './is-main.ts';

const ROOT = resolve(import.meta.dirname, '..');
const HELPDESK = join(ROOT, 'src', 'cli', 'helpdesk.mjs');

/** One `helpdesk eval` of the built-in suite (replay); its wall time in ms. */
async function replay(env: NodeJS.ProcessEnv, report: string): Promise<number> {
  const started = performance.now();
  const code = await new Promise<number | null>((done) =>
    spawn(process.execPath, [HELPDESK, 'eval', '--report-dir', report], { cwd: ROOT, env, stdio: 'ignore' }).on('exit', done),
  );
  if (code !== 0) throw new Error(`helpdesk eval exited with ${code}`);
  return performance.now() - started;
}

export interface TraceCost {
  readonly untraced: number;
  readonly traced: number;
  /** Median of the per-pair ratios traced / untraced. */
  readonly ratio: number;
  readonly spans: number;
}

/** `runs` pairs of replays of the built-in suite, untraced and traced. */
export async function traceCost(runs: number): Promise<TraceCost> {
  let spans = 0;
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      spans += (body.match(/"spanId"/g) ?? []).length;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-bench-traces-'));
  const { OTEL_EXPORTER_OTLP_ENDPOINT: _a, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: _b, ...plain } = process.env;
  const traced = { ...plain, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint };
  try {
    await replay(plain, join(dir, 'warm'));
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const first = i % 2 === 0;
      if (first) a.push(await replay(plain, join(dir, `a${i}`)));
      b.push(await replay(traced, join(dir, `b${i}`)));
      if (!first) a.push(await replay(plain, join(dir, `a${i}`)));
    }
    return {
      untraced: median(a),
      traced: median(b),
      ratio: median(b.map((x, i) => x / (a[i] as number))),
      spans: Math.round(spans / runs),
    };
  } finally {
    receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const runs = Number(process.env.BENCH_RUNS ?? 9);
  const cost = await traceCost(runs);
  console.log(
    `built-in suite replayed (helpdesk eval), ${runs} pairs: untraced ${cost.untraced.toFixed(0)} ms, traced ${cost.traced.toFixed(0)} ms ` +
      `(${cost.ratio.toFixed(2)}× untraced, ${cost.spans} spans a run to an OTLP receiver on loopback)`,
  );
}

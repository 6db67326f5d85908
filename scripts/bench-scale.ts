// The harness at scale, for `npm run bench`:
//   - a generated suite of N = 100, 1,000 and 10,000 scenarios replayed by `helpdesk eval` as a
//     user runs it: wall time (start-up included), per scenario, peak RSS of the eval process
//     (its worker threads included, its servers not), report sizes, and the time report.html
//     takes to open in headless Chromium until the first page of timelines is drawn;
//   - the same 1,000 scenarios in one thread and in two worker threads;
//   - 50 live queries at once on one server pool against a local OpenAI-compatible endpoint that
//     answers in 200 ms: results lost or misrouted, and the time the orchestrator adds per query.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DATASET_NOW } from '../src/shared/clock.ts';
import { runQuery } from '../src/orchestrator/agent-loop.ts';
import { builtinServers } from '../src/orchestrator/builtin-servers.ts';
import { OpenAIModel } from '../src/orchestrator/openai-model.ts';
import { systemPrompt } from '../src/orchestrator/prompt.ts';
import { scriptedResponse } from '../src/orchestrator/scripted-model.ts';
import { ServerPool } from '../src/orchestrator/server-pool.ts';
import { percentile } from '../src/harness/results/stats.ts';
import { chromiumMissing, openChromiumPage } from '../test/support/chromium.ts';
import { TIMELINES_READY } from '../test/support/report-page.ts';
import { generateSuite } from './scale-suite.ts';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const HELPDESK = join(ROOT, 'src', 'cli', 'helpdesk.ts');

/** One eval run of a generated suite, measured from outside. */
export interface ScaleRun {
  readonly n: number;
  readonly workers: number;
  readonly wallMs: number;
  readonly peakRssMb: number;
  readonly passed: number;
  readonly htmlMb: number;
  readonly resultsMb: number;
  readonly openMs: number | null;
}

/** Peak RSS so far of a live process (Linux /proc), in MB. */
function peakRss(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs `helpdesk eval` on a generated suite and measures it; the report opens in Chromium when asked. */
export async function runScale(n: number, workers: number, options: { open: boolean; concurrency?: number }): Promise<ScaleRun> {
  const dir = mkdtempSync(join(tmpdir(), `helpdesk-scale-${n}-`));
  try {
    const suite = generateSuite(n, join(dir, 'suite'));
    const report = join(dir, 'report');
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [
        HELPDESK,
        'eval',
        '--scenarios',
        suite.scenarios,
        '--recordings',
        suite.recordings,
        '--report-dir',
        report,
        '--workers',
        String(workers),
        '--concurrency',
        String(options.concurrency ?? 4),
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'ignore'] },
    );
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, peakRss(child.pid as number));
    }, 20);
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    clearInterval(sampler);
    const wallMs = performance.now() - started;
    if (code !== 0 && code !== 1) throw new Error(`helpdesk eval exited with ${code} on ${n} scenarios`);
    const results = JSON.parse(readFileSync(join(report, 'results.json'), 'utf8')) as { totals: { passed: number } };
    const size = (name: string) => statSync(join(report, name)).size / 1e6;
    return {
      n,
      workers,
      wallMs,
      peakRssMb: peak,
      passed: results.totals.passed,
      htmlMb: size('report.html'),
      resultsMb: size('results.json'),
      openMs: options.open ? await openTime(join(report, 'report.html')) : null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds from navigating to report.html until the table and the first page of timelines are drawn (median of 3). */
async function openTime(path: string): Promise<number | null> {
  if (chromiumMissing()) return null;
  const times: number[] = [];
  const page = await openChromiumPage({ timeoutMs: 60_000 });
  try {
    for (let i = 0; i < 3; i += 1) {
      await page.goto('about:blank');
      const started = performance.now();
      await page.goto(pathToFileURL(path).href, 60_000);
      await page.evaluate(TIMELINES_READY);
      times.push(performance.now() - started);
    }
    if (page.log.exceptions.length > 0) throw new Error(`report.html threw: ${page.log.exceptions.join('; ')}`);
  } finally {
    await page.close();
  }
  return percentile(times, 50);
}

/** Text of a chat message's content. */
const text = (content: unknown) => (typeof content === 'string' ? content : JSON.stringify(content ?? ''));

/**
 * An OpenAI-compatible endpoint that thinks for `delayMs`: asked about a ticket it calls
 * get_ticket_details for it; given the tool result it answers with the ticket's ID and subject.
 */
async function thinkingEndpoint(delayMs: number): Promise<{ server: Server; url: string }> {
  let count = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const request = JSON.parse(body) as { messages: { role: string; content: unknown }[] };
      const last = request.messages.at(-1);
      count += 1;
      let reply: { answer: string } | { toolCalls: { name: string; arguments: unknown }[] };
      if (last?.role === 'tool') {
        const ticket = JSON.parse(text(last.content)) as { ticket_id?: string; subject?: string };
        reply = { answer: `${ticket.ticket_id}: ${ticket.subject}` };
      } else {
        const id = /TKT-\d+/.exec(text(last?.content))?.[0] ?? 'TKT-0000';
        reply = { toolCalls: [{ name: 'get_ticket_details', arguments: { ticket_id: id } }] };
      }
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'chat.completion', created: 0, ...scriptedResponse(reply, 'bench-model', count) }));
      }, delayMs);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` };
}

/** 50 live queries at once on one pool: lost or misrouted answers, and what the orchestrator adds per query. */
export async function liveConcurrency(
  queries = 50,
  delayMs = 200,
): Promise<{ lost: number; misrouted: number; toolP99: number; loopP99: number; wallMs: number }> {
  const { server, url } = await thinkingEndpoint(delayMs);
  const pool = await ServerPool.open(builtinServers(process.execPath), { baseEnv: { HELPDESK_NOW: DATASET_NOW } });
  try {
    const subjects = new Map<string, string>();
    const ids = Array.from({ length: 15 }, (_, i) => `TKT-${1001 + i}`);
    for (const id of ids) {
      const result = await pool.callTool('get_ticket_details', { ticket_id: id });
      subjects.set(id, (JSON.parse(result.content) as { subject: string }).subject);
    }
    const model = new OpenAIModel({ apiKey: 'bench-local-endpoint', baseURL: url, model: 'bench-model', maxRetries: 0 });
    const prompt = systemPrompt('2025-10-05');
    const started = performance.now();
    const runs = await Promise.all(
      Array.from({ length: queries }, async (_, i) => {
        const id = ids[i % ids.length] as string;
        const { transcript } = await runQuery({ model, tools: pool, query: `What is the status of ticket ${id}?`, systemPrompt: prompt });
        const modelMs = transcript.events.reduce((sum, e) => sum + (e.type === 'model_response' ? e.duration_ms : 0), 0);
        const toolMs = transcript.events.reduce((sum, e) => sum + (e.type === 'tool_result' ? e.duration_ms : 0), 0);
        return { id, answer: transcript.answer, toolMs, loopMs: transcript.duration_ms - modelMs - toolMs };
      }),
    );
    const wallMs = performance.now() - started;
    const lost = runs.filter((r) => !r.answer).length;
    const misrouted = runs.filter((r) => r.answer && r.answer !== `${r.id}: ${subjects.get(r.id)}`).length;
    const tools = runs.map((r) => r.toolMs);
    const loops = runs.map((r) => r.loopMs);
    return { lost, misrouted, toolP99: percentile(tools, 99), loopP99: percentile(loops, 99), wallMs };
  } finally {
    await pool.close();
    await new Promise((done) => server.close(done));
  }
}

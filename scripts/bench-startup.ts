// Start-up benchmark for the five MCP servers: spawn + initialize + tools/list, per launch form,
// for one server and for all five at once. Prints medians and ratios against a bare `node -e 0`
// measured in the same run (absolute times vary by up to 30% between runs on this machine).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { percentile } from '../src/harness/results/stats.ts';
import { buildServers, serverNames } from './build-servers.ts';
import { isMain } from './is-main.ts';

const root = resolve(import.meta.dirname, '..');
const runs = Number(process.env.BENCH_RUNS ?? 9);

type Launch = { label: string; args: (server: string) => string[] };
const LAUNCHES: Launch[] = [
  {
    label: 'tsx servers/<name>/index.ts',
    args: (s) => [resolve(root, 'node_modules/tsx/dist/cli.mjs'), resolve(root, 'servers', s, 'index.ts')],
  },
  { label: 'node servers/<name>/index.ts (type stripping)', args: (s) => [resolve(root, 'servers', s, 'index.ts')] },
  { label: 'node dist/servers/<name>.mjs (bundle, default)', args: (s) => [resolve(root, 'dist/servers', `${s}.mjs`)] },
];

/** The median of some timings. */
export const median = (values: readonly number[]): number => percentile(values, 50);

/** How long a task takes, in ms. */
export async function time(task: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await task();
  return performance.now() - start;
}

function bareNode(): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.on('exit', () => done());
    child.on('error', fail);
  });
}

async function startAndList(args: string[]): Promise<void> {
  const client = new Client({ name: 'bench', version: '0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args, stderr: 'ignore' }));
  const { tools } = await client.listTools();
  if (tools.length !== 4) throw new Error(`expected 4 tools from ${args.join(' ')}, got ${tools.length}`);
  await client.close();
}

/** Medians in ms for a launch form: one server alone, and all five started concurrently. */
export async function measureStartup(launch: Launch): Promise<{ one: number; five: number }> {
  const names = serverNames();
  const one: number[] = [];
  const five: number[] = [];
  await startAndList(launch.args('tickets'));
  for (let i = 0; i < runs; i += 1) {
    one.push(await time(() => startAndList(launch.args('tickets'))));
    five.push(await time(() => Promise.all(names.map((name) => startAndList(launch.args(name))))));
  }
  return { one: median(one), five: median(five) };
}

if (isMain(import.meta.url)) {
  await buildServers();
  const baseline: number[] = [];
  for (let i = 0; i < runs; i += 1) baseline.push(await time(bareNode));
  const base = median(baseline);
  console.log(`start-up, median of ${runs} runs; baseline \`node -e 0\`: ${base.toFixed(0)} ms`);
  console.log('launch form'.padEnd(50), 'one server'.padStart(16), 'five at once'.padStart(18));
  for (const launch of LAUNCHES) {
    const { one, five } = await measureStartup(launch);
    console.log(
      launch.label.padEnd(50),
      `${one.toFixed(0)} ms (${(one / base).toFixed(1)}×)`.padStart(16),
      `${five.toFixed(0)} ms (${(five / base).toFixed(1)}×)`.padStart(18),
    );
  }
}

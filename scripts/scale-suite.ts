// A generated suite of N scenarios for measuring the harness at scale: the built-in scenarios that
// run on the built-in servers alone (no own servers, faults, variations or custom graders) copied round-robin
// under new IDs, each with its cassette. Used by `npm run bench` and by hand:
//   node scripts/scale-suite.ts <N> <folder>   → <folder>/scenarios, <folder>/recordings
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMain } from './is-main.ts';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

/** The folders of a generated suite. */
export interface ScaleSuite {
  readonly scenarios: string;
  readonly recordings: string;
  readonly count: number;
}

interface Source {
  readonly id: string;
  readonly scenario: Record<string, unknown>;
  readonly cassette: Record<string, unknown>;
}

/** The built-in scenarios a copy can be made of, with their cassettes. */
function sources(root: string): Source[] {
  const out: Source[] = [];
  for (const name of readdirSync(join(root, 'scenarios')).sort()) {
    if (!name.endsWith('.json') || name.endsWith('.schema.json')) continue;
    const scenario = JSON.parse(readFileSync(join(root, 'scenarios', name), 'utf8')) as Record<string, unknown>;
    // Custom graders import the project's code by relative path, so they stay behind.
    const expect = scenario.expect as Record<string, unknown> | undefined;
    if (scenario.servers || scenario.faults || scenario.variations || expect?.custom) continue;
    const id = String(scenario.id);
    let cassette: Record<string, unknown>;
    try {
      cassette = JSON.parse(readFileSync(join(root, 'recordings', `${id}.json`), 'utf8')) as Record<string, unknown>;
    } catch {
      continue;
    }
    out.push({ id, scenario, cassette });
  }
  return out;
}

/** Writes a suite of `count` scenarios into `dir` (emptied first). */
export function generateSuite(count: number, dir: string, root = ROOT): ScaleSuite {
  const from = sources(root);
  if (from.length === 0) throw new Error(`no copyable scenario with a cassette in ${root}`);
  const scenarios = join(dir, 'scenarios');
  const recordings = join(dir, 'recordings');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(scenarios, { recursive: true });
  mkdirSync(recordings, { recursive: true });
  for (let i = 0; i < count; i += 1) {
    const source = from[i % from.length] as Source;
    const id = `${source.id}--${String(Math.floor(i / from.length) + 1).padStart(4, '0')}`;
    const { $schema: _schema, ...scenario } = source.scenario;
    writeFileSync(join(scenarios, `${id}.json`), JSON.stringify({ ...scenario, id }));
    writeFileSync(join(recordings, `${id}.json`), JSON.stringify({ ...source.cassette, scenario: id }));
  }
  return { scenarios, recordings, count };
}

if (isMain(import.meta.url)) {
  const count = Number(process.argv[2]);
  const dir = process.argv[3];
  if (!Number.isInteger(count) || count < 1 || !dir) {
    process.stderr.write('usage: node scripts/scale-suite.ts <N> <folder>\n');
    process.exit(2);
  }
  const suite = generateSuite(count, resolve(dir));
  process.stdout.write(`${suite.count} scenarios in ${suite.scenarios}, cassettes in ${suite.recordings}\n`);
}

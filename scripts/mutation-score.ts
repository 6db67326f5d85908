// The mutation score of both runs of `npm run mutate` together (unit and process), per folder and
// file, with the surviving mutants listed by file and line. Reads the JSON reports Stryker wrote to
// reports/mutation/; exits 1 when the total is below the goal (MUTATION_GOAL, default 85).
import { existsSync, readFileSync } from 'node:fs';
import { matchesGlob, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const RUNS = ['unit', 'process'];
const goal = Number(process.env.MUTATION_GOAL ?? 85);

interface Mutant {
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly status: string;
  readonly location: { readonly start: { readonly line: number } };
}
interface Report {
  readonly files: Record<string, { readonly source: string; readonly mutants: readonly Mutant[] }>;
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

interface Tally {
  detected: number;
  undetected: number;
}
const score = (t: Tally) => (t.detected + t.undetected === 0 ? Number.NaN : (100 * t.detected) / (t.detected + t.undetected));
const add = (into: Map<string, Tally>, key: string, mutant: Mutant) => {
  const tally = into.get(key) ?? { detected: 0, undetected: 0 };
  if (DETECTED.has(mutant.status)) tally.detected += 1;
  if (UNDETECTED.has(mutant.status)) tally.undetected += 1;
  into.set(key, tally);
};

const byFile = new Map<string, Tally>();
const byFolder = new Map<string, Tally>();
const survivors: string[] = [];
const missing: string[] = [];
for (const run of RUNS) {
  const path = resolve(root, 'reports', 'mutation', `${run}.json`);
  if (!existsSync(path)) {
    missing.push(run);
    continue;
  }
  const report = JSON.parse(readFileSync(path, 'utf8')) as Report;
  // A report can carry verdicts of files its run no longer mutates (kept by the incremental file):
  // only the files the run's config names count, so no file is counted twice.
  const { default: config } = (await import(`../test/mutation/${run}.config.mjs`)) as { default: { mutate: string[] } };
  const owned = (name: string) =>
    config.mutate.some((glob) => !glob.startsWith('!') && matchesGlob(name, glob)) &&
    !config.mutate.some((glob) => glob.startsWith('!') && matchesGlob(name, glob.slice(1)));
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const name = relative(root, resolve(root, file));
    if (!owned(name)) continue;
    const folder = name.split('/').slice(0, -1).join('/');
    const lines = source.split('\n');
    for (const mutant of mutants) {
      add(byFile, name, mutant);
      add(byFolder, folder, mutant);
      add(byFolder, '(all)', mutant);
      if (UNDETECTED.has(mutant.status)) {
        const line = mutant.location.start.line;
        const code = (lines[line - 1] ?? '').trim().slice(0, 70);
        survivors.push(
          `${name}:${line}  ${mutant.status === 'NoCoverage' ? 'no test covers' : 'survived'}  ${mutant.mutatorName}  ${code}`,
        );
      }
    }
  }
}

if (missing.length === RUNS.length) {
  console.error('mutation-score: no report in reports/mutation/; run `npm run mutate` first');
  process.exit(2);
}
const row = (key: string, t: Tally) =>
  `${score(t).toFixed(1).padStart(6)} %  ${String(t.detected).padStart(5)} caught  ${String(t.undetected).padStart(4)} not  ${key}`;
console.log('Mutation score (killed + timed out) / (killed + timed out + survived + not covered):\n');
for (const [key, t] of [...byFolder].sort(([a], [b]) => a.localeCompare(b))) console.log(row(key, t));
console.log('');
for (const [key, t] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) console.log(row(key, t));
if (process.argv.includes('--survivors')) console.log(`\nNot caught (${survivors.length}):\n${survivors.join('\n')}`);
if (missing.length > 0) console.log(`\n(no report yet for the ${missing.join(', ')} run)`);
const total = score(byFolder.get('(all)') ?? { detected: 0, undetected: 0 });
console.log(`\nTotal ${total.toFixed(1)} % (goal ${goal} %)`);
process.exit(total >= goal ? 0 : 1);

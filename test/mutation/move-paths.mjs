// @ts-check
// After a `git mv` of mutated code or of tests, rewrites their paths in the committed incremental
// files so that Stryker keeps their verdicts. It keys each mutated file (`files`) and each test file
// (`testFiles`) by its path; a path it cannot find is a deleted file, and its verdicts are dropped.
// A moved test file keeps its stored source, so Stryker diffs it against the new one and re-runs
// only the tests whose own lines changed (new import paths above the tests change none).
//
//   node test/mutation/move-paths.mjs old/path.ts=new/path.ts [old/folder/=new/folder/ ...]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const moves = process.argv.slice(2).map((arg) => {
  const [from, to, ...rest] = arg.split('=');
  if (!from || !to || rest.length > 0 || from.endsWith('/') !== to.endsWith('/')) {
    throw new Error(`expected old=new (both files, or both folders ending in /), got "${arg}"`);
  }
  return { from, to };
});
if (moves.length === 0) throw new Error('usage: node test/mutation/move-paths.mjs old=new [old=new ...]');

/** The new path of `path`, or `path` itself when no move applies. */
function moved(path) {
  for (const { from, to } of moves) {
    if (path === from) return to;
    if (from.endsWith('/') && path.startsWith(from)) return to + path.slice(from.length);
  }
  return path;
}

for (const run of ['unit', 'process']) {
  const file = join(import.meta.dirname, `${run}.incremental.json`);
  const text = readFileSync(file, 'utf8');
  const report = JSON.parse(text);
  let count = 0;
  for (const key of ['files', 'testFiles']) {
    const entries = Object.entries(report[key] ?? {}).map(([path, value]) => {
      const next = moved(path);
      if (next !== path) count += 1;
      return [next, value];
    });
    if (new Set(entries.map(([path]) => path)).size !== entries.length) throw new Error(`${run}: two ${key} entries would share a path`);
    report[key] = Object.fromEntries(entries);
  }
  // Written back in the layout it had (compact as Stryker writes it, or indented), so the diff is the paths.
  const indent = /^\{\n( +)"/.exec(text)?.[1]?.length ?? 0;
  writeFileSync(file, JSON.stringify(report, null, indent) + (text.endsWith('\n') ? '\n' : ''));
  process.stdout.write(`${run}.incremental.json: ${count} path(s) rewritten\n`);
}

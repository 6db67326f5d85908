// The package build: src/ compiled to dist/ (JavaScript, declarations, source maps) by tsc with
// tsconfig.build.json, the command's plain-JavaScript launcher copied beside its entry, and the
// server bundles (build-servers.ts) in dist/servers/. Runs as `prepare`, so a clone's npm
// install, a git-URL install and npm pack all produce the same dist/.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildServers } from './build-servers.ts';
import { isMain } from './is-main.ts';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
/** Files the launcher needs beside the compiled entry; plain JavaScript, so copied as they are. */
const LAUNCHER = ['helpdesk.mjs', 'require-node.mjs'];

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * tsc rewrites `.ts` to `.js` in the JavaScript it emits but leaves the declarations' relative
 * specifiers as written; a consumer's TypeScript would then look for sources we do not ship.
 */
export function declarationSpecifiers(text: string): string {
  return text.replace(/((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]*?)\.ts(['"])/g, '$1$2.js$3');
}

/** Compiles src/ into dist/ (the server bundles' folder, dist/servers/, is left to buildServers). */
export function buildSource(): void {
  mkdirSync(dist, { recursive: true });
  // Whatever an earlier build left (a file since renamed or removed in src/ must not ship).
  for (const name of readdirSync(dist)) if (name !== 'servers') rmSync(join(dist, name), { recursive: true, force: true });
  const tsc = join(root, 'node_modules', '.bin', 'tsc');
  execFileSync(tsc, ['-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  for (const file of filesUnder(dist, '.d.ts')) {
    const text = readFileSync(file, 'utf8');
    const fixed = declarationSpecifiers(text);
    if (fixed !== text) writeFileSync(file, fixed);
  }
  for (const name of LAUNCHER) copyFileSync(join(root, 'src', 'cli', name), join(dist, 'cli', name));
}

if (isMain(import.meta.url)) {
  const outputs = await buildServers();
  buildSource();
  process.stderr.write(`built dist/ and ${outputs.length} server bundles in dist/servers/\n`);
}

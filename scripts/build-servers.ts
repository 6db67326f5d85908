// Bundles each MCP server into dist/servers/<name>.mjs (code the servers share, and the HTTP stack
// that only `--http` loads, in dist/servers/chunks/). Runs on `npm install`
// (the prepare script) and before the tests, so nobody runs a build step by hand. A bundle
// starts in about half the time of running the TypeScript source (see docs/servers.md, "Start-up").
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { writeFileAtomic } from '../src/shared/atomic-write.ts';
import { isMain } from './is-main.ts';

const root = resolve(import.meta.dirname, '..');

/** Server folders: every folder under servers/ that has an index.ts entry. */
export function serverNames(): string[] {
  const dir = join(root, 'servers');
  return readdirSync(dir)
    .filter((name) => {
      try {
        return statSync(join(dir, name, 'index.ts')).isFile();
      } catch {
        return false;
      }
    })
    .sort();
}

/** Builds all server bundles; returns their paths. */
export async function buildServers(): Promise<string[]> {
  const names = serverNames();
  const outdir = join(root, 'dist', 'servers');
  const result = await build({
    entryPoints: Object.fromEntries(names.map((name) => [name, join(root, 'servers', name, 'index.ts')])),
    outdir,
    outExtension: { '.js': '.mjs' },
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    target: 'node24',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  mkdirSync(outdir, { recursive: true });
  for (const file of result.outputFiles) {
    // Unchanged bundles keep their file but are marked fresh (the orchestrator compares mtimes with
    // the sources); changed ones are replaced atomically, so a server starting during a build never
    // reads half a file.
    let current: Buffer | undefined;
    try {
      current = readFileSync(file.path);
    } catch {
      current = undefined;
    }
    if (current?.equals(file.contents)) {
      const now = new Date();
      utimesSync(file.path, now, now);
      continue;
    }
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileAtomic(file.path, file.contents);
  }
  // Shared code and the lazily loaded HTTP stack live in hashed chunks: drop the ones no bundle uses now.
  const chunks = join(outdir, 'chunks');
  const current = new Set(result.outputFiles.map((file) => file.path));
  for (const name of readdirSync(chunks)) if (!current.has(join(chunks, name))) rmSync(join(chunks, name), { force: true });
  return names.map((name) => join(outdir, `${name}.mjs`));
}

if (isMain(import.meta.url)) {
  const outputs = await buildServers();
  process.stderr.write(`built ${outputs.length} server bundles in dist/servers/\n`);
}

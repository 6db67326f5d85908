import { readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { ServersConfig } from './config.ts';

/** The package root: this file is src/orchestrator/builtin-servers.ts, or dist/orchestrator/builtin-servers.js once built. */
export const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * Where a run without a config file writes (reports, saved conversations): this folder in a clone;
 * the working directory once installed, since a package's own folder under node_modules is not
 * the user's to write in (and is replaced by the next install).
 */
export function writableRoot(cwd: string = process.cwd()): string {
  return PROJECT_ROOT.split(sep).includes('node_modules') ? cwd : PROJECT_ROOT;
}

/** The five built-in servers, in start order. */
export const BUILTIN_SERVER_NAMES = ['tickets', 'customers', 'billing', 'kb', 'assets'] as const;

function newestMtime(dir: string): number {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0; // an installed package ships the bundles without the servers' sources
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function mtimeOf(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * How to start the built-in servers: the bundles in dist/servers/ (fastest) when they exist and
 * are newer than every server source file, otherwise the TypeScript entries run by node's type
 * stripping. So an edited server is never served stale, and no build step is ever required.
 */
export function builtinServers(execPath: string, root: string = PROJECT_ROOT): ServersConfig {
  const sourceNewest = sourcesNewest(root);
  return Object.fromEntries(
    BUILTIN_SERVER_NAMES.map((name) => [
      name,
      { command: execPath, args: [serverEntry(name, root, sourceNewest)], env: {}, disabled: false },
    ]),
  );
}

function sourcesNewest(root: string): number {
  return Math.max(newestMtime(join(root, 'servers')), newestMtime(join(root, 'src', 'shared')));
}

/** The file to run for a folder of servers/: its bundle when fresh, else its TypeScript entry. */
export function serverEntry(name: string, root: string = PROJECT_ROOT, sourceNewest = sourcesNewest(root)): string {
  const bundle = join(root, 'dist', 'servers', `${name}.mjs`);
  const built = mtimeOf(bundle);
  return built !== undefined && built >= sourceNewest ? bundle : join(root, 'servers', name, 'index.ts');
}

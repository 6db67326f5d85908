import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './servers.ts';

// The repository as a newcomer gets it: a clone in a temporary folder, `npm install`, then the
// README's walk of `helpdesk init` against a third-party server from npm, run line by line as
// the README gives it. It runs in a group of its own (vitest.config.ts): an install is heavy.

const OLD_NODE = '/usr/bin/node';
const INSTALL_MS = 300_000;

let parent: string;
let clone: string;

/** The environment of a newcomer's shell: this one's (registry access), without a model key, quiet npm, cache first. */
function shellEnv(path: string = process.env.PATH ?? ''): NodeJS.ProcessEnv {
  const { OPENAI_API_KEY: _key, OPENAI_BASE_URL: _url, HELPDESK_NOW: _now, ...rest } = process.env;
  return { ...rest, PATH: path, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
}

/** A fenced bash block of the README, the one after `<!-- walk: <name> -->`. */
function readmeBlock(name: string): string {
  const readme = readFileSync(join(clone, 'README.md'), 'utf8');
  const marker = readme.indexOf(`<!-- walk: ${name} -->`);
  expect(marker, `README.md has no <!-- walk: ${name} --> block`).toBeGreaterThan(-1);
  const block = /```bash\n([\s\S]*?)```/.exec(readme.slice(marker));
  return block?.[1] ?? '';
}

/** Whether Debian's node is older than the project needs (the test of the message needs one). */
function oldNode(): boolean {
  if (!existsSync(OLD_NODE)) return false;
  const major = Number(/^v(\d+)/.exec(execFileSync(OLD_NODE, ['--version'], { encoding: 'utf8' }))?.[1]);
  return major < 22;
}

beforeAll(() => {
  parent = mkdtempSync(join(tmpdir(), 'helpdesk-clone-'));
  clone = join(parent, 'mcp-helpdesk');
  execFileSync('git', ['clone', '--quiet', ROOT, clone], { stdio: 'pipe' });
  const install = spawnSync('npm', ['install'], { cwd: clone, env: shellEnv(), encoding: 'utf8', timeout: INSTALL_MS });
  expect(install.status, install.stdout + install.stderr).toBe(0);
}, INSTALL_MS + 30_000);

afterAll(() => {
  rmSync(parent, { recursive: true, force: true });
});

describe('a fresh clone', () => {
  it('is left as it was by npm install: the lockfile and every tracked file', () => {
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: clone, encoding: 'utf8' })).toBe('');
  });

  it.skipIf(!oldNode())('stops an old Node at npx helpdesk, npm run and npm install\'s prepare step with the one sentence', () => {
    const oldPath = `/usr/bin:${process.env.PATH ?? ''}`;
    for (const command of [[OLD_NODE, 'src/cli/helpdesk.mjs', 'eval'], ['npm', 'run', '--silent', 'eval'], ['npm', 'run', '--silent', 'prepare']]) {
      const run = spawnSync(command[0] as string, command.slice(1), { cwd: clone, env: shellEnv(oldPath), encoding: 'utf8', timeout: 30_000 });
      expect(run.status, command.join(' ')).toBe(2);
      expect(run.stderr, command.join(' ')).toMatch(/^mcp-helpdesk needs Node\.js 24 LTS \(or 22\.18 and newer on the 22 line\) and this is v\d+\.\d+\.\d+: install it from https:\/\/nodejs\.org/m);
      expect(run.stderr).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION|Map\.groupBy/);
    }
  });

  it('runs the README\'s walk: init against server-everything from npm, then eval --author and eval, offline and green', { timeout: 240_000 }, () => {
    const walk = readmeBlock('init');
    expect(walk).toContain('npx helpdesk init --server everything=');
    const run = spawnSync('bash', ['-e', '-c', walk], { cwd: parent, env: shellEnv(), encoding: 'utf8', timeout: 200_000 });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const project = join(parent, 'my-evals');
    expect(JSON.parse(readFileSync(join(project, 'helpdesk.config.json'), 'utf8'))).toMatchObject({
      mcpServers: { everything: { command: 'npx', args: ['mcp-server-everything', 'stdio'], cwd: '.' } }, builtinServers: false,
    });
    expect(run.stdout).toContain('authored recordings/everything-echo-example.json from the script, and replayed it: pass');
    expect(run.stdout).toContain('author: 1 passed, 0 failed');
    expect(run.stdout.match(/^replay: 1 passed, 0 failed/gm)).toHaveLength(2);
    expect(readFileSync(join(project, 'recordings', 'everything-echo-example.json'), 'utf8')).toContain('"source": "authored"');

    // A typo in a YAML scenario: the run says the file, the line and column, and the field, and exits 2.
    const example = readFileSync(join(project, 'scenarios', 'everything-echo-example.yaml'), 'utf8');
    writeFileSync(join(project, 'scenarios', 'typo.yaml'), example.replace('id: everything-echo-example', 'id: typo').replace('    mode: exact', '    mdoe: exact'));
    const typo = spawnSync('npx', ['helpdesk', 'eval'], { cwd: project, env: shellEnv(), encoding: 'utf8', timeout: 60_000 });
    expect(typo.status, typo.stdout + typo.stderr).toBe(2);
    expect(typo.stdout).toContain('✗ typo (scenarios/typo.yaml)');
    expect(typo.stdout).toContain('invalid scenario file: line 20, column 5: expect.tools: Unrecognized key: "mdoe"');
    expect(typo.stdout).toContain('replay: 1 passed, 1 failed');
  });

  it('runs the quick start\'s main job in the clone', { timeout: 120_000 }, () => {
    const quick = readmeBlock('quick start');
    expect(quick).toContain('npm run eval');
    const run = spawnSync('npm', ['run', '--silent', 'eval'], { cwd: clone, env: shellEnv(), encoding: 'utf8', timeout: 100_000 });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^replay: \d+ passed, 0 failed/m);
  });
});

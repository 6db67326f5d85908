import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionlint } from '../support/actionlint.ts';
import { ROOT } from '../servers.ts';

// The repository as a newcomer gets it: a clone in a temporary folder, `npm install`, then the
// README's walk: the package packed, installed into an empty project as npm installs any package
// (a copy, no link, no source tree), `helpdesk init` against a third-party server from npm, run
// line by line as the README gives it; then what a team does there with the package: a
// TypeScript grader and a vitest file that import it, its types checked by tsc. CI runs it on
// Node 24 and on Node 22.

const OLD_NODE = '/usr/bin/node';
const INSTALL_MS = 300_000;

let parent: string;
let clone: string;
/** The README walk's project, beside the clone. */
let project: string;

/** The environment of a newcomer's shell: this one's (registry access), without a model key, quiet npm, cache first. */
function shellEnv(path: string = process.env.PATH ?? ''): NodeJS.ProcessEnv {
  const { OPENAI_API_KEY: _key, OPENAI_BASE_URL: _url, HELPDESK_NOW: _now, ...all } = process.env;
  // This vitest's own variables would make the project's vitest think it runs inside this one.
  const rest = Object.fromEntries(
    Object.entries(all).filter(([name]) => !name.startsWith('VITEST') && !['NODE_OPTIONS', 'FORCE_COLOR'].includes(name)),
  );
  return {
    ...rest,
    PATH: path,
    NO_COLOR: '1',
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
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
  project = join(parent, 'my-evals');
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

  it.skipIf(!oldNode())("stops an old Node at npx helpdesk, npm run and npm install's prepare step with the one sentence", () => {
    const oldPath = `/usr/bin:${process.env.PATH ?? ''}`;
    for (const command of [
      [OLD_NODE, 'src/cli/helpdesk.mjs', 'eval'],
      ['npm', 'run', '--silent', 'eval'],
      ['npm', 'run', '--silent', 'prepare'],
    ]) {
      const run = spawnSync(command[0] as string, command.slice(1), {
        cwd: clone,
        env: shellEnv(oldPath),
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.status, command.join(' ')).toBe(2);
      expect(run.stderr, command.join(' ')).toMatch(
        /^mcp-helpdesk needs Node\.js 24 LTS \(or 22\.18 and newer on the 22 line\) and this is v\d+\.\d+\.\d+: install it from https:\/\/nodejs\.org/m,
      );
      expect(run.stderr).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION|Map\.groupBy/);
    }
  });

  it("runs the README's walk: the packed package installed, init against server-everything from npm, then eval --author and eval, offline and green", {
    timeout: 240_000,
  }, () => {
    const walk = readmeBlock('init');
    expect(walk).toContain('npm pack');
    expect(walk).toContain('npx helpdesk init --server everything=');
    const run = spawnSync('bash', ['-e', '-c', walk], { cwd: parent, env: shellEnv(), encoding: 'utf8', timeout: 200_000 });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).not.toContain('warning: package.json names mcp-helpdesk by a folder');
    expect(JSON.parse(readFileSync(join(project, 'helpdesk.config.json'), 'utf8'))).toMatchObject({
      mcpServers: { everything: { command: 'npx', args: ['mcp-server-everything', 'stdio'], cwd: '.' } },
      builtinServers: false,
    });
    expect(run.stdout).toContain('authored recordings/everything-echo-example.json from the script, and replayed it: pass');
    expect(run.stdout).toContain('author: 1 passed, 0 failed');
    expect(run.stdout.match(/^replay: 1 passed, 0 failed/gm)).toHaveLength(2);
    expect(readFileSync(join(project, 'recordings', 'everything-echo-example.json'), 'utf8')).toContain('"source": "authored"');

    // A typo in a YAML scenario: the run says the file, the line and column, and the field, and exits 2.
    const example = readFileSync(join(project, 'scenarios', 'everything-echo-example.yaml'), 'utf8');
    writeFileSync(
      join(project, 'scenarios', 'typo.yaml'),
      example.replace('id: everything-echo-example', 'id: typo').replace('    mode: exact', '    mdoe: exact'),
    );
    const typo = spawnSync('npx', ['helpdesk', 'eval'], { cwd: project, env: shellEnv(), encoding: 'utf8', timeout: 60_000 });
    expect(typo.status, typo.stdout + typo.stderr).toBe(2);
    expect(typo.stdout).toContain('✗ typo (scenarios/typo.yaml)');
    expect(typo.stdout).toContain('invalid scenario file: line 20, column 5: expect.tools: Unrecognized key: "mdoe"');
    expect(typo.stdout).toContain('replay: 1 passed, 1 failed');
    rmSync(join(project, 'scenarios', 'typo.yaml'));
  });

  it('installs the package as a copy holding the build and no source, tests or reports', () => {
    const installed = join(project, 'node_modules', 'mcp-helpdesk');
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    for (const path of [
      'dist/cli/helpdesk.mjs',
      'dist/cli/helpdesk.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/vitest/index.d.ts',
      'dist/servers/tickets.mjs',
      'LICENSE',
    ]) {
      expect(existsSync(join(installed, path)), path).toBe(true);
    }
    for (const path of ['src', 'test', 'servers', 'reports', '.ci', 'scripts']) expect(existsSync(join(installed, path)), path).toBe(false);
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(manifest.devDependencies['mcp-helpdesk']).toBe('file:../mcp-helpdesk/mcp-helpdesk-0.1.0.tgz');
  });

  it('writes a workflow that actionlint accepts, on current action majors, running the installed bin', async () => {
    const workflow = readFileSync(join(project, '.github', 'workflows', 'helpdesk-eval.yml'), 'utf8');
    expect(await actionlint(workflow, '.github/workflows/helpdesk-eval.yml')).toEqual([]);
    expect(workflow).toContain('npx --no-install helpdesk eval');
    expect(workflow).not.toMatch(/@v[1-4]\b/);
  });

  it('runs a TypeScript grader that imports defineGrader from mcp-helpdesk', { timeout: 60_000 }, () => {
    mkdirSync(join(project, 'graders'));
    writeFileSync(
      join(project, 'graders', 'short.ts'),
      [
        "import { defineGrader } from 'mcp-helpdesk';",
        '',
        'export default defineGrader(({ answer, options }) => {',
        "  const max = typeof options.max_chars === 'number' ? options.max_chars : 500;",
        '  return answer.length <= max',
        '    ? { pass: true, message: `${answer.length} characters (at most ${max})` }',
        '    : { pass: false, message: `${answer.length} characters, more than ${max}` };',
        '});',
        '',
      ].join('\n'),
    );
    appendFileSync(
      join(project, 'scenarios', 'everything-echo-example.yaml'),
      '  custom:\n    - module: ../graders/short.ts\n      options: {max_chars: 200}\n',
    );
    const run = spawnSync('npx', ['helpdesk', 'eval', '--report-dir', 'reports/graded'], {
      cwd: project,
      env: shellEnv(),
      encoding: 'utf8',
      timeout: 50_000,
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const results = readFileSync(join(project, 'reports', 'graded', 'results.json'), 'utf8');
    expect(results).toMatch(/"name":"custom:short","pass":true,"reason":"\d+ characters \(at most 200\)"/);
  });

  it("runs the scenarios as vitest tests through mcp-helpdesk/vitest, failing with eval's reasons when the cassette changes", {
    timeout: 200_000,
  }, () => {
    const version = (name: string) =>
      (JSON.parse(readFileSync(join(clone, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    const add = spawnSync(
      'npm',
      [
        'install',
        '--save-dev',
        `vitest@${version('vitest')}`,
        `typescript@${version('typescript')}`,
        `@types/node@${version('@types/node')}`,
      ],
      { cwd: project, env: shellEnv(), encoding: 'utf8', timeout: 150_000 },
    );
    expect(add.status, add.stdout + add.stderr).toBe(0);
    writeFileSync(
      join(project, 'evals.test.ts'),
      [
        "import { expect, it } from 'vitest';",
        "import { describeScenarios, useHelpdesk } from 'mcp-helpdesk/vitest';",
        '',
        "describeScenarios('helpdesk scenarios');",
        '',
        'const helpdesk = useHelpdesk();',
        '',
        "it('calls echo with the example message and says what it returned', async () => {",
        "  const run = await helpdesk.run('everything-echo-example');",
        "  expect(run).toHaveCalledTools(['echo'], 'exact');",
        "  expect(run).toHaveCalledToolWith('echo', { message: 'example message' });",
        '  expect(run).toHaveAnswerMatching(/example message/);',
        "  expect(run).not.toHaveCalledTools(['get-sum']);",
        '});',
        '',
      ].join('\n'),
    );
    const green = spawnSync('npx', ['vitest', 'run'], { cwd: project, env: shellEnv(), encoding: 'utf8', timeout: 60_000 });
    expect(green.status, green.stdout + green.stderr).toBe(0);
    expect(green.stdout).toMatch(/Tests\s+2 passed/);

    // The recorded call's arguments edited: the replay refuses it and the test says why.
    const cassette = join(project, 'recordings', 'everything-echo-example.json');
    const recorded = readFileSync(cassette, 'utf8');
    writeFileSync(
      cassette,
      recorded.replace('"arguments": "{\\"message\\":\\"example message\\"}"', '"arguments": "{\\"message\\":\\"another message\\"}"'),
    );
    expect(readFileSync(cassette, 'utf8')).not.toBe(recorded);
    const red = spawnSync('npx', ['vitest', 'run'], { cwd: project, env: shellEnv(), encoding: 'utf8', timeout: 60_000 });
    writeFileSync(cassette, recorded);
    expect(red.status).toBe(1);
    const out = red.stdout + red.stderr;
    expect(out).toContain('ScenarioFailedError: scenario everything-echo-example failed:');
    expect(out).toContain('[request_mismatch] request 2 differs from the recording');
    expect(out).toContain(
      '[tools] expected [echo] (exact), got [echo]: call 1: message: expected "example message", got "another message"',
    );
  });

  it("type-checks the project (grader and vitest file) against the package's declarations with tsc", { timeout: 60_000 }, () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      `${JSON.stringify(
        {
          compilerOptions: {
            target: 'es2024',
            module: 'nodenext',
            moduleResolution: 'nodenext',
            strict: true,
            noEmit: true,
            allowImportingTsExtensions: true,
            types: ['node'],
          },
        },
        null,
        2,
      )}\n`,
    );
    const tsc = spawnSync('npx', ['tsc', '--noEmit'], { cwd: project, env: shellEnv(), encoding: 'utf8', timeout: 50_000 });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    // The check reads the package's types: a grader returning the wrong shape is an error naming its file.
    writeFileSync(
      join(project, 'wrong.ts'),
      "import { defineGrader } from 'mcp-helpdesk';\nexport default defineGrader(() => ({ pass: 'yes', message: 1 }));\n",
    );
    const wrong = spawnSync('npx', ['tsc', '--noEmit'], { cwd: project, env: shellEnv(), encoding: 'utf8', timeout: 50_000 });
    rmSync(join(project, 'wrong.ts'));
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout).toContain('wrong.ts');
  });

  it('runs npx mcp-helpdesk from the tarball in an empty folder, before anything is installed', { timeout: 120_000 }, () => {
    const empty = mkdtempSync(join(parent, 'empty-'));
    const run = spawnSync('npx', ['--yes', '--package', join(clone, 'mcp-helpdesk-0.1.0.tgz'), 'mcp-helpdesk', 'tools'], {
      cwd: empty,
      env: shellEnv(),
      encoding: 'utf8',
      timeout: 110_000,
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('search_tickets');
  });

  it('passes publint, arethetypeswrong (ESM-only) and npm publish --dry-run on the package', { timeout: 120_000 }, () => {
    const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);
    const publint = spawnSync(bin('publint'), ['run', '--strict', clone], { env: shellEnv(), encoding: 'utf8', timeout: 60_000 });
    expect(publint.status, publint.stdout + publint.stderr).toBe(0);
    expect(publint.stdout).toContain('All good!');
    const attw = spawnSync(bin('attw'), [join(clone, 'mcp-helpdesk-0.1.0.tgz'), '--profile', 'esm-only', '--format', 'table-flipped'], {
      env: shellEnv(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(attw.status, attw.stdout + attw.stderr).toBe(0);
    const publish = spawnSync('npm', ['publish', '--dry-run', '--ignore-scripts'], {
      cwd: clone,
      env: shellEnv(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(publish.status, publish.stdout + publish.stderr).toBe(0);
    expect(publish.stdout + publish.stderr).toContain('+ mcp-helpdesk@0.1.0');
    expect(publish.stdout + publish.stderr).not.toMatch(/npm notice \S+ (test|src|\.ci|reports)\//);
  });

  it("runs the quick start's main job in the clone, and the built CLI (dist/) gives the same verdicts and checks on the suite", {
    timeout: 120_000,
  }, () => {
    const quick = readmeBlock('quick start');
    expect(quick).toContain('npm run eval');
    // `npm run eval` is the TypeScript source (src/cli/helpdesk.mjs eval): its report is the source's
    // verdicts, so the suite runs once from the source and once from dist/, not twice from the source.
    const run = spawnSync('npm', ['run', '--silent', 'eval'], { cwd: clone, env: shellEnv(), encoding: 'utf8', timeout: 100_000 });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^replay: \d+ passed, 0 failed/m);
    const report = /^reports: (\S+results\.json),/m.exec(run.stdout)?.[1];
    expect(report, run.stdout).toBeDefined();

    type RunFile = { scenarios: { id: string; summary: { pass: boolean }; trials: { checks: { name: string; pass: boolean }[] }[] }[] };
    // A latency check's outcome is the machine's, not the build's: one run beside other test files
    // once saw a tool call past its 200 ms budget that the other did not. Those count by name only.
    const verdicts = (results: string) =>
      (JSON.parse(readFileSync(results, 'utf8')) as RunFile).scenarios.map((s) => ({
        id: s.id,
        pass: s.summary.pass,
        checks: s.trials.flatMap((t) => t.checks.map((c) => (c.name.startsWith('latency:') ? c.name : `${c.name}:${c.pass}`))),
      }));
    const built = spawnSync(process.execPath, ['dist/cli/helpdesk.js', 'eval', '--report-dir', join(parent, 'from-dist')], {
      cwd: clone,
      env: shellEnv(),
      encoding: 'utf8',
      timeout: 100_000,
    });
    expect(built.status, built.stdout + built.stderr).toBe(0);
    const source = verdicts(resolve(clone, report as string));
    expect(source.length).toBeGreaterThan(80);
    expect(verdicts(join(parent, 'from-dist', 'results.json'))).toEqual(source);
  });
});

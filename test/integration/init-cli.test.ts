import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';
import { isAlive } from '../support/processes.ts';
import { ROOT } from '../servers.ts';
import { childEnv } from '../support/child-env.ts';
import { runHelpdesk } from '../support/run-helpdesk.ts';

// `helpdesk init` against a server we did not write (@modelcontextprotocol/server-everything
// from npm, a pinned dev dependency), then everything the harness does, run in the new project's
// folder as its user would: author, replay, record against a live endpoint, faults. Its questions
// in a terminal are test/e2e/init-terminal.test.ts.

const HELPDESK = resolve(ROOT, 'src', 'cli', 'helpdesk.mjs');
const EVERYTHING = join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const SERVER_FLAG = `everything=node ${EVERYTHING} stdio`;
const RUN_LIMIT_MS = 60_000;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let work: string;
let fake: FakeOpenAI | undefined;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'helpdesk-init-'));
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  rmSync(work, { recursive: true, force: true });
});

/** `helpdesk ...args` in `cwd`, with only PATH and `env` set and stdin not a terminal. */
function helpdesk(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return runHelpdesk(args, { cwd, env: childEnv(env), limitMs: RUN_LIMIT_MS });
}

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('helpdesk init', () => {
  it('sets up a project for a third-party server whose example replays green, and eval runs it from the project folder', async () => {
    const init = await helpdesk(['init', 'evals', '--server', SERVER_FLAG], work);
    expect(init.code, init.stdout + init.stderr).toBe(0);
    const project = join(work, 'evals');
    expect(filesUnder(project)).toEqual([
      '.github/workflows/helpdesk-eval.yml',
      '.gitignore',
      'helpdesk.config.json',
      'package.json',
      'prompts/system.md',
      'recordings/everything-echo-example.json',
      'scenarios/everything-echo-example.yaml',
      'scenarios/scenario.schema.json',
    ]);
    expect(readJson(join(project, 'helpdesk.config.json'))).toMatchObject({
      mcpServers: { everything: { command: 'node', args: [EVERYTHING, 'stdio'] } },
      builtinServers: false,
    });
    expect(readJson(join(project, 'package.json')).devDependencies).toEqual({
      'mcp-helpdesk': `^${readJson(join(ROOT, 'package.json')).version}`,
    });
    expect(init.stderr).toBe('');
    const workflow = readFileSync(join(project, '.github', 'workflows', 'helpdesk-eval.yml'), 'utf8');
    expect(workflow).toContain(
      '      - run: npm ci\n      - run: npx --no-install helpdesk eval\n      - uses: actions/upload-artifact@v7\n',
    );
    expect(init.stdout).toContain('Commit package-lock.json (npm install writes it) with the rest: the workflow installs with npm ci.');
    // echo is server-everything's first tool; its sample argument and the quoted result.
    const scenario = readFileSync(join(project, 'scenarios', 'everything-echo-example.yaml'), 'utf8');
    expect(scenario).toContain('arguments: {"message":"example message"}');
    expect(scenario).toContain('answer: "echo returned: Echo: example message"');
    const cassette = readJson(join(project, 'recordings', 'everything-echo-example.json'));
    expect(cassette.source).toBe('authored');
    const offered = cassette.interactions[0].request.tools.map((t: { function: { name: string } }) => t.function.name);
    expect(offered).toContain('get-sum');
    expect(offered).not.toContain('search_tickets');
    const system = cassette.interactions[0].request.messages[0].content as string;
    expect(system).toBe(
      readFileSync(join(project, 'prompts', 'system.md'), 'utf8')
        .trimEnd()
        .replace('{{today}}', '2025-10-05'),
    );
    expect(init.stdout).toContain('authored recordings/everything-echo-example.json from the script, and replayed it: pass');

    const replay = await helpdesk(['eval'], project);
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
    expect(replay.stdout).toContain('replay: 1 passed, 0 failed');
    const runs = readdirSync(join(project, 'reports'));
    expect(runs).toHaveLength(1);
    expect(readJson(join(project, 'reports', runs[0] as string, 'results.json')).scenarios[0]).toMatchObject({
      id: 'everything-echo-example',
      file: 'scenarios/everything-echo-example.yaml',
    });

    const faults = await helpdesk(['eval', '--fault-matrix', '--fault-kinds', 'crash,tool_error'], project);
    expect(faults.code, faults.stdout + faults.stderr).toBe(0);
    expect(faults.stdout).toContain('fault matrix: 2 of 2 faulted runs kept every invariant');
  });

  it("records the project's scenarios against a live endpoint with its prompt and servers, over trials", async () => {
    const project = join(work, 'evals');
    expect(
      (
        await helpdesk(
          ['init', project, '--server', SERVER_FLAG, '--tool', 'get-sum', '--args', '{"a": 2, "b": 40}', '--question', 'What is 2 + 40?'],
          work,
        )
      ).code,
    ).toBe(0);
    const turns = [
      { turn: { toolCalls: [{ name: 'get-sum', arguments: { a: 2, b: 40 } }] } },
      { turn: { answer: 'The sum of 2 and 40 is 42.' } },
    ];
    fake = await startFakeOpenAI([...turns, ...turns]);
    const recorded = await helpdesk(['eval', '--record', '--trials', '2', '--concurrency', '1'], project, {
      OPENAI_API_KEY: 'sk-test-init',
      OPENAI_BASE_URL: fake.url,
      HELPDESK_MODEL_RETRIES: '0',
    });
    expect(recorded.code, recorded.stdout + recorded.stderr).toBe(0);
    expect(recorded.stdout).toContain('record: 1 passed, 0 failed');
    expect(fake.requests).toHaveLength(4);
    expect(fake.requests[0]?.body.messages[0].content).toContain('You are an assistant that answers with the tools of everything.');
    expect(fake.requests[1]?.body.messages.at(-1).content).toContain('42');
    const cassette = readJson(join(project, 'recordings', 'everything-get-sum-example.json'));
    expect(cassette.source).toBe('live');
    expect(JSON.stringify(cassette)).not.toContain('sk-test-init');
    await fake.close();
    fake = undefined;
    const replay = await helpdesk(['eval'], project);
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
  });

  it('refuses a folder that has a project already, and a failing example call, writing nothing', async () => {
    const project = join(work, 'taken');
    mkdirSync(project);
    writeFileSync(join(project, 'helpdesk.config.json'), '{"mcpServers": {}}\n');
    const taken = await helpdesk(['init', project, '--server', SERVER_FLAG], work);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toBe(
      `helpdesk: ${join(project, 'helpdesk.config.json')} already exists: this folder has a project (edit it, or init another folder)\n`,
    );
    expect(filesUnder(project)).toEqual(['helpdesk.config.json']);

    const badCall = await helpdesk(['init', 'fresh', '--server', SERVER_FLAG, '--tool', 'get-sum', '--args', '{"a": "two"}'], work);
    expect(badCall.code).toBe(2);
    expect(badCall.stderr).toMatch(
      /^helpdesk: the example call get-sum\(\{"a":"two"\}\) failed: MCP error -32602: Input validation error: [\s\S]+expected number, received string at a[\s\S]+ — give arguments it accepts with --args\n$/,
    );
    expect(existsSync(join(work, 'fresh'))).toBe(false);

    const noServer = await helpdesk(['init', 'fresh'], work);
    expect(noServer.code).toBe(2);
    expect(noServer.stderr).toContain(
      'init needs a server: --server <name>=<command line>, --url <name>=<url> or --from <mcp config> (or run it in a terminal to be asked)',
    );
  });

  it("keeps a package.json and .gitignore the folder has, and moves the credentials of --from's servers to .env", async () => {
    const project = join(work, 'existing');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{"name": "theirs"}\n');
    writeFileSync(join(project, '.gitignore'), 'dist/\n');
    const init = await helpdesk(['init', project, '--from', writeMcpJson(), '--package', 'github:acme/mcp-helpdesk'], work);
    expect(init.code, init.stdout + init.stderr).toBe(0);
    expect(readFileSync(join(project, 'package.json'), 'utf8')).toBe('{"name": "theirs"}\n');
    expect(init.stdout).toContain('kept the existing package.json (add mcp-helpdesk to its devDependencies: github:acme/mcp-helpdesk)');
    expect(init.stdout).toContain(
      "kept GITHUB_TOKEN in .env (ignored by git), not in the config (which names them as ${…}): add them to the repository's Actions secrets as GH_TOKEN: the workflow passes them to eval",
    );
    expect(init.stderr).toBe('');
    const config = readFileSync(join(project, 'helpdesk.config.json'), 'utf8');
    expect(JSON.parse(config).mcpServers.everything.env).toEqual({ GITHUB_TOKEN: '${GITHUB_TOKEN}', LOG_FORMAT: 'plain' });
    expect(readFileSync(join(project, '.env'), 'utf8')).toBe('GITHUB_TOKEN=ghp_not-for-the-repo\n');
    expect(readFileSync(join(project, '.gitignore'), 'utf8')).toBe('dist/\n\n.env\n');
    for (const file of filesUnder(project).filter((f) => f !== '.env'))
      expect(readFileSync(join(project, file), 'utf8'), file).not.toContain('ghp_not-for-the-repo');
    // eval reads the token from .env in the project's folder.
    const replay = await helpdesk(['eval'], project);
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
    // From elsewhere, without that .env, the missing variable is named.
    const withoutDotEnv = await helpdesk(['eval', '--config', join(project, 'helpdesk.config.json')], work);
    expect(withoutDotEnv.code).toBe(2);
    expect(withoutDotEnv.stderr).toBe(
      'helpdesk: server everything: env GITHUB_TOKEN uses ${GITHUB_TOKEN}, which is not set in the environment\n',
    );
    // As in CI: no .env, the eval step's env from the workflow, its secrets as GitHub fills them in.
    rmSync(join(project, '.env'));
    const inCi = await helpdesk(
      ['eval'],
      project,
      workflowEvalEnv(join(project, '.github', 'workflows', 'helpdesk-eval.yml'), { GH_TOKEN: 'ghp_not-for-the-repo' }),
    );
    expect(inCi.code, inCi.stdout + inCi.stderr).toBe(0);
  });

  it('warns when the package.json it keeps names mcp-helpdesk by a folder of this machine', async () => {
    const project = join(work, 'linked');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{"devDependencies": {"mcp-helpdesk": "file:../mcp-helpdesk"}}\n');
    const init = await helpdesk(['init', project, '--server', SERVER_FLAG], work);
    expect(init.code, init.stdout + init.stderr).toBe(0);
    expect(init.stdout).toContain('kept the existing package.json\n');
    expect(init.stderr).toBe(
      `warning: package.json names mcp-helpdesk by a folder of this machine (file:../mcp-helpdesk): CI and other clones of the repository will not have that folder; name a version (^${readJson(join(ROOT, 'package.json')).version}) or a git URL there instead\n`,
    );
  });

  it('stops the servers it started when interrupted while they start', async () => {
    const pidFile = join(work, 'server.pid');
    // A "server" that never answers: init is still waiting for it when Ctrl+C comes.
    const script = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`;
    const child = spawn(process.execPath, [HELPDESK, 'init', 'stalled', '--server', `stuck=node -e ${JSON.stringify(script)}`], {
      cwd: work,
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    for (let i = 0; i < 100 && !existsSync(pidFile); i += 1) await new Promise((r) => setTimeout(r, 50));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(isAlive(pid)).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('init interrupted');
    for (let i = 0; i < 40 && isAlive(pid); i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(join(work, 'stalled'))).toBe(false);
  });
});

/** The env a workflow's `helpdesk eval` step gets on GitHub, each `${{ secrets.NAME }}` filled from `secrets` (unset: empty). */
function workflowEvalEnv(path: string, secrets: Record<string, string>): Record<string, string> {
  const workflow = parse(readFileSync(path, 'utf8')) as {
    jobs: Record<string, { steps: Array<{ run?: string; env?: Record<string, string> }> }>;
  };
  const step = Object.values(workflow.jobs)
    .flatMap((job) => job.steps)
    .find((s) => s.run?.includes('helpdesk eval'));
  return Object.fromEntries(
    Object.entries(step?.env ?? {}).map(([name, value]) => [
      name,
      value.replace(/\$\{\{ secrets\.([A-Za-z0-9_]+) \}\}/g, (_, secret: string) => secrets[secret] ?? ''),
    ]),
  );
}

/** A Claude Desktop style config with server-everything, in the work folder. */
function writeMcpJson(): string {
  const path = join(work, 'claude_desktop_config.json');
  writeFileSync(
    path,
    JSON.stringify({
      mcpServers: {
        everything: { command: 'node', args: [EVERYTHING, 'stdio'], env: { GITHUB_TOKEN: 'ghp_not-for-the-repo', LOG_FORMAT: 'plain' } },
      },
    }),
  );
  return path;
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { EVAL_HELP } from '../../src/cli/commands/eval.ts';
import { projectFiles, type ProjectPlan } from '../../src/harness/scaffold/project-files.ts';
import { withPlaceholders } from '../../src/harness/scaffold/secrets.ts';
import { actionlint } from '../support/actionlint.ts';
import { ROOT } from '../servers.ts';

// The GitHub workflows we hand out — the example for sharding a suite, the one `helpdesk init` writes — checked as
// GitHub would read them: YAML first, then actionlint (expressions, contexts, job and step structure).

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}
interface Workflow {
  readonly jobs: Record<string, { readonly steps: readonly Step[] }>;
}

const EXAMPLE = join(ROOT, '.ci', 'github-workflow.example.yml');
const CURRENT_MAJORS = [
  'actions/checkout@v6',
  'actions/setup-node@v6',
  'actions/upload-artifact@v7',
  'actions/download-artifact@v8',
  'actions/cache/restore@v6',
  'actions/cache/save@v6',
];

const steps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);
const yamlErrors = (text: string) => parseDocument(text).errors.map((e) => e.message);

/** The workflow `helpdesk init` writes for a project in evals/ of a repository, its servers' credentials as init finds them. */
function initWorkflow(servers: ProjectPlan['servers']): string {
  const { servers: shareable, secrets } = withPlaceholders(servers);
  const files = projectFiles({
    name: 'evals',
    dir: '/repo/evals',
    servers: shareable,
    scenarioId: 'wiki-search-example',
    scenarioYaml: '',
    schemaText: '{}\n',
    repoRoot: '/repo',
    helpdeskPackage: '^0.1.0',
    credentials: Object.keys(secrets),
  });
  return files['../.github/workflows/helpdesk-eval.yml'] as string;
}

const wiki = {
  command: 'npx',
  args: ['wiki-mcp'],
  env: { WIKI_API_TOKEN: 'wiki-secret-value', WIKI_URL: 'https://wiki.example.com' },
  disabled: false,
};

describe('GitHub workflows', () => {
  it('actionlint rejects an expression inside a YAML flow mapping, naming the line', async () => {
    const broken = [
      'on: push',
      'jobs:',
      '  eval:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/upload-artifact@v7',
      '        with: { name: shard-${{ matrix.shard }}, path: reports }',
      '',
    ].join('\n');
    expect(await actionlint(broken, 'broken.yml')).toEqual([
      expect.stringMatching(
        /^broken\.yml:\d+:\d+: could not parse as YAML: yaml: line \d+: did not find expected ',' or '}' \[yaml-syntax\]$/,
      ),
    ]);
    expect(yamlErrors(broken)).not.toEqual([]);
  });

  it('actionlint rejects an unknown context in an expression, so it reads more than the YAML', async () => {
    const unknown = 'on: push\njobs:\n  eval:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ secret.TOKEN }}\n';
    expect(await actionlint(unknown, 'unknown.yml')).toEqual([expect.stringContaining('undefined variable "secret"')]);
  });

  it('keeps the example workflow valid YAML that actionlint passes, on current action majors', async () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    expect(yamlErrors(text)).toEqual([]);
    expect(await actionlint(text, '.ci/github-workflow.example.yml')).toEqual([]);
    const used = steps(parse(text) as Workflow).flatMap((s) => (s.uses ? [s.uses] : []));
    expect(used.filter((u) => !CURRENT_MAJORS.includes(u))).toEqual([]);
    expect(new Set(used)).toEqual(new Set(CURRENT_MAJORS));
  });

  it("runs the example's shards and their merge with flags helpdesk eval has", () => {
    const runs = steps(parse(readFileSync(EXAMPLE, 'utf8')) as Workflow).flatMap((s) => (s.run ? [s.run] : []));
    const helpdesk = runs.filter((r) => r.includes('helpdesk eval'));
    expect(helpdesk.some((r) => /helpdesk eval --live .*--shard \$\{\{ matrix\.shard \}\}\/3/.test(r))).toBe(true);
    expect(helpdesk.some((r) => /helpdesk eval merge shards\/shard-1 shards\/shard-2 shards\/shard-3 --out /.test(r))).toBe(true);
    const flags = [...new Set(helpdesk.flatMap((r) => r.match(/(?<=[\s(])--[a-z-]+/g) ?? []))].filter((f) => f !== '--no-install');
    expect(flags.filter((f) => !EVAL_HELP.includes(`  ${f} `) && !EVAL_HELP.includes(`[${f} `))).toEqual([]);
    expect(helpdesk.every((r) => r.includes('npx --no-install helpdesk eval'))).toBe(true);
  });

  it("writes an init workflow that actionlint passes and that gives eval each credential from the repository's secrets", async () => {
    const text = initWorkflow({ wiki });
    expect(yamlErrors(text)).toEqual([]);
    expect(await actionlint(text, '.github/workflows/helpdesk-eval.yml')).toEqual([]);
    expect(text).toContain('${{ secrets.WIKI_API_TOKEN }}');
    expect(text).not.toContain('wiki-secret-value');
    const all = steps(parse(text) as Workflow);
    expect(all.map((s) => s.uses ?? s.run)).toEqual([
      'actions/checkout@v6',
      'actions/setup-node@v6',
      'npm ci',
      'npx --no-install helpdesk eval',
      'actions/upload-artifact@v7',
    ]);
    expect(all[1]?.with).toEqual({ 'node-version': 24, cache: 'npm', 'cache-dependency-path': 'evals/package-lock.json' });
    expect(all[3]?.env).toEqual({ WIKI_API_TOKEN: '${{ secrets.WIKI_API_TOKEN }}' });
    expect(all[4]).toMatchObject({ if: 'always()', with: { name: 'helpdesk-reports', path: 'evals/reports/' } });
  });

  it("names a GITHUB_ credential's secret GH_, since GitHub refuses secret names with that prefix, and writes no env without credentials", async () => {
    const github = { command: 'npx', args: ['github-mcp'], env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_x' }, disabled: false };
    const text = initWorkflow({ github, wiki });
    expect(await actionlint(text)).toEqual([]);
    expect(steps(parse(text) as Workflow)[3]?.env).toEqual({
      GITHUB_PERSONAL_ACCESS_TOKEN: '${{ secrets.GH_PERSONAL_ACCESS_TOKEN }}',
      WIKI_API_TOKEN: '${{ secrets.WIKI_API_TOKEN }}',
    });
    const none = initWorkflow({ plain: { command: 'node', args: ['server.js'], env: {}, disabled: false } });
    expect(await actionlint(none)).toEqual([]);
    expect(steps(parse(none) as Workflow)[3]).toEqual({ run: 'npx --no-install helpdesk eval' });
  });
});

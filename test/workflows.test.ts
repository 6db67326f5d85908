import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { projectFiles, type ProjectPlan } from '../src/harness/scaffold/project-files.ts';
import { withPlaceholders } from '../src/harness/scaffold/secrets.ts';
import { actionlint } from './support/actionlint.ts';

// The GitHub workflow `helpdesk init` writes, checked as GitHub would read it: YAML first, then actionlint (expressions, contexts, job and step structure).

interface Step { readonly uses?: string; readonly run?: string; readonly if?: string; readonly with?: Record<string, unknown>; readonly env?: Record<string, string> }
interface Workflow { readonly jobs: Record<string, { readonly steps: readonly Step[] }> }

const steps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);
const yamlErrors = (text: string) => parseDocument(text).errors.map((e) => e.message);

/** The workflow `helpdesk init` writes for a project in evals/ of a repository, its servers' credentials as init finds them. */
function initWorkflow(servers: ProjectPlan['servers']): string {
  const { servers: shareable, secrets } = withPlaceholders(servers);
  const files = projectFiles({
    name: 'evals', dir: '/repo/evals', servers: shareable, scenarioId: 'wiki-search-example', scenarioYaml: '', schemaText: '{}\n',
    repoRoot: '/repo', helpdeskPackage: '^0.1.0', credentials: Object.keys(secrets),
  });
  return files['../.github/workflows/helpdesk-eval.yml'] as string;
}

const wiki = { command: 'npx', args: ['wiki-mcp'], env: { WIKI_API_TOKEN: 'wiki-secret-value', WIKI_URL: 'https://wiki.example.com' }, disabled: false };

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
      expect.stringMatching(/^broken\.yml:\d+:\d+: could not parse as YAML: yaml: line \d+: did not find expected ',' or '}' \[yaml-syntax\]$/),
    ]);
    expect(yamlErrors(broken)).not.toEqual([]);
  });

  it('actionlint rejects an unknown context in an expression, so it reads more than the YAML', async () => {
    const unknown = 'on: push\njobs:\n  eval:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ secret.TOKEN }}\n';
    expect(await actionlint(unknown, 'unknown.yml')).toEqual([expect.stringContaining('undefined variable "secret"')]);
  });

  it('writes an init workflow that actionlint passes and that gives eval each credential from the repository\'s secrets', async () => {
    const text = initWorkflow({ wiki });
    expect(yamlErrors(text)).toEqual([]);
    expect(await actionlint(text, '.github/workflows/helpdesk-eval.yml')).toEqual([]);
    expect(text).toContain('${{ secrets.WIKI_API_TOKEN }}');
    expect(text).not.toContain('wiki-secret-value');
    const all = steps(parse(text) as Workflow);
    expect(all.map((s) => s.uses ?? s.run)).toEqual(['actions/checkout@v6', 'actions/setup-node@v6', 'npm ci', 'npx --no-install helpdesk eval', 'actions/upload-artifact@v7']);
    expect(all[1]?.with).toEqual({ 'node-version': 24, cache: 'npm', 'cache-dependency-path': 'evals/package-lock.json' });
    expect(all[3]?.env).toEqual({ WIKI_API_TOKEN: '${{ secrets.WIKI_API_TOKEN }}' });
    expect(all[4]).toMatchObject({ if: 'always()', with: { name: 'helpdesk-reports', path: 'evals/reports/' } });
  });

  it('names a GITHUB_ credential\'s secret GH_, since GitHub refuses secret names with that prefix, and writes no env without credentials', async () => {
    const github = { command: 'npx', args: ['github-mcp'], env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_x' }, disabled: false };
    const text = initWorkflow({ github, wiki });
    expect(await actionlint(text)).toEqual([]);
    expect(steps(parse(text) as Workflow)[3]?.env).toEqual({ GITHUB_PERSONAL_ACCESS_TOKEN: '${{ secrets.GH_PERSONAL_ACCESS_TOKEN }}', WIKI_API_TOKEN: '${{ secrets.WIKI_API_TOKEN }}' });
    const none = initWorkflow({ plain: { command: 'node', args: ['server.js'], env: {}, disabled: false } });
    expect(await actionlint(none)).toEqual([]);
    expect(steps(parse(none) as Workflow)[3]).toEqual({ run: 'npx --no-install helpdesk eval' });
  });
});

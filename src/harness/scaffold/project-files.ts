import { join, relative } from 'node:path';
import type { ServersConfig } from '../../orchestrator/config.ts';
import { TODAY } from '../../orchestrator/prompt.ts';
import { actionsSecretName } from './secrets.ts';

/** The files of a new evaluation project, by path relative to its folder. */
export type ProjectFiles = Record<string, string>;

/** What `helpdesk init` knows when it writes a project. */
export interface ProjectPlan {
  /** The project's name (its folder's). */
  readonly name: string;
  /** The project's folder: servers' working folders are written relative to it. */
  readonly dir: string;
  readonly servers: ServersConfig;
  /** The example scenario's ID and YAML. */
  readonly scenarioId: string;
  readonly scenarioYaml: string;
  /** The JSON Schema of scenario files, for editors. */
  readonly schemaText: string;
  /** The root of the git repository the project is in (its own folder when there is none): the workflow goes there. */
  readonly repoRoot: string;
  /** How package.json names mcp-helpdesk: an npm spec (a version range, a git URL, a tarball). */
  readonly helpdeskPackage: string;
  /** The names of the servers' credentials (kept in .env, not in the config): the workflow passes each from the repository's secrets. */
  readonly credentials: readonly string[];
}

export const PROJECT_PATHS = {
  config: 'helpdesk.config.json',
  prompt: 'prompts/system.md',
  scenarios: 'scenarios',
  recordings: 'recordings',
  schema: 'scenarios/scenario.schema.json',
  workflow: '.github/workflows/helpdesk-eval.yml',
  packageJson: 'package.json',
  gitignore: '.gitignore',
} as const;

/** Files a folder may already have: an existing one is kept as it is, not refused. */
export const KEPT_WHEN_PRESENT: readonly string[] = [PROJECT_PATHS.packageJson, PROJECT_PATHS.gitignore];

/** A server as the config file keeps it: the defaults left out, its working folder relative to the file. */
function written(server: ServersConfig[string], dir: string): Record<string, unknown> {
  const { args, env, disabled: _disabled, cwd, ...rest } = server;
  return {
    ...rest,
    ...(args.length > 0 ? { args } : {}),
    ...(Object.keys(env).length > 0 ? { env } : {}),
    ...(cwd !== undefined ? { cwd: relative(dir, cwd) || '.' } : {}),
  };
}

function configText(plan: ProjectPlan): string {
  return `${JSON.stringify(
    {
      mcpServers: Object.fromEntries(Object.entries(plan.servers).map(([name, server]) => [name, written(server, plan.dir)])),
      builtinServers: false,
      systemPrompt: PROJECT_PATHS.prompt,
      scenarios: PROJECT_PATHS.scenarios,
      recordings: PROJECT_PATHS.recordings,
      reports: 'reports',
    },
    null,
    2,
  )}\n`;
}

function promptText(plan: ProjectPlan): string {
  return [
    `You are an assistant that answers with the tools of ${Object.keys(plan.servers).join(', ')}.`,
    'Gather the facts with the tools before you answer, and base the answer only on what they return.',
    'When a tool returns an error, read it, then fix the call or say what went wrong.',
    'Answer concisely.',
    `Today is ${TODAY}.`,
    '',
  ].join('\n');
}

/** The eval step's env: each credential from the repository's secrets (a block mapping: `${{ }}` may not sit in a flow one). */
function credentialLines(credentials: readonly string[]): string[] {
  if (credentials.length === 0) return [];
  return ['        env:', ...credentials.map((name) => `          ${name}: \${{ secrets.${actionsSecretName(name)} }}`)];
}

/**
 * A GitHub Actions job that replays the suite on every push and pull request and keeps the reports. It installs with
 * `npm ci`, which needs the package-lock.json that `npm install` writes beside package.json (committed with it), as does
 * setup-node's npm cache; `npx --no-install` runs the helpdesk that lockfile installed, never one fetched on the spot.
 */
function workflowText(plan: ProjectPlan): string {
  const fromRoot = relative(plan.repoRoot, plan.dir);
  const inFolder = (path: string) => (fromRoot === '' ? path : `${fromRoot}/${path}`);
  const secrets = plan.credentials.map(actionsSecretName);
  return [
    `# Written by helpdesk init: replays ${plan.name}'s scenarios offline (no API key) on every change.`,
    '# It installs with npm ci: commit the package-lock.json that npm install writes.',
    ...(secrets.length > 0 ? [`# The servers' credentials come from the repository's Actions secrets: ${secrets.join(', ')}.`] : []),
    'name: agent evals',
    'on: [push, pull_request]',
    'jobs:',
    '  eval:',
    '    runs-on: ubuntu-latest',
    '    defaults:',
    '      run:',
    `        working-directory: ${JSON.stringify(fromRoot === '' ? '.' : fromRoot)}`,
    '    steps:',
    '      - uses: actions/checkout@v6',
    '      - uses: actions/setup-node@v6',
    '        with:',
    '          node-version: 24',
    '          cache: npm',
    `          cache-dependency-path: ${JSON.stringify(inFolder('package-lock.json'))}`,
    '      - run: npm ci',
    '      - run: npx --no-install helpdesk eval',
    ...credentialLines(plan.credentials),
    '      - uses: actions/upload-artifact@v7',
    '        if: always()',
    '        with:',
    '          name: helpdesk-reports',
    `          path: ${JSON.stringify(inFolder('reports/'))}`,
    '',
  ].join('\n');
}

function packageText(plan: ProjectPlan, helpdesk: string): string {
  const name =
    plan.name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'agent-evals';
  return `${JSON.stringify(
    {
      name,
      private: true,
      type: 'module',
      scripts: { eval: 'helpdesk eval', 'eval:author': 'helpdesk eval --author', 'eval:record': 'helpdesk eval --record' },
      devDependencies: { 'mcp-helpdesk': helpdesk },
    },
    null,
    2,
  )}\n`;
}

/**
 * Every file of a new project, by path relative to its folder: the config with the servers, the system prompt, the example
 * scenario and the schema editors read, the CI workflow (at the repository's root), a package.json that brings
 * mcp-helpdesk and a .gitignore for reports (those two only where the folder has none).
 */
export function projectFiles(plan: ProjectPlan): ProjectFiles {
  return {
    [PROJECT_PATHS.config]: configText(plan),
    [PROJECT_PATHS.prompt]: promptText(plan),
    [`${PROJECT_PATHS.scenarios}/${plan.scenarioId}.yaml`]: plan.scenarioYaml,
    [PROJECT_PATHS.schema]: plan.schemaText,
    [relative(plan.dir, join(plan.repoRoot, PROJECT_PATHS.workflow))]: workflowText(plan),
    [PROJECT_PATHS.packageJson]: packageText(plan, plan.helpdeskPackage),
    [PROJECT_PATHS.gitignore]: 'node_modules/\nreports/\n.env\n',
  };
}

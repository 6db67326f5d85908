import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../orchestrator/builtin-servers.ts';
import type { Project } from '../../harness/suite/project.ts';
import { priceTable } from '../../harness/results/prices.ts';
import { affected, watchedFolders } from './eval-watch.ts';

const dir = '/work/evals';
const project: Project = {
  root: dir,
  configPath: join(dir, 'helpdesk.config.json'),
  promptPath: join(dir, 'prompts', 'system.md'),
  promptTemplate: 'x',
  servers: {
    files: { command: 'node', args: ['servers/files.js', '--flag'], env: {}, disabled: false, cwd: dir },
    remote: { url: 'http://127.0.0.1:9/mcp', args: [], env: {}, disabled: false },
  },
  scenariosDir: join(dir, 'scenarios'),
  recordingsDir: join(dir, 'recordings'),
  reportsDir: join(dir, 'reports'),
  prices: priceTable(undefined),
  modelSettings: undefined,
  api: undefined,
  models: undefined,
};
const plan = { scenariosDir: project.scenariosDir, recordingsDir: project.recordingsDir };

describe('affected', () => {
  it("runs a changed scenario file itself and a changed cassette's scenario, and ignores the rest of their folders and the reports", () => {
    const scope = affected(
      [
        join(dir, 'scenarios', 'a.yaml'),
        join(dir, 'scenarios', 'b.json'),
        join(dir, 'scenarios', 'scenario.schema.json'),
        join(dir, 'scenarios', 'notes.txt'),
        join(dir, 'recordings', 'c.json'),
        join(dir, 'recordings', 'd.v2.json'),
        join(dir, 'reports', 'watch', 'results.json'),
      ],
      project,
      plan,
    );
    expect(scope).toEqual({
      files: new Set([join(dir, 'scenarios', 'a.yaml'), join(dir, 'scenarios', 'b.json')]),
      ids: new Set(['c', 'd.v2']),
    });
  });

  it('runs everything when the config, the prompt or a server file changed', () => {
    for (const path of [project.configPath as string, project.promptPath as string, join(dir, 'servers', 'files.js')]) {
      expect(affected([join(dir, 'scenarios', 'a.yaml'), path], project, plan)).toBe('all');
    }
  });
});

describe('watchedFolders', () => {
  it("watches the suite, the config and prompt files alone, the servers' folders and helpdesk's own code", () => {
    const folders = watchedFolders(
      {
        ...project,
        root: PROJECT_ROOT,
        servers: { tickets: { command: 'node', args: [join(PROJECT_ROOT, 'servers', 'tickets', 'index.ts')], env: {}, disabled: false } },
        configPath: undefined,
        promptPath: undefined,
        scenariosDir: join(PROJECT_ROOT, 'scenarios'),
        recordingsDir: join(PROJECT_ROOT, 'recordings'),
      },
      { scenariosDir: join(PROJECT_ROOT, 'scenarios'), recordingsDir: join(PROJECT_ROOT, 'recordings') },
    );
    expect(folders).toEqual([
      { path: join(PROJECT_ROOT, 'scenarios'), kind: 'suite' },
      { path: join(PROJECT_ROOT, 'recordings'), kind: 'suite' },
      { path: join(PROJECT_ROOT, 'servers', 'tickets'), kind: 'suite' },
      { path: join(PROJECT_ROOT, 'servers'), kind: 'suite' },
      { path: join(PROJECT_ROOT, 'src'), kind: 'code' },
    ]);
  });
});

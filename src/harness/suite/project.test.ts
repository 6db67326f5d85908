import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILTIN_SERVER_NAMES, PROJECT_ROOT } from '../../orchestrator/builtin-servers.ts';
import { CONFIG_FILE, openProject } from './project.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'project-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

describe('openProject', () => {
  it('is this repository with its five servers when the folder has no config file', () => {
    const project = openProject(undefined, {}, dir);
    expect(project.configPath).toBeUndefined();
    expect(Object.keys(project.servers)).toEqual([...BUILTIN_SERVER_NAMES]);
    expect(project).toMatchObject({ root: PROJECT_ROOT, promptTemplate: undefined, scenariosDir: join(PROJECT_ROOT, 'scenarios') });
  });

  it('reads helpdesk.config.json of the folder: its servers, prompt file and folders beside it', () => {
    write('prompts/system.md', 'You answer about widgets. Today is {{today}}.\n\n');
    write(
      CONFIG_FILE,
      JSON.stringify({ mcpServers: { widgets: { command: 'widgets-mcp' } }, builtinServers: false, systemPrompt: 'prompts/system.md' }),
    );
    const project = openProject(undefined, {}, dir);
    expect(project.configPath).toBe(join(dir, CONFIG_FILE));
    expect(Object.keys(project.servers)).toEqual(['widgets']);
    expect(project).toMatchObject({
      root: dir,
      promptTemplate: 'You answer about widgets. Today is {{today}}.',
      scenariosDir: join(dir, 'scenarios'),
      recordingsDir: join(dir, 'recordings'),
      reportsDir: join(dir, 'reports'),
    });
  });

  it("takes --config over the folder's file, relative to the folder", () => {
    write(CONFIG_FILE, JSON.stringify({ mcpServers: { one: { command: 'one' } }, builtinServers: false }));
    write('other/servers.json', JSON.stringify({ mcpServers: { two: { command: 'two' } } }));
    const project = openProject('other/servers.json', {}, dir);
    expect(Object.keys(project.servers)).toEqual([...BUILTIN_SERVER_NAMES, 'two']);
    expect(project.root).toBe(join(dir, 'other'));
  });

  it('names the prompt file and the config that points at it when the file is missing or empty', () => {
    const config = write(CONFIG_FILE, JSON.stringify({ mcpServers: {}, systemPrompt: 'prompt.md' }));
    expect(() => openProject(undefined, {}, dir)).toThrow(
      new RegExp(`^Cannot read the system prompt ${join(dir, 'prompt.md')} \\(systemPrompt in ${config}\\): ENOENT`),
    );
    write('prompt.md', '  \n');
    expect(() => openProject(undefined, {}, dir)).toThrow(
      `The system prompt ${join(dir, 'prompt.md')} (systemPrompt in ${config}) is empty`,
    );
  });
});

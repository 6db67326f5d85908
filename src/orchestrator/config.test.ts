import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtinServers } from './builtin-servers.ts';
import { readConfigFile, type ServersConfig } from './config.ts';
import { ConfigError } from './errors.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const BUILTINS: ServersConfig = {
  tickets: { command: 'node', args: ['tickets.js'], env: {}, disabled: false },
  billing: { command: 'node', args: ['billing.js'], env: {}, disabled: false },
};

function configFile(content: unknown): string {
  const path = join(dir, 'helpdesk.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function failure(path: string): ConfigError {
  try {
    readConfigFile(path, BUILTINS).servers;
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readConfigFile: servers', () => {
  it('replaces a built-in of the same name, adds new servers, drops disabled ones and resolves cwd against the file', () => {
    const path = configFile({
      mcpServers: {
        tickets: { command: 'python3', args: ['-m', 'tickets'], cwd: 'servers/tickets' },
        billing: { command: 'node', disabled: true },
        wiki: { command: 'uvx', args: ['wiki-mcp'], env: { WIKI_URL: 'http://127.0.0.1:9' } },
      },
    });
    const servers = readConfigFile(path, BUILTINS).servers;
    expect(servers).toEqual({
      tickets: { command: 'python3', args: ['-m', 'tickets'], env: {}, disabled: false, cwd: join(dir, 'servers', 'tickets') },
      wiki: { command: 'uvx', args: ['wiki-mcp'], env: { WIKI_URL: 'http://127.0.0.1:9' }, disabled: false },
    });
    expect(Object.keys(servers)).toEqual(['tickets', 'wiki']);
    expect(BUILTINS.billing?.disabled).toBe(false);
  });

  it('keeps every built-in when the file adds nothing', () => {
    expect(readConfigFile(configFile({ mcpServers: {} }), BUILTINS).servers).toEqual(BUILTINS);
  });

  it('names the file and why when it cannot be read or is not JSON', () => {
    const missing = join(dir, 'nope.json');
    expect(failure(missing).message).toMatch(new RegExp(`^Cannot read config ${missing}: ENOENT`));
    const broken = failure(configFile('{"mcpServers": '));
    expect(broken.message).toMatch(/^Cannot read config .*helpdesk\.json: /);
    expect(broken.cause).toBeInstanceOf(SyntaxError);
    expect(broken.code).toBe('config_error');
  });

  it('lists every invalid field by its path, one per line', () => {
    const path = configFile({ mcpServers: { 'bad name!': { command: 'x' }, tickets: { command: '', toolTimeoutMs: 0 } }, extra: 1 });
    const lines = failure(path).message.split('\n');
    expect(lines[0]).toBe(`Invalid config ${path}:`);
    expect(lines.slice(1)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^ {2}mcpServers\.bad name!: server names use letters, digits, "_" and "-" \(at most 32\)$/),
      expect.stringMatching(/^ {2}mcpServers\.tickets\.command: /),
      expect.stringMatching(/^ {2}mcpServers\.tickets\.toolTimeoutMs: /),
      expect.stringMatching(/^ {2}\(top level\): .*extra/),
    ]));
  });
});

describe('readConfigFile', () => {
  it('starts only the file\'s servers when builtinServers is false, and resolves the project paths against the file', () => {
    const path = configFile({
      mcpServers: { wiki: { command: 'uvx', args: ['wiki-mcp'] } }, builtinServers: false,
      systemPrompt: 'prompts/system.md', scenarios: 'evals', recordings: '../cassettes',
    });
    const file = readConfigFile(path, BUILTINS);
    expect(Object.keys(file.servers)).toEqual(['wiki']);
    expect(file).toMatchObject({ dir, systemPrompt: join(dir, 'prompts', 'system.md'), scenarios: join(dir, 'evals'), recordings: join(dir, '..', 'cassettes'), reports: undefined });
  });

  it('refuses a file that leaves no server to start, naming the file', () => {
    const path = configFile({ mcpServers: {}, builtinServers: false });
    expect(() => readConfigFile(path, BUILTINS)).toThrow(`Invalid config ${path}: no server is left to start (mcpServers is empty and builtinServers is false)`);
  });

  it('names a mistyped project field by its path', () => {
    const path = configFile({ mcpServers: {}, builtinServers: 'no', systemPrompt: '' });
    const lines = failure(path).message.split('\n').slice(1);
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^ {2}builtinServers: .*boolean/), expect.stringMatching(/^ {2}systemPrompt: /)]));
  });
});

describe('builtinServers', () => {
  function tree(bundleAge: 'newer' | 'older' | 'missing'): string {
    for (const sub of ['servers/tickets', 'src/shared/deep', 'dist/servers']) mkdirSync(join(dir, sub), { recursive: true });
    const source = join(dir, 'src', 'shared', 'deep', 'envelope.ts');
    writeFileSync(source, '');
    writeFileSync(join(dir, 'servers', 'tickets', 'index.ts'), '');
    writeFileSync(join(dir, 'servers', 'tickets', 'index.test.ts'), '');
    const sourceTime = new Date('2026-06-01T00:00:00Z');
    utimesSync(source, sourceTime, sourceTime);
    utimesSync(join(dir, 'servers', 'tickets', 'index.ts'), sourceTime, sourceTime);
    const testTime = new Date('2026-09-01T00:00:00Z');
    utimesSync(join(dir, 'servers', 'tickets', 'index.test.ts'), testTime, testTime);
    if (bundleAge !== 'missing') {
      for (const name of ['tickets', 'customers', 'billing', 'kb', 'assets']) {
        const bundle = join(dir, 'dist', 'servers', `${name}.mjs`);
        writeFileSync(bundle, '');
        const time = new Date(bundleAge === 'newer' ? '2026-07-01T00:00:00Z' : '2026-05-01T00:00:00Z');
        utimesSync(bundle, time, time);
      }
    }
    return dir;
  }

  it('starts the five bundles, in order, when they are newer than every server source (tests aside)', () => {
    const servers = builtinServers('/opt/node', tree('newer'));
    expect(Object.keys(servers)).toEqual(['tickets', 'customers', 'billing', 'kb', 'assets']);
    expect(servers.kb).toEqual({ command: '/opt/node', args: [join(dir, 'dist', 'servers', 'kb.mjs')], env: {}, disabled: false });
  });

  it('falls back to the TypeScript entries when a source file, even a nested one, is newer than the bundles', () => {
    expect(builtinServers('/opt/node', tree('older')).tickets?.args).toEqual([join(dir, 'servers', 'tickets', 'index.ts')]);
  });

  it('falls back to the TypeScript entries when nothing was built', () => {
    expect(builtinServers('/opt/node', tree('missing')).assets?.args).toEqual([join(dir, 'servers', 'assets', 'index.ts')]);
  });
});

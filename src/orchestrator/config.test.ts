import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtinServers } from './builtin-servers.ts';
import {
  configFrom,
  httpUrl,
  readConfigFile,
  resolveVariables,
  ServerConfigSchema,
  type ServerConfig,
  type ServersConfig,
} from './config.ts';
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
    expect(lines.slice(1)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ {2}mcpServers\.bad name!: server names use letters, digits, "_" and "-" \(at most 32\)$/),
        expect.stringMatching(/^ {2}mcpServers\.tickets\.command: /),
        expect.stringMatching(/^ {2}mcpServers\.tickets\.toolTimeoutMs: /),
        expect.stringMatching(/^ {2}\(top level\): .*extra/),
      ]),
    );
  });
});

describe('readConfigFile', () => {
  it("starts only the file's servers when builtinServers is false, and resolves the project paths against the file", () => {
    const path = configFile({
      mcpServers: { wiki: { command: 'uvx', args: ['wiki-mcp'] } },
      builtinServers: false,
      systemPrompt: 'prompts/system.md',
      scenarios: 'evals',
      recordings: '../cassettes',
    });
    const file = readConfigFile(path, BUILTINS);
    expect(Object.keys(file.servers)).toEqual(['wiki']);
    expect(file).toMatchObject({
      dir,
      systemPrompt: join(dir, 'prompts', 'system.md'),
      scenarios: join(dir, 'evals'),
      recordings: join(dir, '..', 'cassettes'),
      reports: undefined,
    });
  });

  it('refuses a file that leaves no server to start, naming the file', () => {
    const path = configFile({ mcpServers: {}, builtinServers: false });
    expect(() => readConfigFile(path, BUILTINS)).toThrow(
      `Invalid config ${path}: no server is left to start (mcpServers is empty and builtinServers is false)`,
    );
  });

  it('names a mistyped project field by its path', () => {
    const path = configFile({ mcpServers: {}, builtinServers: 'no', systemPrompt: '' });
    const lines = failure(path).message.split('\n').slice(1);
    expect(lines).toEqual(
      expect.arrayContaining([expect.stringMatching(/^ {2}builtinServers: .*boolean/), expect.stringMatching(/^ {2}systemPrompt: /)]),
    );
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

/** The lines of the ConfigError that `mcpServers` makes, after the first ("Invalid config <name>:"). */
function problems(mcpServers: Record<string, unknown>): string[] {
  try {
    configFrom({ mcpServers }, { name: 'inline', dir }, BUILTINS);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const [first, ...rest] = error.message.split('\n');
    expect(first).toBe('Invalid config inline:');
    return rest;
  }
  throw new Error('expected a ConfigError');
}

describe("a server's config: command or url", () => {
  it("takes an http or https url with headers, and gives it as the server's HTTP endpoint", () => {
    const file = configFrom(
      {
        mcpServers: {
          wiki: { url: 'http://127.0.0.1:3100/wiki/mcp', headers: { 'X-Team': 'support' } },
          docs: { url: 'https://docs.example.com/mcp' },
        },
        builtinServers: false,
      },
      { name: 'inline', dir },
      BUILTINS,
    );
    expect(file.servers).toEqual({
      wiki: { url: 'http://127.0.0.1:3100/wiki/mcp', headers: { 'X-Team': 'support' }, args: [], env: {}, disabled: false },
      docs: { url: 'https://docs.example.com/mcp', args: [], env: {}, disabled: false },
    });
    expect(httpUrl(file.servers.wiki as ServerConfig)).toBe('http://127.0.0.1:3100/wiki/mcp');
    expect(httpUrl(BUILTINS.tickets as ServerConfig)).toBeUndefined();
  });

  it('refuses a server with both command and url', () => {
    expect(problems({ wiki: { command: 'node', url: 'http://127.0.0.1:3100/mcp' } })).toEqual([
      '  mcpServers.wiki.url: give command (stdio) or url (HTTP), not both',
    ]);
  });

  it("refuses a url that is not http:// or https://, whatever the scheme's name contains", () => {
    expect(problems({ a: { url: 'ftp://example.com/mcp' } })).toEqual(['  mcpServers.a.url: url must be http:// or https://']);
    expect(problems({ a: { url: 'xhttp://example.com/mcp' } })).toEqual(['  mcpServers.a.url: url must be http:// or https://']);
    expect(problems({ a: { url: 'httpss://example.com/mcp' } })).toEqual(['  mcpServers.a.url: url must be http:// or https://']);
    expect(problems({ a: { url: 'ws://example.com/mcp' } })).toEqual(['  mcpServers.a.url: url must be http:// or https://']);
  });

  it('refuses each field of a started process on a url server, naming the field', () => {
    expect(problems({ a: { url: 'http://h/mcp', args: ['--port', '1'], env: { A: '1' }, cwd: 'srv', memoryLimitMb: 128 } })).toEqual([
      '  mcpServers.a.args: args applies to servers started with command, not to a url',
      '  mcpServers.a.env: env applies to servers started with command, not to a url',
      '  mcpServers.a.cwd: cwd applies to servers started with command, not to a url',
      '  mcpServers.a.memoryLimitMb: memoryLimitMb applies to servers started with command, not to a url',
    ]);
  });

  it('lets a url server give empty args and env (what the defaults are), and a timeout', () => {
    const parsed = ServerConfigSchema.parse({ url: 'http://h/mcp', args: [], env: {}, toolTimeoutMs: 500 });
    expect(parsed).toEqual({ url: 'http://h/mcp', args: [], env: {}, disabled: false, toolTimeoutMs: 500 });
    expect(problems({ a: { url: 'http://h/mcp', env: { A: '1' } } })).toEqual([
      '  mcpServers.a.env: env applies to servers started with command, not to a url',
    ]);
    expect(problems({ a: { url: 'http://h/mcp', args: ['x'] } })).toEqual([
      '  mcpServers.a.args: args applies to servers started with command, not to a url',
    ]);
  });

  it('refuses headers without a url', () => {
    expect(problems({ a: { command: 'node', headers: { Authorization: 'Bearer x' } } })).toEqual([
      '  mcpServers.a.headers: headers apply to a url',
    ]);
  });

  it('refuses a server with neither command nor url, unless it is disabled', () => {
    expect(problems({ a: { args: ['x'] } })).toEqual([
      '  mcpServers.a.command: give command (a program to start) or url (a Streamable HTTP endpoint)',
    ]);
    expect(ServerConfigSchema.safeParse({ disabled: true }).success).toBe(true);
    expect(configFrom({ mcpServers: { tickets: { disabled: true } } }, { name: 'inline', dir }, BUILTINS).servers).toEqual({
      billing: BUILTINS.billing,
    });
  });
});

describe('resolveVariables', () => {
  const server: ServerConfig = {
    url: 'http://h/mcp',
    args: [],
    env: { TOKEN: '${WIKI_TOKEN}', PLAIN: 'no $WIKI_TOKEN or ${1X} here' },
    disabled: false,
    headers: { Authorization: 'Bearer ${WIKI_TOKEN}', 'X-Pair': '${A_1}:${_b}' },
  };

  it('fills every ${NAME} of env and header values from the environment, and nothing else', () => {
    const env = { WIKI_TOKEN: 's3cret', A_1: 'left', _b: 'right' };
    expect(resolveVariables('wiki', server, env)).toEqual({
      url: 'http://h/mcp',
      args: [],
      disabled: false,
      env: { TOKEN: 's3cret', PLAIN: 'no $WIKI_TOKEN or ${1X} here' },
      headers: { Authorization: 'Bearer s3cret', 'X-Pair': 'left:right' },
    });
    expect(server.env.TOKEN).toBe('${WIKI_TOKEN}');
    expect(server.headers?.Authorization).toBe('Bearer ${WIKI_TOKEN}');
  });

  it('adds no headers to a server without them', () => {
    const resolved = resolveVariables(
      'tickets',
      { command: 'node', args: ['t.js'], env: { HOME_DIR: '${HOME_DIR}' }, disabled: false },
      { HOME_DIR: '/h' },
    );
    expect(resolved).toEqual({ command: 'node', args: ['t.js'], env: { HOME_DIR: '/h' }, disabled: false });
    expect(resolved).not.toHaveProperty('headers');
  });

  it('refuses a variable that is not set or empty, naming the server, the value and the variable', () => {
    const onlyHeader: ServerConfig = {
      url: 'http://h/mcp',
      args: [],
      env: {},
      disabled: false,
      headers: { Authorization: 'Bearer ${WIKI_TOKEN}' },
    };
    const unset = () => resolveVariables('wiki', onlyHeader, {});
    expect(unset).toThrow(ConfigError);
    expect(unset).toThrow(new ConfigError('server wiki: header Authorization uses ${WIKI_TOKEN}, which is not set in the environment'));
    expect(() => resolveVariables('wiki', onlyHeader, { WIKI_TOKEN: '' })).toThrow(
      'server wiki: header Authorization uses ${WIKI_TOKEN}, which is not set in the environment',
    );
    expect(() =>
      resolveVariables('local', { command: 'node', args: [], env: { KEY: 'x${API_KEY}' }, disabled: false }, { OTHER: '1' }),
    ).toThrow('server local: env KEY uses ${API_KEY}, which is not set in the environment');
  });
});

describe('readConfigFile: variables', () => {
  it("fills the servers' variables from the environment it is given", () => {
    const path = configFile({
      mcpServers: { wiki: { url: 'http://h/mcp', headers: { Authorization: 'Bearer ${T}' } } },
      builtinServers: false,
    });
    const file = readConfigFile(path, BUILTINS, { T: 'tok' });
    expect(file.servers.wiki?.headers).toEqual({ Authorization: 'Bearer tok' });
    expect(file.path).toBe(path);
    expect(() => readConfigFile(path, BUILTINS)).toThrow(
      'server wiki: header Authorization uses ${T}, which is not set in the environment',
    );
  });

  it("leaves a disabled server's variables alone: it is not started", () => {
    const path = configFile({ mcpServers: { tickets: { command: 'node', env: { K: '${MISSING}' }, disabled: true } } });
    expect(readConfigFile(path, BUILTINS, {}).servers).toEqual({ billing: BUILTINS.billing });
  });

  it('gives a config from a value no path, its folder as dir, and resolves paths against that folder', () => {
    const file = configFrom({ mcpServers: {}, reports: 'out' }, { name: 'inline', dir }, BUILTINS);
    expect(file).toEqual({
      path: undefined,
      dir,
      servers: BUILTINS,
      systemPrompt: undefined,
      scenarios: undefined,
      recordings: undefined,
      reports: join(dir, 'out'),
      prices: undefined,
    });
  });

  it('takes model prices in USD per million tokens and refuses a price that is not one, naming where', () => {
    const prices = { 'qwen3:8b': { input: 0.02, output: 0.08 } };
    expect(configFrom({ mcpServers: {}, prices }, { name: 'inline', dir }, BUILTINS).prices).toEqual(prices);
    expect(() => configFrom({ mcpServers: {}, prices: { m: { input: -1, output: 1 } } }, { name: 'inline', dir }, BUILTINS)).toThrow(
      'Invalid config inline:\n  prices.m.input: Too small: expected number to be >=0',
    );
    expect(() =>
      configFrom({ mcpServers: {}, prices: { m: { input: 1, output: 1, currency: 'EUR' } } }, { name: 'inline', dir }, BUILTINS),
    ).toThrow(/prices\.m: Unrecognized key: "currency"/);
  });
});

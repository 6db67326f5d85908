import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedQuestions } from '../ui.ts';
import { askServers, serversFromFile, serversFromFlags, splitCommandLine } from './init-servers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempFile(name: string, content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'init-servers-'));
  dirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('splitCommandLine', () => {
  it('splits on spaces and keeps quoted and escaped text whole, as a shell would', () => {
    expect(splitCommandLine('npx -y @modelcontextprotocol/server-filesystem  /tmp')).toEqual([
      'npx',
      '-y',
      '@modelcontextprotocol/server-filesystem',
      '/tmp',
    ]);
    expect(splitCommandLine(`node "my server.js" --name 'it''s' a\\ b "say \\"hi\\"" ''`)).toEqual([
      'node',
      'my server.js',
      '--name',
      'its',
      'a b',
      'say "hi"',
      '',
    ]);
  });

  it('refuses an unclosed quote, quoting the line', () => {
    expect(() => splitCommandLine('node "server.js')).toThrow('unclosed " quote in "node "server.js"');
  });
});

describe('serversFromFlags', () => {
  it("reads --server and --url as name=value, a later name replacing --from's", () => {
    const from = tempFile('claude.json', {
      mcpServers: { fs: { command: 'npx', args: ['server-fs'], cwd: 'work' }, off: { command: 'x', disabled: true } },
    });
    const servers = serversFromFlags(
      { from, server: ['fs=node fs.js --root "/a b"', 'git=uvx mcp-server-git'], url: ['docs=http://127.0.0.1:3100/mcp'] },
      '/',
    );
    expect(servers).toEqual({
      fs: { command: 'node', args: ['fs.js', '--root', '/a b'], env: {}, disabled: false, cwd: '/' },
      git: { command: 'uvx', args: ['mcp-server-git'], env: {}, disabled: false, cwd: '/' },
      docs: { url: 'http://127.0.0.1:3100/mcp', args: [], env: {}, disabled: false },
    });
  });

  it('says what a malformed flag should look like', () => {
    expect(() => serversFromFlags({ server: ['npx server-everything'] }, '/')).toThrow(
      /^--server takes <name>=<command line>, e\.g\. --server everything=.* \(got "npx server-everything"\)$/,
    );
    expect(() => serversFromFlags({ server: ['bad name=node x'] }, '/')).toThrow(
      '--server: the server name "bad name" must use letters, digits, "_" and "-" (at most 32)',
    );
    expect(() => serversFromFlags({ url: ['docs=ftp://host/mcp'] }, '/')).toThrow(
      '--url docs: url must be http:// or https:// ("ftp://host/mcp")',
    );
  });
});

describe('serversFromFile', () => {
  it("takes VS Code's servers with their type, and resolves cwd against the file", () => {
    const path = tempFile('mcp.json', { servers: { fs: { type: 'stdio', command: 'npx', args: ['server-fs'], cwd: 'sub' } } });
    expect(serversFromFile(path)).toEqual({
      fs: { command: 'npx', args: ['server-fs'], env: {}, disabled: false, cwd: join(path, '..', 'sub') },
    });
  });

  it('names the file and the server of a bad entry, and a file without servers', () => {
    const bad = tempFile('bad.json', { mcpServers: { fs: { command: 'npx', args: 'server-fs' } } });
    expect(() => serversFromFile(bad)).toThrow(new RegExp(`^--from: ${bad}, server fs: args: `));
    const empty = tempFile('empty.json', { other: 1 });
    expect(() => serversFromFile(empty)).toThrow(`--from: ${empty} has no mcpServers (or servers) to take`);
    expect(() => serversFromFile(join(tmpdir(), 'no-such-mcp.json'))).toThrow(/^--from: cannot read .*no-such-mcp\.json: ENOENT/);
  });
});

describe('askServers', () => {
  it('asks name, transport and command or URL until the person has no more', async () => {
    const questions = new ScriptedQuestions([
      'files',
      'stdio',
      'npx -y server-fs /tmp',
      true,
      undefined,
      'Streamable HTTP',
      'http://127.0.0.1:3100/mcp',
      false,
    ]);
    const servers = await askServers(questions, '/work');
    expect(servers).toEqual({
      files: { command: 'npx', args: ['-y', 'server-fs', '/tmp'], env: {}, disabled: false, cwd: '/work' },
      'server-2': { url: 'http://127.0.0.1:3100/mcp', args: [], env: {}, disabled: false },
    });
    expect(questions.asked).toEqual([
      'Server name',
      'How is it reached?',
      'Command line that starts it',
      'Add another server?',
      'Server name',
      'How is it reached?',
      'URL of its MCP endpoint',
      'Add another server?',
    ]);
  });

  it('does not take a name twice or a URL that is not http', async () => {
    await expect(askServers(new ScriptedQuestions(['a', 'stdio', 'x', true, 'a']), '/')).rejects.toThrow(
      'scripted answer "a" to "Server name" is invalid: that name is taken',
    );
    await expect(askServers(new ScriptedQuestions(['a', 'Streamable HTTP', 'file:///x']), '/')).rejects.toThrow(
      /is invalid: .*url must be http/,
    );
  });
});

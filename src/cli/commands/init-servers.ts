import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SERVER_NAME, ServerConfigSchema, type ServerConfig, type ServersConfig } from '../../orchestrator/config.ts';
import { ConfigError } from '../../orchestrator/errors.ts';
import type { Questions } from '../ui.ts';

/**
 * Splits a command line into words as a POSIX shell would for the common cases: spaces separate,
 * single quotes keep everything, double quotes keep all but `\"` and `\\`, a backslash outside
 * quotes escapes the next character. No variables, globs or pipes: the words go to spawn as they are.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word = `${word ?? ''}${line[((i += 1))] ?? ''}`;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[(i += 1)];
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) throw new ConfigError(`unclosed ${quote} quote in "${line}"`);
  if (word !== undefined) words.push(word);
  return words;
}

function checkedName(name: string, flag: string): string {
  if (!SERVER_NAME.test(name))
    throw new ConfigError(`${flag}: the server name "${name}" must use letters, digits, "_" and "-" (at most 32)`);
  return name;
}

/** `name=rest` of a --server or --url flag. */
function named(value: string, flag: string, example: string): [string, string] {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1)
    throw new ConfigError(`${flag} takes <name>=<${flag === '--url' ? 'url' : 'command line'}>, e.g. ${flag} ${example} (got "${value}")`);
  return [checkedName(value.slice(0, at), flag), value.slice(at + 1)];
}

/** A command line typed in `cwd`: it runs there, wherever helpdesk is started later (relative paths, `npx` of a local package). */
function stdioServer(line: string, where: string, cwd: string): ServerConfig {
  const [command, ...args] = splitCommandLine(line);
  if (command === undefined) throw new ConfigError(`${where}: the command line is empty`);
  return { command, args, env: {}, disabled: false, cwd };
}

function httpServer(url: string, where: string): ServerConfig {
  const parsed = ServerConfigSchema.safeParse({ url });
  if (!parsed.success) throw new ConfigError(`${where}: ${parsed.error.issues.map((issue) => issue.message).join('; ')} ("${url}")`);
  return parsed.data;
}

/**
 * The mcpServers of an existing MCP host config (Claude Desktop and Cursor's `mcpServers`, VS Code's
 * `servers`), checked like our own; relative working folders become absolute.
 */
export function serversFromFile(path: string): ServersConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`--from: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  const table =
    typeof raw === 'object' && raw !== null
      ? ((raw as Record<string, unknown>).mcpServers ?? (raw as Record<string, unknown>).servers)
      : undefined;
  if (typeof table !== 'object' || table === null || Object.keys(table).length === 0)
    throw new ConfigError(`--from: ${path} has no mcpServers (or servers) to take`);
  const servers: ServersConfig = {};
  for (const [name, entry] of Object.entries(table as Record<string, unknown>)) {
    // VS Code names the transport in `type`; ours tells it by command or url.
    const { type: _type, ...server } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const parsed = ServerConfigSchema.safeParse(server);
    if (!parsed.success)
      throw new ConfigError(
        `--from: ${path}, server ${name}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(server)'}: ${issue.message}`).join('; ')}`,
      );
    if (parsed.data.disabled) continue;
    const cwd = parsed.data.cwd;
    servers[checkedName(name, '--from')] = cwd ? { ...parsed.data, cwd: resolve(dirname(path), cwd) } : parsed.data;
  }
  return servers;
}

/** The servers the flags give: --from first, then each --server (run in `cwd`) and --url (a later name replaces an earlier one). */
export function serversFromFlags(
  flags: {
    readonly from?: string | undefined;
    readonly server?: readonly string[] | undefined;
    readonly url?: readonly string[] | undefined;
  },
  cwd: string,
): ServersConfig {
  const servers: ServersConfig = flags.from ? serversFromFile(resolve(cwd, flags.from)) : {};
  for (const value of flags.server ?? []) {
    const [name, line] = named(value, '--server', 'everything="npx -y @modelcontextprotocol/server-everything"');
    servers[name] = stdioServer(line, `--server ${name}`, cwd);
  }
  for (const value of flags.url ?? []) {
    const [name, url] = named(value, '--url', 'docs=http://127.0.0.1:3100/mcp');
    servers[name] = httpServer(url, `--url ${name}`);
  }
  return servers;
}

/** Asks for servers until the person has named one or more and says that is all (command lines run in `cwd`). */
export async function askServers(questions: Questions, cwd: string): Promise<ServersConfig> {
  const servers: ServersConfig = {};
  do {
    const name = await questions.text('Server name', {
      default: Object.keys(servers).length === 0 ? 'my-server' : `server-${Object.keys(servers).length + 1}`,
      validate: (value) =>
        !SERVER_NAME.test(value) ? 'letters, digits, "_" and "-" (at most 32)' : value in servers ? 'that name is taken' : true,
    });
    const transport = await questions.choose(
      'How is it reached?',
      [
        {
          name: 'stdio',
          value: 'stdio' as const,
          description: 'a program this machine starts, e.g. npx -y @modelcontextprotocol/server-everything',
        },
        { name: 'Streamable HTTP', value: 'http' as const, description: 'a running server at a URL' },
      ],
      'stdio',
    );
    if (transport === 'stdio') {
      const line = await questions.text('Command line that starts it', {
        validate: (value) => {
          try {
            return splitCommandLine(value).length > 0 ? true : 'give a command';
          } catch (error) {
            return (error as Error).message;
          }
        },
      });
      servers[name] = stdioServer(line, name, cwd);
    } else {
      const url = await questions.text('URL of its MCP endpoint', {
        validate: (value) => {
          try {
            httpServer(value, name);
            return true;
          } catch (error) {
            return (error as Error).message;
          }
        },
      });
      servers[name] = httpServer(url, name);
    }
  } while (await questions.confirm('Add another server?', false));
  return servers;
}

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.ts';

/** One MCP server in the common `mcpServers` format (Claude Desktop, Cursor, VS Code). */
export const ServerConfigSchema = z
  .object({
    command: z.string().min(1).describe('Program to start, e.g. "node" or "uvx".'),
    args: z.array(z.string()).default([]).describe('Arguments for the program.'),
    env: z.record(z.string(), z.string()).default({}).describe('Extra environment variables for this server only.'),
    cwd: z.string().optional().describe('Working directory; relative paths are resolved against the config file.'),
    disabled: z.boolean().default(false).describe('Skip this server (also turns off a built-in one).'),
    memoryLimitMb: z.number().int().min(16).max(65_536).optional().describe('Heap limit for node servers, in MB.'),
    toolTimeoutMs: z.number().int().min(1).max(600_000).optional().describe('Timeout of each tool call, in ms.'),
  })
  .strict();

/** A server's configuration after defaults are applied. */
export type ServerConfig = z.output<typeof ServerConfigSchema>;

const SERVER_NAME = /^[a-zA-Z0-9_-]{1,32}$/;

export const ConfigFileSchema = z
  .object({
    $schema: z.string().optional(),
    mcpServers: z.record(
      z.string().regex(SERVER_NAME, 'server names use letters, digits, "_" and "-" (at most 32)'),
      ServerConfigSchema,
    ),
  })
  .strict();

/** Servers by name, in start order. */
export type ServersConfig = Record<string, ServerConfig>;

/** zod reports a bad record key as "Invalid key in record"; the rule the key broke says more. */
function issueMessage(issue: z.core.$ZodIssue): string {
  return issue.code === 'invalid_key' ? issue.issues.map((inner) => inner.message).join('; ') : issue.message;
}

/**
 * Reads a config file in the `mcpServers` format and merges it over `builtins`: a server with
 * a built-in's name replaces it, `disabled: true` removes it, other names are added. Every
 * problem is a ConfigError naming the file and the path of the bad field.
 */
export function loadConfigFile(path: string, builtins: ServersConfig): ServersConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Cannot read config ${path}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = ConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issueMessage(issue)}`);
    throw new ConfigError(`Invalid config ${path}:\n  ${problems.join('\n  ')}`);
  }
  const base = dirname(resolve(path));
  const merged: ServersConfig = { ...builtins };
  for (const [name, server] of Object.entries(parsed.data.mcpServers)) {
    merged[name] = server.cwd ? { ...server, cwd: resolve(base, server.cwd) } : server;
  }
  return Object.fromEntries(Object.entries(merged).filter(([, server]) => !server.disabled));
}

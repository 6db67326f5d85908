import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.ts';
import { ModelSettingsSchema, type ModelSettings } from './model-client.ts';
import { ModelApiSchema, type ModelApi } from './responses-wire.ts';

const STDIO_ONLY = ['args', 'env', 'cwd', 'memoryLimitMb'] as const;

/**
 * One MCP server in the common `mcpServers` format (Claude Desktop, Cursor, VS Code): a process
 * to start (`command`) or a Streamable HTTP endpoint to connect to (`url`), one or the other.
 */
export const ServerConfigSchema = z
  .object({
    command: z.string().min(1).optional().describe('Program to start, e.g. "node" or "uvx" (stdio).'),
    args: z.array(z.string()).default([]).describe('Arguments for the program.'),
    env: z
      .record(z.string(), z.string())
      .default({})
      .describe(
        'Extra environment variables for this server only; "${NAME}" in a value is replaced by the environment variable NAME (e.g. "${WIKI_TOKEN}", kept in .env rather than in the file).',
      ),
    cwd: z.string().optional().describe('Working directory; relative paths are resolved against the config file.'),
    url: z.string().url().optional().describe('A Streamable HTTP endpoint, e.g. "http://127.0.0.1:3100/tickets/mcp" (instead of command).'),
    headers: z
      .record(z.string(), z.string())
      .optional()
      .describe(
        'HTTP headers sent with every request to url; "${NAME}" is replaced by the environment variable NAME (e.g. "Bearer ${HELPDESK_HTTP_TOKEN}").',
      ),
    disabled: z.boolean().default(false).describe('Skip this server (also turns off a built-in one).'),
    memoryLimitMb: z.number().int().min(16).max(65_536).optional().describe('Heap limit for node servers, in MB.'),
    toolTimeoutMs: z.number().int().min(1).max(600_000).optional().describe('Timeout of each tool call, in ms.'),
  })
  .strict()
  .superRefine((server, ctx) => {
    if (server.url !== undefined) {
      if (server.command !== undefined)
        ctx.addIssue({ code: 'custom', path: ['url'], message: 'give command (stdio) or url (HTTP), not both' });
      if (!/^https?:$/.test(new URL(server.url).protocol))
        ctx.addIssue({ code: 'custom', path: ['url'], message: 'url must be http:// or https://' });
      for (const field of STDIO_ONLY) {
        if (
          field in server &&
          !(field === 'args' && server.args.length === 0) &&
          !(field === 'env' && Object.keys(server.env).length === 0)
        ) {
          ctx.addIssue({ code: 'custom', path: [field], message: `${field} applies to servers started with command, not to a url` });
        }
      }
    } else if (server.command === undefined && !server.disabled) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'give command (a program to start) or url (a Streamable HTTP endpoint)' });
    }
    if (server.headers !== undefined && server.url === undefined)
      ctx.addIssue({ code: 'custom', path: ['headers'], message: 'headers apply to a url' });
  });

/** A server reached over Streamable HTTP. */
export function httpUrl(server: ServerConfig): string | undefined {
  return server.url;
}

/**
 * A server's header and env values with every "${NAME}" replaced from `env`; a name that is not
 * set is a ConfigError naming the server and the variable (a silently empty token would be a 401
 * later).
 */
export function resolveVariables(name: string, server: ServerConfig, env: Readonly<Record<string, string | undefined>>): ServerConfig {
  const filled = (kind: string, values: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(values).map(([key, value]) => [
        key,
        value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, variable: string) => {
          const found = env[variable];
          if (found === undefined || found === '')
            throw new ConfigError(`server ${name}: ${kind} ${key} uses \${${variable}}, which is not set in the environment`);
          return found;
        }),
      ]),
    );
  return { ...server, env: filled('env', server.env), ...(server.headers ? { headers: filled('header', server.headers) } : {}) };
}

/** A server's configuration after defaults are applied. */
export type ServerConfig = z.output<typeof ServerConfigSchema>;

/** What a server's name may be: it becomes part of tool names and of messages. */
export const SERVER_NAME = /^[a-zA-Z0-9_-]{1,32}$/;

/** One model of a comparison: its name and, where it differs from the default endpoint, how to reach it. */
export const ModelEntrySchema = z
  .object({
    name: z.string().min(1).describe('The model name sent in every request.'),
    label: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'a label uses letters, digits, ".", "_" and "-"')
      .optional()
      .describe(
        'What reports and the cassette folder call it (default: the name, made file-safe); two entries of one name need two labels.',
      ),
    api: ModelApiSchema.optional().describe('"chat" or "responses" (default: the config\'s api).'),
    baseURL: z.string().url().optional().describe('Its OpenAI-compatible endpoint (default OPENAI_BASE_URL).'),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'the name of an environment variable')
      .optional()
      .describe('The environment variable holding its API key (default OPENAI_API_KEY); the key itself never goes in the config.'),
  })
  .strict();

export type ModelEntry = z.infer<typeof ModelEntrySchema>;

/**
 * A config file: the `mcpServers` any MCP host reads, and for an evaluation project of one's own
 * (`helpdesk init`) whether the built-in servers join them, the agent's system prompt and the
 * project's folders. Paths are relative to the file.
 */
export const ConfigFileSchema = z
  .object({
    $schema: z.string().optional(),
    mcpServers: z.record(z.string().regex(SERVER_NAME, 'server names use letters, digits, "_" and "-" (at most 32)'), ServerConfigSchema),
    builtinServers: z
      .boolean()
      .default(true)
      .describe('Start the five built-in helpdesk servers beside mcpServers (false for a project of your own servers).'),
    systemPrompt: z
      .string()
      .min(1)
      .optional()
      .describe('A text file with the agent\'s system prompt; "{{today}}" in it becomes the date (the pinned clock in scenarios).'),
    scenarios: z.string().min(1).optional().describe('The scenario folder (default scenarios/ beside this file).'),
    recordings: z.string().min(1).optional().describe('The cassette folder (default recordings/ beside this file).'),
    reports: z.string().min(1).optional().describe('Where eval writes its reports (default reports/ beside this file).'),
    model: ModelSettingsSchema.optional().describe(
      "Sampling settings sent with every model request (temperature, seed, parallel_tool_calls, max_tokens); a scenario's `model` overrides each.",
    ),
    api: ModelApiSchema.optional().describe(
      'How the agent model is reached: "chat" (chat completions, the default) or "responses" (the Responses API).',
    ),
    models: z
      .array(z.union([z.string().min(1), ModelEntrySchema]))
      .min(1)
      .optional()
      .describe(
        'Models to compare: eval runs every selected scenario on each (cassettes per model in recordings/<model>/); --model picks some of them. A name, or { name, api, baseURL, apiKeyEnv }.',
      ),
    prices: z
      .record(z.string().min(1), z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }).strict())
      .optional()
      .describe(
        'Model prices in US dollars per million tokens ({ "model": { "input": 0.2, "output": 0.8 } }), added to the built-in table or replacing its entry: the cost columns of the reports use them.',
      ),
  })
  .strict();

/** The config file's text as a value (what defineConfig takes). */
export type ConfigInput = z.input<typeof ConfigFileSchema>;

/** A config file read and checked: its servers merged over the built-ins, its paths absolute. */
export interface ConfigFile {
  /** The file, when the config was read from one. */
  readonly path: string | undefined;
  /** The folder of the file: relative paths in it start here. */
  readonly dir: string;
  readonly servers: ServersConfig;
  readonly systemPrompt: string | undefined;
  readonly scenarios: string | undefined;
  readonly recordings: string | undefined;
  readonly reports: string | undefined;
  /** Sampling settings for every model request, when the config gives any. */
  readonly model: ModelSettings | undefined;
  /** The agent model's wire format, when the config sets it. */
  readonly api: ModelApi | undefined;
  /** The models to compare, when the config lists them (names become entries). */
  readonly models: readonly ModelEntry[] | undefined;
  /** The config's own model prices (USD per million tokens), when it gives any. */
  readonly prices: Readonly<Record<string, { readonly input: number; readonly output: number }>> | undefined;
}

/** Servers by name, in start order. */
export type ServersConfig = Record<string, ServerConfig>;

/** zod reports a bad record key as "Invalid key in record"; the rule the key broke says more. */
function issueMessage(issue: z.core.$ZodIssue): string {
  return issue.code === 'invalid_key' ? issue.issues.map((inner) => inner.message).join('; ') : issue.message;
}

/**
 * Reads a config file: its `mcpServers` merged over `builtins` (unless builtinServers is false) —
 * a server with a built-in's name replaces it, `disabled: true` removes it, other names are
 * added — and its project settings. Every problem is a ConfigError naming the file and the path
 * of the bad field. Header and env values take "${NAME}" from `env`.
 */
export function readConfigFile(path: string, builtins: ServersConfig, env: Readonly<Record<string, string | undefined>> = {}): ConfigFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Cannot read config ${path}: ${(error as Error).message}`, { cause: error });
  }
  return { ...configFrom(raw, { name: path, dir: dirname(resolve(path)) }, builtins, env), path: resolve(path) };
}

/**
 * A config given as a value (the API's defineConfig) checked as readConfigFile checks a file:
 * `origin.name` names it in errors, and its relative paths start at `origin.dir`.
 */
export function configFrom(
  raw: unknown,
  origin: { readonly name: string; readonly dir: string },
  builtins: ServersConfig,
  env: Readonly<Record<string, string | undefined>> = {},
): ConfigFile {
  const parsed = ConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issueMessage(issue)}`);
    throw new ConfigError(`Invalid config ${origin.name}:\n  ${problems.join('\n  ')}`);
  }
  const file = parsed.data;
  const base = resolve(origin.dir);
  const merged: ServersConfig = file.builtinServers ? { ...builtins } : {};
  for (const [name, server] of Object.entries(file.mcpServers)) {
    const located = server.cwd ? { ...server, cwd: resolve(base, server.cwd) } : server;
    merged[name] = server.disabled ? located : resolveVariables(name, located, env);
  }
  const servers = Object.fromEntries(Object.entries(merged).filter(([, server]) => !server.disabled));
  if (Object.keys(servers).length === 0)
    throw new ConfigError(`Invalid config ${origin.name}: no server is left to start (mcpServers is empty and builtinServers is false)`);
  const at = (relative: string | undefined) => (relative === undefined ? undefined : resolve(base, relative));
  return {
    path: undefined,
    dir: base,
    servers,
    systemPrompt: at(file.systemPrompt),
    scenarios: at(file.scenarios),
    recordings: at(file.recordings),
    reports: at(file.reports),
    prices: file.prices,
    model: file.model,
    api: file.api,
    models: file.models?.map((entry) => (typeof entry === 'string' ? { name: entry } : entry)),
  };
}

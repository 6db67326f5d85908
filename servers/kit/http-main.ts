import { parseArgs } from 'node:util';
import type { Logger } from '../../src/shared/log.ts';
import { serveHttp, type HttpEndpoint } from './http.ts';

/** The default port of `--http` (and of `helpdesk serve`). */
export const DEFAULT_HTTP_PORT = 3100;

const FLAGS = {
  http: { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
  stateless: { type: 'boolean' },
  'allow-origin': { type: 'string', multiple: true },
  now: { type: 'string' },
} as const;

/** A positive whole number from the environment, undefined when unset or empty; anything else exits 2 saying so. */
function positiveSetting(name: string, unit: string, logger: Logger): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (Number.isInteger(value) && value > 0) return value;
  logger.error(`${name} must be a positive whole number of ${unit}, got "${text}"`);
  process.exit(2);
}

/**
 * Serves endpoints over Streamable HTTP from command-line flags: `--port N` (default 3100; 0
 * picks a free one), `--host H` (default 127.0.0.1: only this machine), `--stateless`,
 * `--allow-origin <origin>` (repeatable). The bearer token comes from HELPDESK_HTTP_TOKEN, never
 * a flag (flags show in `ps`); HELPDESK_HTTP_SESSION_IDLE_MS changes the idle limit of a
 * session and HELPDESK_HTTP_MAX_SESSIONS the number of sessions open at once. The URL is written
 * to stderr; SIGTERM or SIGINT drain and exit 0, and so does the loss of the parent's IPC
 * channel when there is one.
 */
export async function runHttp(
  component: string,
  endpoints: readonly HttpEndpoint[],
  argv: readonly string[],
  logger: Logger,
): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    logger.error(`${(error as Error).message} (flags: --http [--port N] [--host H] [--stateless] [--allow-origin O] [--now ISO])`);
    process.exit(2);
  }
  const port = values.port === undefined ? DEFAULT_HTTP_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    logger.error(`--port must be a whole number from 0 to 65535, got "${values.port}"`);
    process.exit(2);
  }
  const host = values.host ?? '127.0.0.1';
  const token = process.env.HELPDESK_HTTP_TOKEN || undefined;
  const idleMs = positiveSetting('HELPDESK_HTTP_SESSION_IDLE_MS', 'ms', logger);
  const maxSessions = positiveSetting('HELPDESK_HTTP_MAX_SESSIONS', 'sessions', logger);
  let service;
  try {
    service = await serveHttp(endpoints, {
      host,
      port,
      stateless: values.stateless === true,
      token,
      allowedOrigins: values['allow-origin'] ?? [],
      logger,
      ...(idleMs ? { idleMs } : {}),
      ...(maxSessions ? { maxSessions } : {}),
    });
  } catch (error) {
    logger.error(`cannot listen on ${host}:${port}: ${(error as Error).message}`);
    process.exit(1);
  }
  const shown = host.includes(':') ? `[${host}]` : host;
  for (const endpoint of endpoints) {
    process.stderr.write(
      `${component}: MCP over Streamable HTTP at http://${shown}:${service.port}${endpoint.path}${token ? ' (bearer token required)' : ''}\n`,
    );
  }
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void service.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // Started by a parent with an IPC channel (`helpdesk serve`): when that parent dies, even by
  // SIGKILL, the kernel closes the channel, and a server left behind would keep the port.
  if (process.channel) {
    process.once('disconnect', stop);
    process.channel.unref();
  }
}

import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { clockFrom } from '../../src/shared/clock.ts';
import { createLogger, parseLogLevel } from '../../src/shared/log.ts';
import { LineTransport, MAX_MESSAGE_BYTES } from './line-transport.ts';
import type { ServerDeps } from './server.ts';

/** The value of `--now <instant>` or `--now=<instant>` in argv, if present. */
export function nowFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--now') return argv[i + 1];
    if (arg?.startsWith('--now=')) return arg.slice('--now='.length);
  }
  return undefined;
}

/**
 * Runs one server over stdio until its input ends or it is told to stop — or, with `--http`,
 * over Streamable HTTP at /mcp (see runHttp). The clock is pinned
 * by `--now` or HELPDESK_NOW; a malformed value stops the server with exit code 2 and a
 * message on stderr, because a silently unpinned clock would give wrong answers. A message past
 * 10 MiB is dropped with a line on stderr (and answered with an error when its id can be read);
 * the server keeps serving.
 */
export async function runStdio(component: string, build: (deps: ServerDeps) => Server): Promise<void> {
  const logger = createLogger(component, parseLogLevel(process.env.HELPDESK_LOG_LEVEL, 'warn'));
  let deps: ServerDeps;
  try {
    deps = { clock: clockFrom(nowFlag(process.argv.slice(2)) ?? process.env.HELPDESK_NOW), logger };
  } catch (error) {
    logger.error((error as Error).message);
    process.exit(2);
  }
  const argv = process.argv.slice(2);
  if (argv.includes('--http')) {
    // Loaded only when asked for: the HTTP stack would cost every stdio start-up its load time.
    const { runHttp } = await import('./http-main.ts');
    await runHttp(component, [{ path: '/mcp', build: () => build(deps) }], argv, logger);
    return;
  }
  const server = build(deps);
  const transport = new LineTransport(process.stdin, process.stdout);
  transport.ondrop = (size) => {
    logger.error(
      `dropped a message of ${size.toLocaleString('en-US')} bytes on stdin: one message may have at most ${MAX_MESSAGE_BYTES.toLocaleString('en-US')} bytes; serving on`,
    );
  };
  let closing = false;
  const stop = (code: number): void => {
    if (closing) return;
    closing = true;
    void server.close().finally(() => process.exit(code));
  };
  process.stdin.once('end', () => stop(0));
  process.once('SIGTERM', () => stop(0));
  // A terminal's Ctrl+C reaches every process of the foreground group, this server included,
  // when a client such as `helpdesk chat` started it. The client decides when its servers stop
  // (stdin closed, then SIGTERM), so only a server run by hand in a terminal stops on Ctrl+C.
  process.on('SIGINT', () => {
    if (process.stdin.isTTY) stop(130);
  });
  await server.connect(transport);
  logger.debug('ready');
}

#!/usr/bin/env node
// All five servers in one process over Streamable HTTP, each at /<server>/mcp: the quick
// deployment behind `helpdesk serve`. The composition root of servers/: the only file that
// imports more than one server's builder. Flags as for one server's --http (see kit/http-main.ts).
import { clockFrom } from '../../src/shared/clock.ts';
import { createLogger, parseLogLevel } from '../../src/shared/log.ts';
import { buildServer as assets } from '../assets/server.ts';
import { buildServer as billing } from '../billing/server.ts';
import { buildServer as customers } from '../customers/server.ts';
import { runHttp } from '../kit/http-main.ts';
import { nowFlag } from '../kit/stdio.ts';
import { buildServer as kb } from '../kb/server.ts';
import { buildServer as tickets } from '../tickets/server.ts';

const logger = createLogger('helpdesk-serve', parseLogLevel(process.env.HELPDESK_LOG_LEVEL, 'warn'));
const argv = process.argv.slice(2).filter((arg) => arg !== '--http');
let clock;
try {
  clock = clockFrom(nowFlag(argv) ?? process.env.HELPDESK_NOW);
} catch (error) {
  logger.error((error as Error).message);
  process.exit(2);
}
const deps = { clock, logger };
const builders = { tickets, customers, billing, kb, assets };
const endpoints = Object.entries(builders).map(([name, build]) => ({ path: `/${name}/mcp`, build: () => build(deps) }));
await runHttp('helpdesk-serve', endpoints, ['--http', ...argv], logger);

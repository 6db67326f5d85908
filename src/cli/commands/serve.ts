import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT, serverEntry } from '../../orchestrator/builtin-servers.ts';
import { SERVE_STOP_TIMEOUT_MS } from '../../orchestrator/constants.ts';
import { EXIT } from '../exit-codes.ts';
import { Interrupts } from '../interrupts.ts';
import { readSettings } from '../settings.ts';

export const SERVE_HELP = `Usage: helpdesk serve [--port N] [--host H] [--stateless] [--allow-origin O]...

Serves the five MCP servers over Streamable HTTP on one port, each at
http://<host>:<port>/<server>/mcp (tickets, customers, billing, kb, assets), until Ctrl+C
or SIGTERM: requests in flight finish first (up to 5 s), then it exits 130.

Options:
  --port <n>          port (default 3100; 0 picks a free one)
  --host <h>          address to bind (default 127.0.0.1: this machine only). Another address
                      turns off the Host check that stops DNS rebinding
  --stateless         no sessions: each POST is answered on its own; GET and DELETE are 405
  --allow-origin <o>  a browser origin allowed besides the server's own (repeatable)
  --now <instant>     pin the servers' clock (default HELPDESK_NOW, else the dataset's date)
  -h, --help          show this help

Environment: HELPDESK_HTTP_TOKEN requires "Authorization: Bearer <token>" on every request
(401 otherwise); it is never logged. HELPDESK_HTTP_SESSION_IDLE_MS: a session idle this long
is reclaimed (default 900000, 15 minutes). HELPDESK_HTTP_MAX_SESSIONS: sessions open at once
(default 1000); past it a new session gets 503.`;

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  stateless: { type: 'boolean' },
  'allow-origin': { type: 'string', multiple: true },
  now: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Ending = { readonly kind: 'exited'; readonly code: number } | { readonly kind: 'interrupted' };

/**
 * `helpdesk serve`: runs servers/all (the five servers in one process, over HTTP) as a child with
 * only the servers' allowed environment and the HELPDESK_HTTP_* settings, and ends with it. The
 * child has a process group of its own, so Ctrl+C and SIGTERM reach it through this command
 * alone: it is asked to drain (SIGTERM), killed past SERVE_STOP_TIMEOUT_MS or on a second Ctrl+C,
 * and the command exits 130. An IPC channel ties the child to this process: if this one dies
 * without a word (SIGKILL), the kernel closes the channel and the child stops too, freeing the
 * port. (A pipe on the child's stdin would close as well, but servers/all run by hand with
 * stdin from /dev/null would then stop at once; only a parent that asked for IPC has a channel.)
 */
export async function serveCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  if (values.help) {
    process.stdout.write(`${SERVE_HELP}\n`);
    return EXIT.ok;
  }
  const settings = readSettings(env);
  const childEnv = { ...settings.serverEnv, ...settings.httpServerEnv };
  const child = spawn(process.execPath, [serverEntry('all', PROJECT_ROOT), ...argv], {
    env: childEnv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: process.platform !== 'win32',
  });
  const exited = new Promise<Ending>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ kind: 'exited', code: code ?? (signal ? 128 : 1) }));
  });
  const stop = Promise.withResolvers<Ending>();
  let stopping = false;
  const interrupts = new Interrupts(() => {
    if (stopping) child.kill('SIGKILL'); // a second Ctrl+C: no more waiting for the drain
    stopping = true;
    stop.resolve({ kind: 'interrupted' });
  });
  try {
    const ending = await Promise.race([exited, stop.promise]);
    if (ending.kind === 'exited') return ending.code;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), SERVE_STOP_TIMEOUT_MS);
    await exited.finally(() => clearTimeout(timer));
    return EXIT.interrupted;
  } finally {
    interrupts.dispose();
  }
}

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../orchestrator/errors.ts';
import { startViewer } from '../../harness/viewer/server.ts';
import { EXIT } from '../exit-codes.ts';
import { Interrupts } from '../interrupts.ts';
import { openProject } from '../../harness/suite/project.ts';

export const VIEW_HELP = `Usage: helpdesk view [reports-dir] [--port N]

Serves a folder of eval reports (default: reports/ of the project — this repository's, or the
one helpdesk.config.json here names) on 127.0.0.1 until Ctrl+C:
  /                                 the runs, newest first, with their headline numbers
  /runs/<run-id>/                   a run's report.html (and its other files)
  /compare?base=<id>&head=<id>      two runs side by side: regressions, fixes, new and removed
                                    scenarios, latency and token changes
Only this machine can connect; there is no --host.

Options:
  --port <n>   port (default 0: a free one, printed with the URL)
  -h, --help   show this help`;

const OPTIONS = { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

function portOf(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new ConfigError(`--port must be a whole number from 0 to 65535, got "${value}"`);
  return port;
}

function folderOf(positional: string | undefined, env: NodeJS.ProcessEnv): string {
  const dir = positional === undefined ? openProject(undefined, env).reportsDir : resolve(positional);
  let isFolder = false;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch {
    // Reported below, as a folder that is not there.
  }
  if (!isFolder) throw new ConfigError(`view: no reports folder at ${dir}`);
  return dir;
}

/** `helpdesk view`: serves the reports folder until Ctrl+C or SIGTERM, then frees the port and exits 130. */
export async function viewCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  if (values.help) {
    process.stdout.write(`${VIEW_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw new ConfigError(`view takes one folder, got ${positionals.length}: ${positionals.join(' ')}`);
  const dir = folderOf(positionals[0], env);
  const port = portOf(values.port);
  const viewer = await startViewer({ root: dir, port }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE' || error.code === 'EACCES')
      throw new ConfigError(`view: cannot listen on 127.0.0.1:${port} (${error.code})`, { cause: error });
    throw error;
  });
  const stopped = Promise.withResolvers<void>();
  // Listening for Ctrl+C before the URL is printed: whoever reads the URL may stop the command at once.
  const interrupts = new Interrupts(() => stopped.resolve());
  process.stdout.write(`Serving ${dir} at ${viewer.url}\n`);
  try {
    await stopped.promise;
  } finally {
    interrupts.dispose();
    await viewer.close();
  }
  return EXIT.interrupted;
}

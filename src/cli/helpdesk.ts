#!/usr/bin/env node
// The `helpdesk` command: the only entry point that reads argv and the environment.
import { ConfigError, HelpdeskError, ModelError, ServerStartError, StorageError } from '../orchestrator/errors.ts';
import { stopTracing } from '../shared/tracing.ts';
import { EXIT } from './exit-codes.ts';
import { loadDotEnv } from './settings.ts';

const HELP = `Usage: helpdesk <command> [options]

An IT-support assistant on five MCP servers (tickets, customers, billing, knowledge base, assets).

Commands:
  chat               interactive prompt that keeps the conversation
  ask "<question>"   answer one question and exit (--json for the transcript)
  tools              list the servers and their tools (no API key needed)
  eval               run the scenario suite: replay (default, offline), --record, --author, --live
  serve              serve the five servers over Streamable HTTP, each at /<server>/mcp
  init [dir]         set up an evaluation project for your own MCP servers (config, prompt,
                     an example scenario and cassette, a CI workflow)
  view [dir]         browse the eval reports (default reports/) on 127.0.0.1 and compare two runs

Run "helpdesk <command> --help" for its options.

Environment (also read from .env): OPENAI_API_KEY, OPENAI_BASE_URL (any OpenAI-compatible
endpoint), OPENAI_MODEL, HELPDESK_NOW (pin the clock), HELPDESK_LOG_LEVEL, and for eval's judge
HELPDESK_JUDGE_MODEL, HELPDESK_JUDGE_BASE_URL, HELPDESK_JUDGE_API_KEY.

Exit codes: 0 ok, 1 model API failed, 2 bad usage or configuration, 3 a server failed to
start, 4 iteration cap reached without an answer, 130 interrupted.`;

type Command = (argv: string[], env: NodeJS.ProcessEnv) => Promise<number>;

// Each command's module is loaded when it runs: `helpdesk tools` need not load the harness, nor
// `helpdesk eval` init's prompts and the viewer (about a tenth of a start's modules, ~860 in all).
const COMMANDS = new Map<string, () => Promise<Command>>([
  ['chat', async () => (await import('./commands/chat.ts')).chatCommand],
  ['ask', async () => (await import('./commands/ask.ts')).askCommand],
  ['tools', async () => (await import('./commands/tools.ts')).toolsCommand],
  ['eval', async () => (await import('./commands/eval.ts')).evalCommand],
  ['init', async () => (await import('./commands/init.ts')).initCommand],
  ['serve', async () => (await import('./commands/serve.ts')).serveCommand],
  ['view', async () => (await import('./commands/view.ts')).viewCommand],
]);

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${HELP}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const load = COMMANDS.get(name);
  if (!load) {
    process.stderr.write(`helpdesk: unknown command "${name}"\n\n${HELP}\n`);
    return EXIT.usage;
  }
  loadDotEnv(process.env);
  try {
    const run = await load();
    return await run(rest, process.env);
  } catch (error) {
    return report(error);
  }
}

/** Turns a failure into a message and an exit code; stack traces only for real bugs. */
function report(error: unknown): number {
  if (error instanceof ConfigError || error instanceof StorageError) {
    process.stderr.write(`helpdesk: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof ServerStartError) {
    process.stderr.write(
      `helpdesk: ${error.message}\n${error.stderr ? `  last stderr lines:\n    ${error.stderr.split('\n').join('\n    ')}\n` : ''}  The other servers were stopped.\n`,
    );
    return EXIT.serverStart;
  }
  if (error instanceof ModelError) {
    process.stderr.write(`helpdesk: ${error.message}\n`);
    return EXIT.modelError;
  }
  if (error instanceof HelpdeskError) {
    process.stderr.write(`helpdesk: ${error.message} (${error.code})\n`);
    return 1;
  }
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`helpdesk: ${error.message}\n`);
    return EXIT.usage;
  }
  process.stderr.write(`helpdesk: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

// A reader that stops early (`helpdesk tools | head -1`) closes the pipe: what is left to print has
// nobody to read it, which is not the command's failure. It finishes its work (its servers stop as
// usual) and ends with its own exit code; any other error on stdout still ends it as before.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
});

process.exitCode = await main(process.argv.slice(2));
// Traced runs: the spans still buffered go to the collector before the process ends.
await stopTracing();

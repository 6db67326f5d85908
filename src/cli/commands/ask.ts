import { parseArgs } from 'node:util';
import { runQuery } from '../../orchestrator/agent-loop.ts';
import { systemPrompt } from '../../orchestrator/prompt.ts';
import { EXIT } from '../exit-codes.ts';
import { wholeNumber } from '../numbers.ts';
import { describeEvent, describeStop } from '../format.ts';
import { Interrupts } from '../interrupts.ts';
import { openProject } from '../../harness/suite/project.ts';
import { openModel, openPool } from '../open.ts';
import { readSettings, today } from '../settings.ts';
import { ConfigError } from '../../orchestrator/errors.ts';
import { startTracing, type TraceSpan } from '../../shared/tracing.ts';

export const ASK_HELP = `Usage: helpdesk ask "<question>" [options]

Answers one question with the live model and the MCP servers, then stops.

Options:
  --json                 print the whole transcript as JSON instead of the answer
  --verbose              show each model and tool call on stderr as it happens
  --max-iterations <n>   model calls allowed for the question (default 10)
  --tool-timeout <ms>    timeout of each tool call (default 10000)
  --model <name>         the model (default OPENAI_MODEL, else gpt-4o-mini)
  --api <chat|responses> how to reach it: chat completions (default) or the Responses API
                         (or HELPDESK_MODEL_API, or the config's "api")
  --now <ISO-8601>       pin the clock, e.g. 2025-10-05T12:00:00Z (or HELPDESK_NOW)
  --config <file>        a config file: its mcpServers (merged over the built-in servers
                         unless builtinServers is false) and system prompt; default
                         helpdesk.config.json in this folder, if there is one
  -h, --help             show this help

Environment: OPENAI_API_KEY (required), OPENAI_BASE_URL, OPENAI_MODEL, HELPDESK_MODEL_API; a .env file is read too.`;

/** Ends a command's span, when traced. */
function endSpan(span: TraceSpan | undefined): void {
  span?.end();
}

/** `helpdesk ask`: one question, one answer (or the transcript with --json). */
export async function askCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
      'max-iterations': { type: 'string' },
      'tool-timeout': { type: 'string' },
      now: { type: 'string' },
      config: { type: 'string' },
      model: { type: 'string' },
      api: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${ASK_HELP}\n`);
    return EXIT.ok;
  }
  const question = positionals.join(' ').trim();
  if (question === '')
    throw new ConfigError('ask needs a question, e.g. helpdesk ask "What are the critical tickets for customer CUST-001?"');
  const maxIterations = wholeNumber(values['max-iterations'], '--max-iterations', 1);
  const toolTimeout = wholeNumber(values['tool-timeout'], '--tool-timeout', 1);
  const project = openProject(values.config, env);
  const settings = readSettings(env, values.now, values.model, values.api, project.api);
  const model = openModel(settings);
  const tracing = await startTracing(env);
  const pool = await openPool(settings, project.servers, toolTimeout);
  let quitting = false;
  const interrupts = new Interrupts(() => {
    if (quitting) return;
    quitting = true;
    void pool.close().finally(() => process.exit(EXIT.interrupted));
  });
  const trace = tracing?.root('helpdesk ask', { attributes: { 'helpdesk.command': 'ask' } });
  try {
    const { transcript } = await runQuery({
      trace,
      model,
      tools: pool,
      query: question,
      systemPrompt: systemPrompt(today(settings), project.promptTemplate),
      signal: interrupts.begin(),
      settings: project.modelSettings,
      ...(maxIterations ? { maxIterations } : {}),
      ...(values.verbose
        ? {
            onEvent: (event) => {
              const line = describeEvent(event);
              if (line) process.stderr.write(`${line}\n`);
            },
          }
        : {}),
    });
    if (values.json) process.stdout.write(`${JSON.stringify(transcript, null, 2)}\n`);
    else if (transcript.stop_reason === 'final_answer') process.stdout.write(`${transcript.answer}\n`);
    else process.stderr.write(`${describeStop(transcript)}\n`);
    switch (transcript.stop_reason) {
      case 'final_answer':
        return EXIT.ok;
      case 'max_iterations':
        return EXIT.maxIterations;
      case 'aborted':
        return EXIT.interrupted;
      case 'model_error':
        return EXIT.modelError;
    }
  } finally {
    endSpan(trace);
    interrupts.dispose();
    await pool.close();
  }
}

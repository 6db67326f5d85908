import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runQuery } from '../../orchestrator/agent-loop.ts';
import type { ChatMessage, ModelClient, ModelSettings } from '../../orchestrator/model-client.ts';
import { writableRoot } from '../../orchestrator/builtin-servers.ts';
import { MODEL_MAX_RETRIES } from '../../orchestrator/constants.ts';
import type { Transcript } from '../../orchestrator/transcript.ts';
import type { Interaction } from '../../harness/cassettes/cassette.ts';
import { Recorder } from '../../harness/cassettes/recorder.ts';
import { resultDetails } from '../../harness/reporters/terminal.ts';
import { saveConversation, type SaveTarget } from '../../harness/suite/save-conversation.ts';
import { ConfigError } from '../../orchestrator/errors.ts';
import { systemPrompt } from '../../orchestrator/prompt.ts';
import type { ServerPool } from '../../orchestrator/server-pool.ts';
import { EXIT } from '../exit-codes.ts';
import { describeEvent, describeServers, describeStop } from '../format.ts';
import { Interrupts } from '../interrupts.ts';
import { startTracing, type Tracing } from '../../shared/tracing.ts';
import { openProject, saveTarget } from '../../harness/suite/project.ts';
import { openModel, openPool } from '../open.ts';
import { readSettings, today, type Settings } from '../settings.ts';
import { renderTable } from '../../harness/reporters/table.ts';
import { TerminalUi } from '../terminal-ui.ts';
import { LineUi, type Ui } from '../ui.ts';

/** The commands at the chat prompt (shown by /help and in --help). */
export const PROMPT_COMMANDS = `Commands at the prompt:
  /tools                     list the tools
  /servers                   health of each server
  /call <tool> [json]        call a tool directly (works without an API key)
  /new                       start a new conversation
  /save <id>                 save this conversation as scenario <id> with its cassette
  /help                      show these commands
  /quit                      leave (also: exit, quit, Ctrl+D)
Ctrl+C cancels the running question; a second Ctrl+C leaves.`;

export const CHAT_HELP = `Usage: helpdesk chat [options]

An interactive prompt: ask questions in plain language; the conversation is kept, so
follow-up questions work. Each tool call is shown live with its server and time.

${PROMPT_COMMANDS}

Options:
  --model <name>     the model (default OPENAI_MODEL, else gpt-4o-mini)
  --api <chat|responses>  chat completions (default) or the Responses API (or HELPDESK_MODEL_API,
                     or the config's "api")
  --now <ISO-8601>   pin the clock, e.g. 2025-10-05T12:00:00Z (or HELPDESK_NOW)
  --config <file>    a config file: its mcpServers (merged over the built-in servers unless
                     builtinServers is false), system prompt and folders; default
                     helpdesk.config.json in this folder, if there is one
  --scenarios <dir>  where /save writes scenarios (default scenarios/ of the project)
  --recordings <dir> where /save writes cassettes (default recordings/ of the project)
  -h, --help         show this help`;

const NO_KEY = [
  'No model is configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for a local or other',
  'OpenAI-compatible server) in the environment or in a .env file, then restart chat.',
  'Until then you can call tools directly, e.g. /call search_tickets {"priority":"critical"}',
].join('\n');

/** A running chat: the servers, the model (if any) and the conversation so far. */
export interface ChatContext {
  readonly ui: Ui;
  readonly pool: ServerPool;
  readonly model: ModelClient | undefined;
  readonly modelProblem: string | undefined;
  readonly settings: Settings;
  readonly interrupts: Pick<Interrupts, 'begin' | 'end'>;
  /** Keeps the model exchanges on the wire, for /save. */
  readonly recorder?: Recorder | undefined;
  /** Where /save writes (defaults to this repository's scenarios/ and recordings/). */
  readonly saveTo?: SaveTarget;
  /** The project's sampling settings for each model request. */
  readonly modelSettings?: ModelSettings | undefined;
  /** Traced (OTEL_EXPORTER_OTLP_ENDPOINT set): each question is a trace of its own. */
  readonly tracing?: Tracing | undefined;
  /** The project's system prompt ("{{today}}" marks the date); default the built-in one. */
  readonly promptTemplate?: string | undefined;
}

/** The conversation since the last /new, as /save needs it. */
interface Conversation {
  history: ChatMessage[];
  transcripts: Transcript[];
  interactions: Interaction[];
  startedAt: string | undefined;
}

async function directCall(ctx: ChatContext, rest: string): Promise<void> {
  const match = /^(\S+)\s*(.*)$/s.exec(rest.trim());
  if (!match) {
    ctx.ui.error('usage: /call <tool> [json arguments]');
    return;
  }
  const [, name = '', json = ''] = match;
  let args: unknown = {};
  try {
    args = json.trim() === '' ? {} : JSON.parse(json);
  } catch (error) {
    ctx.ui.error(`arguments are not valid JSON: ${(error as Error).message}`);
    return;
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    ctx.ui.error('arguments must be a JSON object, e.g. {"ticket_id":"TKT-1001"}');
    return;
  }
  const outcome = await ctx.pool.callTool(name, args as Record<string, unknown>);
  const body = outcome.envelope ?? safeJson(outcome.content);
  ctx.ui.print(`${outcome.envelope ? '✗' : '✓'} ${name} [${outcome.server ?? 'orchestrator'}] ${outcome.durationMs.toFixed(1)} ms`);
  ctx.ui.print(typeof body === 'string' ? body : JSON.stringify(body, null, 2));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function question(ctx: ChatContext, text: string, conversation: Conversation): Promise<void> {
  if (!ctx.model) {
    ctx.ui.print(ctx.modelProblem ?? NO_KEY);
    return;
  }
  conversation.startedAt ??= ctx.settings.now ?? ctx.settings.clock.now().toISOString();
  const firstExchange = ctx.recorder?.interactions.length ?? 0;
  const signal = ctx.interrupts.begin();
  const trace = ctx.tracing?.root('helpdesk chat', { attributes: { 'helpdesk.command': 'chat' } });
  try {
    const { transcript, messages } = await runQuery({
      trace,
      model: ctx.model,
      tools: ctx.pool,
      query: text,
      history: conversation.history,
      signal,
      settings: ctx.modelSettings,
      systemPrompt: systemPrompt(today(ctx.settings), ctx.promptTemplate),
      onEvent: (event) => {
        const line = describeEvent(event);
        if (line) ctx.ui.print(line);
      },
    });
    const resume = transcript.stop_reason === 'model_error' ? '\nThe servers are still running; you can ask again.' : '';
    ctx.ui.print(`\n${describeStop(transcript)}${resume}\n`);
    // A failed question is not part of the conversation (its history is rolled back), so it is not saved either.
    if (transcript.stop_reason === 'final_answer' || transcript.stop_reason === 'max_iterations') {
      conversation.transcripts.push(transcript);
      conversation.interactions.push(...(ctx.recorder?.interactions.slice(firstExchange) ?? []));
    }
    conversation.history = messages;
  } finally {
    trace?.end();
    ctx.interrupts.end();
  }
}

async function save(ctx: ChatContext, id: string, conversation: Conversation): Promise<void> {
  if (!ctx.recorder || !ctx.model) {
    ctx.ui.error('/save needs a model conversation to save; set OPENAI_API_KEY first');
    return;
  }
  const root = writableRoot();
  const target = ctx.saveTo ?? { scenariosDir: resolve(root, 'scenarios'), recordingsDir: resolve(root, 'recordings'), root };
  try {
    const saved = await saveConversation(
      id,
      {
        transcripts: conversation.transcripts,
        interactions: conversation.interactions,
        now: conversation.startedAt ?? ctx.settings.clock.now().toISOString(),
        model: ctx.model.model,
        maxRetries: ctx.settings.modelRetries ?? MODEL_MAX_RETRIES,
      },
      target,
    );
    ctx.ui.print(`Saved ${saved.file} and ${saved.cassette}.`);
    ctx.ui.print(saved.replay.pass ? 'Replayed it offline: pass.' : `Replayed it offline: FAIL\n${resultDetails(saved.replay).join('\n')}`);
  } catch (error) {
    ctx.ui.error(`could not save: ${(error as Error).message}`);
  }
}

function freshConversation(): Conversation {
  return { history: [], transcripts: [], interactions: [], startedAt: undefined };
}

/** The read-eval loop of the chat; returns when the person leaves. */
export async function chatLoop(ctx: ChatContext): Promise<void> {
  let conversation = freshConversation();
  for (;;) {
    const line = await ctx.ui.ask('you> ');
    if (line === null) return;
    const input = line.trim();
    if (input === '') continue;
    const [command = ''] = input.split(/\s+/);
    switch (command.toLowerCase()) {
      case '/quit':
      case '/exit':
      case 'exit':
      case 'quit':
      case 'q':
        return;
      case '/help':
        ctx.ui.print(PROMPT_COMMANDS);
        break;
      case '/new':
        conversation = freshConversation();
        ctx.ui.print('Started a new conversation.');
        break;
      case '/save':
        await save(ctx, input.slice(command.length).trim(), conversation);
        break;
      case '/servers':
        for (const row of describeServers(ctx.pool.servers())) ctx.ui.print(row);
        break;
      case '/tools':
        ctx.ui.print(
          renderTable(
            ['server', 'tool'],
            ctx.pool.registry.list().map((t) => [t.server, t.publicName]),
          ),
        );
        break;
      case '/call':
        await directCall(ctx, input.slice(command.length));
        break;
      default:
        if (command.startsWith('/')) ctx.ui.error(`unknown command ${command}; /help lists the commands`);
        else await question(ctx, input, conversation);
    }
  }
}

/** `helpdesk chat`. */
export async function chatCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      now: { type: 'string' },
      config: { type: 'string' },
      scenarios: { type: 'string' },
      recordings: { type: 'string' },
      model: { type: 'string' },
      api: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${CHAT_HELP}\n`);
    return EXIT.ok;
  }
  const project = openProject(values.config, env);
  const settings = readSettings(env, values.now, values.model, values.api, project.api);
  let model: ModelClient | undefined;
  let modelProblem: string | undefined;
  const recorder = new Recorder();
  try {
    model = openModel(settings, recorder.fetch);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    modelProblem = `${error.message}\n${NO_KEY.split('\n').at(-1)}`;
  }
  const ui: Ui = process.stdin.isTTY ? new TerminalUi() : new LineUi(process.stdin, process.stdout);
  const pool = await openPool(settings, project.servers);
  let quitting = false;
  const interrupts = new Interrupts(
    () => {
      if (quitting) return;
      quitting = true;
      ui.print('\nStopping the servers…');
      void pool.close().finally(() => process.exit(EXIT.interrupted));
    },
    () => ui.print('\nCancelling the question… (Ctrl+C again to quit)'),
  );
  try {
    const tools = pool.registry.list().length;
    ui.print(
      `mcp-helpdesk chat: ${pool.servers().length} servers, ${tools} tools; model ${model ? `${model.model}${settings.baseURL ? ` at ${settings.baseURL}` : ''}` : 'not configured'}.`,
    );
    if (!model) ui.print(modelProblem ?? NO_KEY);
    ui.print('Type a question, or /help for commands.');
    const saveTo: SaveTarget = {
      ...saveTarget(project, settings.serverEnv),
      ...(values.scenarios ? { scenariosDir: resolve(values.scenarios) } : {}),
      ...(values.recordings ? { recordingsDir: resolve(values.recordings) } : {}),
    };
    await chatLoop({
      ui,
      pool,
      model,
      modelProblem,
      settings,
      interrupts,
      recorder,
      saveTo,
      promptTemplate: project.promptTemplate,
      modelSettings: project.modelSettings,
      tracing: await startTracing(env),
    });
    ui.print('Goodbye.');
  } finally {
    interrupts.dispose();
    await pool.close();
  }
  return EXIT.ok;
}

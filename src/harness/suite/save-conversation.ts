import { ConfigError } from '../../orchestrator/errors.ts';
import { isResponsesRequest, requestTools } from '../../orchestrator/responses-wire.ts';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServersConfig } from '../../orchestrator/config.ts';
import type { ModelSettings } from '../../orchestrator/model-client.ts';
import type { Transcript } from '../../orchestrator/transcript.ts';
import { cassettePath, toolsHash, writeCassette, type Interaction } from '../cassettes/cassette.ts';
import { observedCalls, type ObservedCall } from '../run/scenario-run.ts';
import { PoolCache } from '../run/pools.ts';
import { ReplayHub } from '../cassettes/replay-hub.ts';
import { runScenario } from './run-scenario.ts';
import { type ScenarioResult } from '../results/scenario-result.ts';
import { loadScenarioFile, ScenarioSchema } from '../scenario/scenario.ts';

/** A conversation as the chat kept it: questions, transcripts and the model exchanges on the wire. */
export interface Conversation {
  readonly transcripts: readonly Transcript[];
  readonly interactions: readonly Interaction[];
  /** The pinned clock of the conversation (or the instant it started). */
  readonly now: string;
  readonly model: string;
  readonly maxRetries: number;
}

/** Where to save, and the project root the servers run from. */
export interface SaveTarget {
  readonly scenariosDir: string;
  readonly recordingsDir: string;
  readonly root: string;
  /** The project's servers and system prompt (default: the built-in ones). */
  readonly servers?: ServersConfig;
  readonly promptTemplate?: string | undefined;
  /** The project's sampling settings (the conversation was held with them, so its replay uses them too). */
  readonly modelSettings?: ModelSettings | undefined;
  /** The environment the servers start with (an allowlist: PATH, HOME, ...). */
  readonly serverEnv?: Readonly<Record<string, string>>;
}

const ID = /^[a-z0-9][a-z0-9-]{0,79}$/;

/** A call as the saved scenario expects it: its arguments, or that they were malformed. */
const savedCall = (c: ObservedCall) => ({
  name: c.name,
  ...(c.malformedArguments !== undefined ? { malformed_arguments: true } : c.arguments ? { args: c.arguments } : {}),
});

/**
 * Writes a conversation as a new scenario and its cassette, then replays it to prove it is green.
 * The expectations are what happened: the tool calls in order with their arguments, and the stop
 * reason; edit the file to loosen or tighten them. Refuses to overwrite an existing scenario.
 */
export async function saveConversation(
  id: string,
  conversation: Conversation,
  target: SaveTarget,
): Promise<{ file: string; cassette: string; replay: ScenarioResult }> {
  if (!ID.test(id)) throw new ConfigError(`"${id}" is not a valid scenario ID: use lower-case letters, digits and "-"`);
  const file = join(target.scenariosDir, `${id}.json`);
  const cassette = cassettePath(target.recordingsDir, id);
  if (existsSync(file) || existsSync(cassette)) throw new ConfigError(`scenario ${id} already exists (${file}); choose another ID`);
  const { transcripts, interactions } = conversation;
  if (transcripts.length === 0 || interactions.length === 0) throw new ConfigError('nothing to save yet: ask a question first');
  const last = transcripts.at(-1) as Transcript;
  const calls = observedCalls(transcripts);
  const scenario = ScenarioSchema.parse({
    $schema: './scenario.schema.json',
    id,
    description: `Saved from helpdesk chat: ${transcripts[0]?.query}`,
    tags: ['saved-from-chat'],
    turns: transcripts.map((t) => t.query),
    now: conversation.now,
    expect: {
      stop_reason: last.stop_reason,
      ...(calls.length > 0 ? { tools: { mode: 'in_order', calls: calls.map(savedCall) } } : {}),
    },
  });
  mkdirSync(target.scenariosDir, { recursive: true });
  const { model: _defaultModel, ...written } = scenario;
  writeFileSync(file, `${JSON.stringify(written, null, 2)}\n`);
  writeCassette(cassette, {
    format: 1,
    scenario: id,
    source: 'live',
    model: conversation.model,
    ...(isResponsesRequest(interactions[0]?.request) ? { api: 'responses' as const } : {}),
    recorded_at: new Date().toISOString(),
    tools_hash: toolsHash(requestTools(interactions[0]?.request)),
    max_retries: conversation.maxRetries,
    interactions: [...interactions],
  });
  return { file, cassette, replay: await replayScenarioFile(file, target) };
}

/** Replays a scenario file against its cassette (offline), on the given servers: is it green? */
async function replayOn(pools: PoolCache, file: string, target: SaveTarget): Promise<ScenarioResult> {
  const hub = new ReplayHub();
  hub.open();
  try {
    return await runScenario(loadScenarioFile(file, target.root), {
      mode: 'replay',
      hub,
      pools,
      recordingsDir: target.recordingsDir,
      promptTemplate: target.promptTemplate,
      modelSettings: target.modelSettings,
    });
  } finally {
    hub.close();
  }
}

/** Runs `use` on freshly started servers of the target, stopped afterwards. */
async function onFreshServers<T>(target: SaveTarget, use: (pools: PoolCache) => Promise<T>): Promise<T> {
  const pools = new PoolCache(target.root, target.serverEnv ?? {}, {}, target.servers);
  try {
    return await use(pools);
  } finally {
    await pools.close();
  }
}

/** Replays one scenario file against its cassette (offline) on fresh servers: is it green? */
export function replayScenarioFile(file: string, target: SaveTarget): Promise<ScenarioResult> {
  return onFreshServers(target, (pools) => replayOn(pools, file, target));
}

/** Writes a scenario's cassette from its script (no model), then replays it on the same servers: is it green? */
export function authorScenarioFile(
  file: string,
  target: SaveTarget,
): Promise<{ authored: ScenarioResult; replay: ScenarioResult | undefined }> {
  return onFreshServers(target, async (pools) => {
    const authored = await runScenario(loadScenarioFile(file, target.root), {
      mode: 'author',
      pools,
      recordingsDir: target.recordingsDir,
      promptTemplate: target.promptTemplate,
      modelSettings: target.modelSettings,
    });
    return { authored, replay: authored.pass ? await replayOn(pools, file, target) : undefined };
  });
}

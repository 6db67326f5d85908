import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../shared/atomic-write.ts';
import { ConfigError } from '../../orchestrator/errors.ts';

/** One recorded exchange: the request body and the response (chat completions or Responses API), as sent on the wire. */
export const InteractionSchema = z
  .object({
    request: z.record(z.string(), z.unknown()),
    response: z.object({ status: z.number().int(), body: z.unknown() }).strict(),
  })
  .strict();

/**
 * A cassette: the ordered model exchanges of one scenario, with a header saying where they came
 * from. Bodies only: headers (and with them API keys) are never written.
 */
export const CassetteSchema = z
  .object({
    format: z.literal(1),
    scenario: z.string(),
    source: z.enum(['live', 'authored']),
    model: z.string(),
    /** The wire format the model was reached through; absent means chat completions. */
    api: z.literal('responses').optional(),
    recorded_at: z.string(),
    /** sha256 of the tool definitions sent in the first request. */
    tools_hash: z.string(),
    /** Retries the OpenAI client was allowed when recording (replay uses the same). */
    max_retries: z.number().int().min(0),
    /** Set by `helpdesk eval --rebase`: when, from which recording (its recorded_at or last rebase) and what changed. */
    rebased: z
      .object({ at: z.string(), from: z.string(), changes: z.array(z.string()) })
      .strict()
      .optional(),
    /** The faults the scenario injected while this was recorded (replay with others fails closed). */
    faults: z.array(z.record(z.string(), z.unknown())).optional(),
    /** Changes of what the model was told (prompt, descriptions, tools) that its live responses predate. */
    stale_responses: z.array(z.string()).optional(),
    interactions: z.array(InteractionSchema),
    /** The judge's exchanges (expect.judge), in order; absent when the scenario has no judge. */
    judge_interactions: z.array(InteractionSchema).optional(),
  })
  .strict();

export type Cassette = z.infer<typeof CassetteSchema>;
export type Interaction = z.infer<typeof InteractionSchema>;

/** JSON with object keys sorted, so equal values always serialise to equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The hash of a request's tool definitions. */
export function toolsHash(tools: unknown): string {
  const cached = tools && typeof tools === 'object' ? hashes.get(tools) : undefined;
  if (cached) return cached;
  const hash = `sha256:${createHash('sha256')
    .update(canonicalJson(tools ?? []))
    .digest('hex')}`;
  if (tools && typeof tools === 'object') hashes.set(tools, hash);
  return hash;
}

/** Hashes of tool lists already seen: a pool hands every scenario the same list, so it is hashed once. */
const hashes = new WeakMap<object, string>();

/** Where a scenario's cassette lives. */
export function cassettePath(dir: string, scenarioId: string): string {
  return join(dir, `${scenarioId}.json`);
}

/** Reads a cassette; undefined when there is none, an Error naming the file when it is invalid. */
export function readCassette(path: string): Cassette | undefined {
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${path}: not valid JSON: ${(error as Error).message}`, { cause: error }, 'invalid_cassette');
  }
  const parsed = CassetteSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      `${path}: not a valid cassette: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      undefined,
      'invalid_cassette',
    );
  }
  return parsed.data;
}

/** Writes a cassette (pretty-printed, so reviews show readable diffs): the whole new one or, if the write fails, the old one as it was. */
export function writeCassette(path: string, cassette: Cassette): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, `${JSON.stringify(CassetteSchema.parse(cassette), null, 2)}\n`);
}

type ToolDef = { function?: { name?: string } };

/** Names of tools added, removed or changed between two tool lists. */
export function changedTools(recorded: unknown, actual: unknown): string[] {
  const byName = (list: unknown) =>
    new Map(((Array.isArray(list) ? list : []) as ToolDef[]).map((t) => [t.function?.name ?? '?', canonicalJson(t)]));
  const before = byName(recorded);
  const after = byName(actual);
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  return names.flatMap((name) => {
    if (!before.has(name)) return [`${name} (added)`];
    if (!after.has(name)) return [`${name} (removed)`];
    return before.get(name) === after.get(name) ? [] : [`${name} (changed)`];
  });
}

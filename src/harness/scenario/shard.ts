import { ConfigError } from '../../orchestrator/errors.ts';

/** One part of a run split across machines: `index` of `count`, 1-based. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses "2/4"; throws a message naming the value otherwise. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new ConfigError(`--shard must look like i/n with 1 ≤ i ≤ n, e.g. 2/4; got "${text}"`);
  }
  return { index, count };
}

/** FNV-1a: a small, stable string hash (the same on every machine and Node version). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Whether a scenario belongs to a shard. Decided by its ID alone, so adding or removing other
 * scenarios never moves it, and every scenario lands in exactly one shard.
 */
export function inShard(id: string, shard: Shard): boolean {
  return fnv1a(id) % shard.count === shard.index - 1;
}

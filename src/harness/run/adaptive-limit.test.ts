import { describe, expect, it } from 'vitest';
import { AdaptiveLimit } from './adaptive-limit.ts';

/** A fetch that answers with the given statuses in order (429s with a short retry-after). */
function endpoint(statuses: number[]): typeof fetch {
  return async () => {
    const status = statuses.shift() ?? 200;
    return new Response('{}', { status, headers: status === 429 ? { 'retry-after-ms': '5' } : {} });
  };
}

describe('the adaptive limit of live model requests', () => {
  it('halves on each 429 down to one, and climbs back by one per 2 × limit answers up to the maximum', async () => {
    const limit = new AdaptiveLimit(8);
    const fetch = limit.wrap(endpoint([429, 429, 429, 429]));
    for (let i = 0; i < 4; i += 1) await fetch('http://x/v1/chat/completions');
    expect(limit.summary()).toEqual({ rate_limited: 4, max_concurrency: 8, lowest_concurrency: 1, final_concurrency: 1 });
    await fetch('http://x');
    await fetch('http://x');
    expect(limit.limit).toBe(2);
    for (let i = 0; i < 4; i += 1) await fetch('http://x');
    expect(limit.limit).toBe(3);
    for (let i = 0; i < 6 + 8 + 10 + 12 + 14; i += 1) await fetch('http://x');
    expect(limit.summary()).toMatchObject({ lowest_concurrency: 1, final_concurrency: 8 });
  });

  it('never has more requests in flight than the limit, and holds new ones back for the retry-after', async () => {
    const limit = new AdaptiveLimit(3);
    let inFlight = 0;
    let most = 0;
    const slow: typeof fetch = async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 10));
      inFlight -= 1;
      return new Response('{}', { status: 200 });
    };
    const fetch = limit.wrap(slow);
    await Promise.all(Array.from({ length: 12 }, () => fetch('http://x')));
    expect(most).toBe(3);
    const held = limit.wrap(async () => new Response('{}', { status: 429, headers: { 'retry-after-ms': '60' } }));
    await held('http://x');
    const started = performance.now();
    await fetch('http://x');
    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
  });
});

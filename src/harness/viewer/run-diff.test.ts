import { describe, expect, it } from 'vitest';
import { BASE_RUN, HOSTILE_ID, viewerRuns } from '../../../test/support/viewer-runs.ts';
import { diffRuns } from './run-diff.ts';

describe('diffRuns', () => {
  const { base, head } = viewerRuns();

  it('finds regressions as compareRuns does, then fixes, new and removed scenarios and cost changes', () => {
    const diff = diffRuns(base, head);
    expect(diff.regressions.map((r) => [r.scenario, r.kind])).toEqual([
      ['password-reset', 'newly_failing'],
      ['password-reset', 'pass_k_drop'],
    ]);
    expect(diff.fixes).toEqual([
      { scenario: 'vpn-outage', before: 0, after: 1, reason: `failed in ${BASE_RUN} (0/2 trials pass), passes now (2/2 trials pass)` },
    ]);
    expect(diff.added).toEqual([HOSTILE_ID, 'new-laptop'].sort());
    expect(diff.removed).toEqual(['old-printer']);
    expect(diff.costs).toEqual([
      {
        scenario: 'slow-lookup',
        kind: 'latency_p95',
        direction: 'worse',
        before: 82,
        after: 570,
        reason: 'p95 end-to-end latency rose from 82 ms to 570 ms',
      },
    ]);
  });

  it('calls a fall of latency better, with the base value before and the head value after', () => {
    const diff = diffRuns(head, base);
    expect(diff.costs).toEqual([
      {
        scenario: 'slow-lookup',
        kind: 'latency_p95',
        direction: 'better',
        before: 570,
        after: 82,
        reason: 'p95 end-to-end latency fell from 570 ms to 82 ms',
      },
    ]);
    expect(diff.fixes.map((f) => f.scenario)).toEqual(['password-reset']);
    expect(diff.regressions.map((r) => r.scenario)).toEqual(['vpn-outage', 'vpn-outage']);
  });

  it('finds nothing between a run and itself', () => {
    expect(diffRuns(head, head)).toEqual({ regressions: [], fixes: [], added: [], removed: [], costs: [] });
  });
});

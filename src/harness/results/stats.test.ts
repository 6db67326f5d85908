import { describe, expect, it } from 'vitest';
import { choose, classify, defaultK, passAtK, passHatK, percentile, wilsonInterval } from './stats.ts';

describe('trial statistics', () => {
  it('counts combinations exactly, and none outside 0..n', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((k) => choose(6, k))).toEqual([1, 6, 15, 20, 15, 6, 1]);
    expect(choose(10, 7)).toBe(120);
    expect(choose(4, -1)).toBe(0);
    expect(choose(4, 5)).toBe(0);
    expect(choose(0, 0)).toBe(1);
  });

  it('gives pass^k as the chance that k draws all pass, from hand-computed values', () => {
    expect(passHatK(4, 2, 2)).toBeCloseTo(1 / 6, 12);
    expect(passHatK(4, 3, 2)).toBeCloseTo(3 / 6, 12);
    expect(passHatK(5, 5, 3)).toBe(1);
    expect(passHatK(5, 2, 3)).toBe(0);
    expect(passHatK(4, 2, 1)).toBeCloseTo(0.5, 12);
    expect(passHatK(4, 4, 4)).toBe(1);
  });

  it('gives pass@k as the chance that at least one of k draws passes, from hand-computed values', () => {
    expect(passAtK(4, 2, 2)).toBeCloseTo(5 / 6, 12);
    expect(passAtK(4, 1, 2)).toBeCloseTo(1 / 2, 12);
    expect(passAtK(5, 0, 3)).toBe(0);
    expect(passAtK(5, 3, 3)).toBe(1);
    expect(passAtK(4, 1, 4)).toBe(1);
  });

  it('has no pass^k or pass@k for k below 1 or above n', () => {
    for (const k of [0, 5]) {
      expect(passHatK(4, 2, k)).toBeNaN();
      expect(passAtK(4, 2, k)).toBeNaN();
    }
  });

  it('bounds the pass rate with the Wilson interval, honest at 0 and n', () => {
    const [low, high] = wilsonInterval(4, 2);
    expect(low).toBeCloseTo(0.15004, 4);
    expect(high).toBeCloseTo(0.84996, 4);
    const [zeroLow, zeroHigh] = wilsonInterval(10, 0);
    expect(zeroLow).toBe(0);
    expect(zeroHigh).toBeCloseTo(0.27753, 4);
    const [allLow, allHigh] = wilsonInterval(10, 10);
    expect(allLow).toBeCloseTo(0.72247, 4);
    expect(allHigh).toBeCloseTo(1, 12);
    expect(allHigh).toBeLessThanOrEqual(1);
    const [wideLow, wideHigh] = wilsonInterval(4, 2, 1);
    expect(wideLow).toBeCloseTo(0.27639, 4);
    expect(wideHigh).toBeCloseTo(0.72361, 4);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });

  it('classifies a scenario by how many of its trials passed', () => {
    expect([classify(0, 0), classify(3, 3), classify(3, 0), classify(3, 1), classify(3, 2)]).toEqual([
      'no_data',
      'stable_pass',
      'stable_fail',
      'flaky',
      'flaky',
    ]);
  });

  it('reports pass^k for half the trials by default, at least one', () => {
    expect([1, 2, 3, 4, 5, 10].map(defaultK)).toEqual([1, 1, 1, 2, 2, 5]);
  });

  it('takes percentiles by nearest rank without reordering its input', () => {
    const values = [40, 10, 30, 20, 50];
    expect(percentile(values, 50)).toBe(30);
    expect(percentile(values, 0)).toBe(10);
    expect(percentile(values, 1)).toBe(10);
    expect(percentile(values, 20)).toBe(10);
    expect(percentile(values, 21)).toBe(20);
    expect(percentile(values, 95)).toBe(50);
    expect(percentile(values, 100)).toBe(50);
    expect(percentile(values, 150)).toBe(50);
    expect(percentile([3, 100, 25], 50)).toBe(25);
    expect(values).toEqual([40, 10, 30, 20, 50]);
    expect(percentile([], 50)).toBeNaN();
  });
});

import { describeFault, type FaultReport } from './fault.ts';

/** A graded check of a faulted run (the shape of the harness's GradeResult). */
export interface FaultCheck {
  readonly name: string;
  readonly pass: boolean;
  readonly reason: string;
}

/**
 * The checks every faulted scenario gets: each fault aimed at a call (not drawn by chance) hit
 * one — else the scenario does not test what it says — and no server process outlived its pool.
 */
export function faultChecks(report: FaultReport): FaultCheck[] {
  const missed = report.active.flatMap((fault, i) =>
    fault.probability === undefined && !report.injections.some((hit) => hit.fault === i + 1)
      ? [`fault ${i + 1} (${describeFault(fault)})`]
      : [],
  );
  const hits = report.injections.map((hit) => `${hit.kind} on ${hit.server}.${hit.tool} (call ${hit.call})`);
  return [
    {
      name: 'faults:injected',
      pass: missed.length === 0,
      reason:
        missed.length === 0
          ? `injected ${hits.length === 0 ? 'nothing (every fault is drawn by chance)' : hits.join(', ')}`
          : `${missed.join(', ')} never hit a call: the run made no matching call${hits.length > 0 ? `; injected ${hits.join(', ')}` : ''}`,
    },
    {
      name: 'faults:processes',
      pass: report.leftover.length === 0,
      reason:
        report.leftover.length === 0
          ? 'no server process outlived the run'
          : `server process(es) ${report.leftover.join(', ')} still running after the pool closed`,
    },
  ];
}

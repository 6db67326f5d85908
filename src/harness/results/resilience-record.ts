import { z } from 'zod';
import { FAULT_KINDS } from '../faults/fault.ts';

const CheckRecord = z.object({ name: z.string(), pass: z.boolean(), reason: z.string() });

/** The fault matrix in results.json: every cell with its invariants, and the scenarios left out. */
export const ResilienceRecordSchema = z.object({
  kinds: z.array(z.enum(FAULT_KINDS)),
  cells: z.array(
    z.object({
      scenario: z.string(),
      tool: z.string(),
      server: z.string(),
      kind: z.enum(FAULT_KINDS),
      pass: z.boolean(),
      duration_ms: z.number(),
      budget_ms: z.number(),
      checks: z.array(CheckRecord),
    }),
  ),
  skipped: z.array(z.object({ scenario: z.string(), reason: z.string() })),
});

export type ResilienceRecord = z.infer<typeof ResilienceRecordSchema>;

/** One row of the matrix: a scenario's cells of each kind, with the first failure's reason. */
export interface ResilienceRow {
  readonly scenario: string;
  readonly cells: ReadonlyMap<string, { readonly runs: number; readonly failed: number; readonly reason: string | undefined }>;
}

/** The matrix as scenario × fault kind: a cell passes when every tool's run of that kind passed. */
export function resilienceRows(record: ResilienceRecord): ResilienceRow[] {
  const rows = new Map<string, Map<string, { runs: number; failed: number; reason: string | undefined }>>();
  for (const cell of record.cells) {
    const row = rows.get(cell.scenario) ?? new Map<string, { runs: number; failed: number; reason: string | undefined }>();
    rows.set(cell.scenario, row);
    const entry = row.get(cell.kind) ?? { runs: 0, failed: 0, reason: undefined };
    entry.runs += 1;
    if (!cell.pass) {
      entry.failed += 1;
      const failure = cell.checks.find((c) => !c.pass);
      entry.reason ??= `${cell.tool}: [${failure?.name ?? '?'}] ${failure?.reason ?? 'failed'}`;
    }
    row.set(cell.kind, entry);
  }
  return [...rows].map(([scenario, cells]) => ({ scenario, cells }));
}

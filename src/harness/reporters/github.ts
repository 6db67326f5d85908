import type { RunRecord } from '../results/records.ts';
import { capText, REPORT_TEXT_MAX_CHARS } from '../results/cap.ts';
import { verdict } from './report-format.ts';
import { displayPath } from '../results/records.ts';

/** Escapes a workflow command's message: %, CR and LF (GitHub's escapeData). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value: as a message, plus ":" and "," (GitHub's escapeProperty). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(properties: Record<string, string>, message: string): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',');
  return `::error ${props}::${escapeData(capText(message, REPORT_TEXT_MAX_CHARS))}`;
}

/** Options for the annotations. */
export interface AnnotationOptions {
  /** The repository root: annotations need scenario files relative to it. */
  readonly root?: string;
}

/**
 * GitHub Actions `::error` annotations for a run: one per failed scenario, pointing at its
 * scenario file, and one per failed gate. Print them to stdout in a workflow step.
 */
export function annotations(record: RunRecord, options: AnnotationOptions = {}): string[] {
  const scenarioLines = record.scenarios.flatMap((scenario) => {
    const outcome = verdict(scenario, record.k);
    if (outcome.status !== 'failed' && outcome.status !== 'error') return [];
    return [
      command(
        { file: displayPath(scenario.file, options.root), title: `${scenario.id}: ${outcome.type ?? 'failed'}` },
        outcome.message ?? 'failed',
      ),
    ];
  });
  const gateLines = record.gates.filter((g) => !g.pass).map((gate) => command({ title: `gate ${gate.name}` }, gate.reason));
  return [...scenarioLines, ...gateLines];
}

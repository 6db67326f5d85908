import type { RunRecord, ScenarioRecord, TrialRecord } from '../results/records.ts';
import { percentile } from '../results/stats.ts';
import { escapeHtml as esc, formatMs, toolLabel } from './report-format.ts';

/** One named set of durations to chart. */
export interface LatencySeries {
  readonly label: string;
  readonly values: readonly number[];
}

const PERCENTILES = [50, 95, 99] as const;

/** Chart geometry: the label column on the left, room for value labels on the right. */
interface Frame {
  readonly width: number;
  readonly labelWidth: number;
  readonly plotWidth: number;
  readonly clipAt: number;
}

// About 6.8 px per character of an 11 px label, with a margin before the axis.
const frame = (width: number, labelWidth: number): Frame => ({
  width,
  labelWidth,
  plotWidth: width - labelWidth - 56,
  clipAt: Math.floor((labelWidth - 12) / 6.8),
});

/** Every chart takes the page's width, so long tool names and many scenarios stay readable. */
const BAR_FRAME = frame(1090, 260);
const STRIP_FRAME = frame(1090, 260);

/** Trials whose timings mean something: not infrastructure errors, and the agent actually ran. */
function timedTrials(scenario: ScenarioRecord): TrialRecord[] {
  return scenario.trials.filter((t) => t.infra_error === null && t.transcripts.length > 0);
}

/** The latency series of a run: end to end and model calls, then one per server/tool seen. */
export function latencySeries(record: RunRecord): { queries: LatencySeries[]; tools: LatencySeries[] } {
  const trials = record.scenarios.flatMap(timedTrials);
  const tools = new Map<string, number[]>();
  for (const call of trials.flatMap((t) => t.latency.tools)) {
    const label = toolLabel(call.server, call.name);
    tools.set(label, [...(tools.get(label) ?? []), call.ms]);
  }
  return {
    queries: [
      { label: 'end to end', values: trials.map((t) => t.latency.end_to_end_ms) },
      { label: 'model', values: trials.flatMap((t) => t.latency.model_ms) },
    ],
    tools: [...tools.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([label, values]) => ({ label, values })),
  };
}

/** Axis ticks at 1, 2 or 5 times a power of ten, covering `max`. */
export function niceTicks(max: number): number[] {
  const top = max > 0 && Number.isFinite(max) ? max : 1;
  const raw = top / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const count = Math.ceil(top / step - 1e-9);
  return Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

function axis(ticks: readonly number[], scale: (v: number) => number, top: number, bottom: number): string {
  return ticks
    .map((tick) => {
      const x = scale(tick).toFixed(1);
      return (
        `<line class="grid" x1="${x}" x2="${x}" y1="${top}" y2="${bottom}"/>` +
        `<text class="tick" x="${x}" y="${bottom + 14}" text-anchor="middle">${esc(formatMs(tick))}</text>`
      );
    })
    .join('');
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * A horizontal bar chart of p50/p95/p99 for each series, on one linear axis (series without
 * values are listed as such). Inline SVG, no script.
 */
export function percentileChart(title: string, series: readonly LatencySeries[]): string {
  const rows = series.map((s) => ({ ...s, stats: s.values.length === 0 ? null : PERCENTILES.map((p) => percentile(s.values, p)) }));
  const max = Math.max(0, ...rows.flatMap((r) => r.stats ?? []));
  const ticks = niceTicks(max);
  const top = ticks.at(-1) ?? 1;
  const { width, labelWidth, plotWidth, clipAt } = BAR_FRAME;
  const scale = (v: number) => labelWidth + (v / top) * plotWidth;
  const barHeight = 9;
  const groupHeight = PERCENTILES.length * (barHeight + 2) + 14;
  const plotTop = 34;
  const plotBottom = plotTop + rows.length * groupHeight;
  const height = plotBottom + 26;
  const groups = rows
    .map((row, i) => {
      const y0 = plotTop + i * groupHeight + 7;
      const label = `<text class="label" x="${labelWidth - 10}" y="${y0 + 18}" text-anchor="end">${esc(clip(row.label, clipAt))}<title>${esc(row.label)} (${row.values.length} samples)</title></text>`;
      if (!row.stats) return `${label}<text class="tick" x="${labelWidth + 4}" y="${y0 + 18}">no samples</text>`;
      const bars = row.stats
        .map((value, j) => {
          const y = y0 + j * (barHeight + 2);
          const w = Math.max(1, scale(value) - labelWidth).toFixed(1);
          const p = PERCENTILES[j];
          return (
            `<rect class="bar p${p}" x="${labelWidth}" y="${y}" width="${w}" height="${barHeight}"><title>${esc(`${row.label} p${p}: ${formatMs(value)} (${row.values.length} samples)`)}</title></rect>` +
            `<text class="value" x="${(Number(w) + labelWidth + 4).toFixed(1)}" y="${y + barHeight - 1}">${esc(formatMs(value))}</text>`
          );
        })
        .join('');
      return label + bars;
    })
    .join('');
  const legend = PERCENTILES.map((p, i) => {
    const x = labelWidth + i * 70;
    return `<rect class="swatch p${p}" x="${x}" y="8" width="12" height="12"/><text class="tick" x="${x + 16}" y="18">p${p}</text>`;
  }).join('');
  return (
    `<figure class="chart"><figcaption>${esc(title)}</figcaption>` +
    `<svg class="latency-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">` +
    `${legend}${axis(ticks, scale, plotTop, plotBottom)}${groups}</svg></figure>`
  );
}

/** Scenarios the strip plot shows at most: past this, the slowest by median (a 10,000-row plot is 200,000 px high). */
export const STRIP_MAX_ROWS = 50;

const medianOf = (trials: readonly TrialRecord[]) =>
  percentile(
    trials.map((t) => t.latency.end_to_end_ms),
    50,
  );

/**
 * A strip plot of each scenario's end-to-end durations: one dot per counted trial (green
 * passed, red failed) and a tick at the median. A run of more than STRIP_MAX_ROWS scenarios
 * shows its slowest ones by median, slowest first, and says so.
 */
export function endToEndStrip(scenarios: readonly ScenarioRecord[]): string {
  const timed = scenarios.map((s) => ({ id: s.id, trials: timedTrials(s) })).filter((r) => r.trials.length > 0);
  if (timed.length === 0) return '<p class="note">No timed trials.</p>';
  const rows =
    timed.length <= STRIP_MAX_ROWS ? timed : [...timed].sort((a, b) => medianOf(b.trials) - medianOf(a.trials)).slice(0, STRIP_MAX_ROWS);
  const caption =
    timed.length <= STRIP_MAX_ROWS
      ? 'End-to-end duration per scenario (one dot per trial, tick at the median)'
      : `End-to-end duration of the ${STRIP_MAX_ROWS} slowest of ${timed.length} scenarios by median, slowest first (one dot per trial, tick at the median)`;
  const max = Math.max(0, ...rows.flatMap((r) => r.trials.map((t) => t.latency.end_to_end_ms)));
  const ticks = niceTicks(max);
  const top = ticks.at(-1) ?? 1;
  const { width, labelWidth, plotWidth, clipAt } = STRIP_FRAME;
  const scale = (v: number) => labelWidth + (v / top) * plotWidth;
  const rowHeight = 20;
  const plotTop = 8;
  const plotBottom = plotTop + rows.length * rowHeight;
  const height = plotBottom + 26;
  const body = rows
    .map((row, i) => {
      const y = plotTop + i * rowHeight + rowHeight / 2;
      const values = row.trials.map((t) => t.latency.end_to_end_ms);
      const median = scale(percentile(values, 50)).toFixed(1);
      const dots = row.trials
        .map((t) => {
          const x = scale(t.latency.end_to_end_ms).toFixed(1);
          const title = `${row.id} trial ${t.trial}: ${formatMs(t.latency.end_to_end_ms)}, ${t.pass ? 'passed' : 'failed'}`;
          return `<circle class="dot ${t.pass ? 'pass' : 'fail'}" cx="${x}" cy="${y}" r="4.5"><title>${esc(title)}</title></circle>`;
        })
        .join('');
      return (
        `<line class="row" x1="${labelWidth}" x2="${labelWidth + plotWidth}" y1="${y}" y2="${y}"/>` +
        `<a href="#scenario-${esc(row.id)}"><text class="label" x="${labelWidth - 10}" y="${y + 4}" text-anchor="end">${esc(clip(row.id, clipAt))}<title>${esc(row.id)}</title></text></a>` +
        `<line class="median" x1="${median}" x2="${median}" y1="${y - 7}" y2="${y + 7}"><title>${esc(`median ${formatMs(percentile(values, 50))}`)}</title></line>${dots}`
      );
    })
    .join('');
  return (
    `<figure class="chart"><figcaption>${esc(caption)}</figcaption>` +
    `<svg class="strip-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="End-to-end duration per scenario">` +
    `${axis(ticks, scale, plotTop, plotBottom)}${body}</svg></figure>`
  );
}

import type { Transcript, TranscriptEvent } from '../../orchestrator/transcript.ts';
import type { ErrorEnvelope } from '../../shared/envelope.ts';
import type { ScenarioRecord, TrialRecord } from '../results/records.ts';
import { escapeHtml as esc, formatMs, formatTokens, formatUsd, toolLabel, verdict, traceHref } from './report-format.ts';
import { displayPath } from '../results/records.ts';

/** Tool results longer than this are cut in the page (results.json keeps them whole). */
export const RESULT_PREVIEW_CHARS = 4000;

type Event<T extends TranscriptEvent['type']> = Extract<TranscriptEvent, { type: T }>;

/** One row of a turn's timeline: when it started, how long it took, and what it showed. */
interface Step {
  readonly kind: 'user' | 'model' | 'tool' | 'error' | 'answer';
  readonly start: number;
  readonly duration: number;
  readonly title: string;
  readonly body: string;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

function preview(text: string): string {
  if (text.length <= RESULT_PREVIEW_CHARS) return text;
  return `${text.slice(0, RESULT_PREVIEW_CHARS)}\n… (${text.length - RESULT_PREVIEW_CHARS} more characters in results.json)`;
}

function envelopeBlock(envelope: ErrorEnvelope): string {
  const row = (name: string, value: string) => `<dt>${name}</dt><dd>${value}</dd>`;
  return `<dl class="envelope">${[
    row('error', esc(envelope.error)),
    row('reason', esc(envelope.reason)),
    row('suggested actions', `<ul>${envelope.suggested_actions.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>`),
    row('retryable', envelope.retryable ? 'yes' : 'no'),
    envelope.follow_up_tools ? row('follow-up tools', esc(envelope.follow_up_tools.join(', '))) : '',
    envelope.context ? row('context', `<code>${esc(JSON.stringify(envelope.context))}</code>`) : '',
  ].join('')}</dl>`;
}

function modelStep(event: Event<'model_response'>): Step {
  const usage = event.usage
    ? ` · ${formatTokens(event.usage.total_tokens)} tokens (${formatTokens(event.usage.prompt_tokens)} in, ${formatTokens(event.usage.completion_tokens)} out)`
    : '';
  const asked =
    event.tool_calls.length > 0 ? `<p>asked for ${event.tool_calls.map((c) => `<code>${esc(c.name)}</code>`).join(', ')}</p>` : '';
  // Without tool calls the content is the final answer, shown in its own step.
  const text = event.content && event.tool_calls.length > 0 ? `<p class="model-text">${esc(event.content)}</p>` : '';
  return {
    kind: 'model',
    start: Math.max(0, event.at_ms - event.duration_ms),
    duration: event.duration_ms,
    title: `model · iteration ${event.iteration}`,
    body: `<p class="meta">finish: ${esc(event.finish_reason ?? 'none')}${usage}</p>${asked}${text}`,
  };
}

function toolStep(call: Event<'tool_call'>, result: Event<'tool_result'> | undefined): Step {
  const args =
    call.arguments === null
      ? `<p class="meta">arguments that are not a JSON object:</p><pre class="args">${esc(call.raw_arguments)}</pre>`
      : `<pre class="args">${esc(json(call.arguments))}</pre>`;
  let outcome = '<p class="meta">no result recorded</p>';
  if (result?.envelope) outcome = envelopeBlock(result.envelope);
  else if (result)
    outcome = `<details class="result"><summary>result · ${result.content.length.toLocaleString('en-US')} characters</summary><pre>${esc(preview(result.content))}</pre></details>`;
  const flag = result?.is_error ? ' <span class="badge envelope-badge">error envelope</span>' : '';
  return {
    kind: result?.is_error ? 'error' : 'tool',
    start: call.at_ms,
    duration: result?.duration_ms ?? 0,
    title: `tool · <span class="tool-name">${esc(toolLabel(call.server, call.name))}</span>${flag}`,
    body: `<div class="tool-call" data-tool="${esc(call.name)}">${args}${outcome}</div>`,
  };
}

/** The steps of one turn, in the order they happened. */
function steps(transcript: Transcript): Step[] {
  const results = new Map(transcript.events.flatMap((e) => (e.type === 'tool_result' ? [[e.id, e] as const] : [])));
  return transcript.events.flatMap((event): Step[] => {
    switch (event.type) {
      case 'model_response':
        return [modelStep(event)];
      case 'tool_call':
        return [toolStep(event, results.get(event.id))];
      case 'model_error':
        return [
          {
            kind: 'error',
            start: event.at_ms,
            duration: 0,
            title: `model error · ${esc(event.kind)}${event.status ? ` (HTTP ${event.status})` : ''}`,
            body: `<p class="error-text">${esc(event.message)}</p>`,
          },
        ];
      case 'final_answer':
        return [
          { kind: 'answer', start: event.at_ms, duration: 0, title: 'final answer', body: `<p class="answer">${esc(event.content)}</p>` },
        ];
      default:
        return [];
    }
  });
}

function stepRow(step: Step, total: number): string {
  const left = total > 0 ? Math.min(100, (step.start / total) * 100) : 0;
  const width = total > 0 ? Math.max(0.5, Math.min(100 - left, (step.duration / total) * 100)) : 0.5;
  return (
    `<li class="step ${step.kind}"><div class="step-head"><span class="step-title">${step.title}</span>` +
    `<span class="timing">+${esc(formatMs(step.start))}${step.duration > 0 ? ` · ${esc(formatMs(step.duration))}` : ''}</span></div>` +
    `<div class="track" aria-hidden="true"><span class="span ${step.kind}" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%"></span></div>` +
    `${step.body}</li>`
  );
}

function turn(transcript: Transcript, index: number): string {
  return (
    `<div class="turn"><h5>Turn ${index + 1}: <q>${esc(transcript.query)}</q></h5>` +
    `<p class="meta">${esc(transcript.stop_reason)} after ${transcript.iterations} of ${transcript.max_iterations} iterations · ${esc(formatMs(transcript.duration_ms))} · model ${esc(transcript.model)}</p>` +
    `<ol class="steps">${steps(transcript)
      .map((s) => stepRow(s, transcript.duration_ms))
      .join('')}</ol></div>`
  );
}

function trialProblems(trial: TrialRecord): string {
  if (trial.infra_error !== null) return `<p class="error-text">Infrastructure error: ${esc(trial.infra_error)}</p>`;
  const replay = trial.replay.map(
    (r) => `<li><code>${esc(r.code)}</code> ${esc(r.reason)}${r.diff ? `<pre class="diff">${esc(r.diff)}</pre>` : ''}</li>`,
  );
  const checks = trial.failures.map((f) => `<li><code>${esc(f.name)}</code> ${esc(f.reason)}</li>`);
  const crash = trial.reason && replay.length === 0 && checks.length === 0 ? [`<li>${esc(trial.reason)}</li>`] : [];
  const items = [...replay, ...checks, ...crash];
  return items.length === 0 ? '' : `<ul class="problems">${items.join('')}</ul>`;
}

/** The judge's verdicts and the score of a trial, pass or fail (the reasons belong in the report either way). */
function trialGrades(trial: TrialRecord): string {
  const judged = (trial.judge?.calls ?? []).map((c) => {
    const check = trial.checks.find((k) => k.name === `judge:${c.name}`);
    const verdict = c.score === null ? esc(c.error ?? 'no verdict') : `score ${c.score.toFixed(2)} · ${esc(c.reasons.join(' '))}`;
    return `<li class="${check?.pass ? 'pass' : 'fail'}">${check?.pass ? '✓' : '✗'} <strong>judge ${esc(c.name)}</strong> (${esc(c.model)}, ${esc(formatMs(c.ms))}, ${esc(formatTokens(c.usage?.total_tokens ?? 0))} tokens): ${verdict}</li>`;
  });
  const custom = trial.checks
    .filter((c) => c.name.startsWith('custom:'))
    .map(
      (c) =>
        `<li class="${c.pass ? 'pass' : 'fail'}">${c.pass ? '✓' : '✗'} <strong>${esc(c.name)}</strong>${c.score === undefined ? '' : ` ${c.score.toFixed(2)}`}: ${esc(c.reason)}</li>`,
    );
  const score = trial.score === null ? '' : `<p class="meta">score ${trial.score.toFixed(2)}</p>`;
  return judged.length + custom.length === 0 ? score : `${score}<ul class="grades">${[...judged, ...custom].join('')}</ul>`;
}

/** A trial's trace ID, linked to the trace viewer when HELPDESK_TRACE_URL gives one. */
function traceLabel(traceId: string | null, traceUrl: string | undefined): string {
  if (traceId === null) return '';
  const href = traceHref(traceUrl, traceId);
  const id = `<code class="trace-id">${esc(traceId)}</code>`;
  return ` · trace ${href ? `<a href="${esc(href)}" rel="noreferrer">${id}</a>` : id}`;
}

function trialSection(trial: TrialRecord, traceUrl: string | undefined): string {
  const state = trial.infra_error !== null ? 'infra' : trial.pass ? 'pass' : 'fail';
  const label = { infra: 'infrastructure error', pass: 'passed', fail: 'failed' }[state];
  return (
    `<section class="trial ${state}"><h4>Trial ${trial.trial} · <span class="badge ${state}">${label}</span>` +
    ` <span class="meta">${esc(formatMs(trial.latency.end_to_end_ms))} · ${esc(formatTokens(trial.usage.total_tokens))} tokens · ${esc(formatUsd(trial.cost_usd))}${traceLabel(trial.trace_id, traceUrl)}</span></h4>` +
    `${trialProblems(trial)}${trialGrades(trial)}${trial.transcripts.map(turn).join('')}</section>`
  );
}

/** A scenario's collapsible timeline: every trial, every turn, every model and tool call. */
export function scenarioTimeline(scenario: ScenarioRecord, k: number, root?: string, traceUrl?: string): string {
  const outcome = verdict(scenario, k);
  const { summary } = scenario;
  return (
    `<details class="scenario" id="scenario-${esc(scenario.id)}" data-status="${outcome.status}">` +
    `<summary><span class="badge ${outcome.status}">${outcome.status}</span> <strong>${esc(scenario.id)}</strong>` +
    ` <span class="meta">${summary.c}/${summary.n} trials passed${summary.infra ? `, ${summary.infra} infrastructure errors` : ''} · ${esc(summary.class)}</span></summary>` +
    `<div class="scenario-body"><p class="description">${esc(scenario.description)}</p>` +
    `<p class="meta">${esc(displayPath(scenario.file, root))}${scenario.tags.length ? ` · tags: ${esc(scenario.tags.join(', '))}` : ''}</p>` +
    `${outcome.message ? `<p class="error-text">${esc(outcome.message)}</p>` : ''}` +
    `${scenario.trials.map((t) => trialSection(t, traceUrl)).join('')}</div></details>`
  );
}

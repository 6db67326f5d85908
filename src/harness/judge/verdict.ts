import type { ModelClient, Usage } from '../../orchestrator/model-client.ts';
import type { Transcript } from '../../orchestrator/transcript.ts';
import { judgeRequest, JudgeVerdictSchema, type JudgeSpec } from './request.ts';
import type { z } from 'zod';

export type JudgeVerdict = z.infer<typeof JudgeVerdictSchema>;

/** One exchange with the judge, kept for grading and for the reports. */
export interface JudgeCall {
  readonly name: string;
  readonly model: string;
  readonly durationMs: number;
  readonly usage: Usage | null;
  readonly verdict: JudgeVerdict | undefined;
  /** Why there is no verdict: the judge API failed or answered something else. */
  readonly error: string | undefined;
}

/** Reads a verdict out of a judge reply's text (JSON, possibly fenced). */
export function parseVerdict(text: string | null | undefined): JudgeVerdict | string {
  const body = (text ?? '').trim().replace(/^```(?:json)?\s*|\s*```$/g, '');
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return `the judge's reply is not JSON: ${JSON.stringify((text ?? '').slice(0, 120))}`;
  }
  const parsed = JudgeVerdictSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `the judge's reply is not a verdict (${issue?.path.join('.') || 'top level'}: ${issue?.message})`;
  }
  return parsed.data;
}

/** Asks the judge about one run; never throws (a failed judge call is a call with an error). */
export async function askJudge(
  spec: JudgeSpec,
  transcripts: readonly Transcript[],
  client: ModelClient,
  signal?: AbortSignal,
): Promise<JudgeCall> {
  const model = spec.model ?? client.model;
  const started = performance.now();
  try {
    const response = await client.complete(judgeRequest(spec, transcripts, model), signal ? { signal } : {});
    const verdict = parseVerdict(response.choices[0]?.message.content);
    return {
      name: spec.name,
      model,
      durationMs: performance.now() - started,
      usage: response.usage ?? null,
      verdict: typeof verdict === 'string' ? undefined : verdict,
      error: typeof verdict === 'string' ? verdict : undefined,
    };
  } catch (error) {
    return {
      name: spec.name,
      model,
      durationMs: performance.now() - started,
      usage: null,
      verdict: undefined,
      error: `the judge call failed: ${(error as Error).message}`,
    };
  }
}

/** Whether a verdict passes: its score against the threshold when one is set, else its own pass. */
export function verdictPasses(verdict: JudgeVerdict, threshold: number | undefined): boolean {
  return threshold === undefined ? verdict.pass : verdict.score >= threshold;
}

/** The check of one judge call: pass or fail with the score, the threshold and the judge's reasons. */
export function judgeCheck(threshold: number | undefined, call: JudgeCall | undefined): { pass: boolean; reason: string; score: number } {
  if (!call) return { pass: false, reason: 'the judge was not asked (the run ended without an answer to grade)', score: 0 };
  if (!call.verdict) return { pass: false, reason: call.error ?? 'the judge gave no verdict', score: 0 };
  const { verdict } = call;
  const pass = verdictPasses(verdict, threshold);
  const bar = threshold === undefined ? `judge says ${verdict.pass ? 'pass' : 'fail'}` : `threshold ${threshold}`;
  const reasons = verdict.reasons.length > 0 ? `: ${verdict.reasons.join(' ')}` : '';
  return { pass, reason: `score ${verdict.score.toFixed(2)} (${bar}, ${call.model})${reasons}`, score: verdict.score };
}

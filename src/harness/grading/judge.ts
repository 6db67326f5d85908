import { z } from 'zod';
import type { ChatRequest, ModelClient, Usage } from '../../orchestrator/chat.ts';
import type { Transcript } from '../../orchestrator/transcript.ts';
import type { JudgeExpectation } from '../scenario/scenario.ts';

/** What the judge must answer: a score in [0, 1], its verdict, and why. */
export const JudgeVerdictSchema = z
  .object({
    score: z.number().min(0).max(1).describe('How well the answer meets the rubric, from 0 (not at all) to 1 (fully).'),
    pass: z.boolean().describe('Whether the answer meets the rubric.'),
    reasons: z.array(z.string()).describe('Short reasons for the score, each one sentence.'),
  })
  .strict();

export type JudgeVerdict = z.infer<typeof JudgeVerdictSchema>;

/** One model-graded check of a scenario (`expect.judge`), with its check name settled. */
export type JudgeSpec = Omit<JudgeExpectation, 'name' | 'weight'> & { readonly name: string };

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

const JUDGE_INSTRUCTIONS = [
  'You grade the final answer of an IT-support assistant that answers with the help of tools.',
  'Judge only against the rubric, the reference answer when one is given, and what the tools returned.',
  'An answer that states a fact the tool results do not support fails the rubric, however fluent it is.',
  'Reply with a JSON object: score (0 to 1), pass (true when the rubric is met), reasons (short sentences).',
].join('\n');

/** The most of one tool result the judge is shown; longer results are cut with a note. */
export const JUDGE_TOOL_RESULT_CHARS = 4000;

/** The sections of the judge's prompt, in order; a changed section is named in replay drift. */
export const JUDGE_SECTIONS = ['Conversation', 'Rubric', 'Reference answer', 'Tool calls and results', 'Answer to grade'] as const;

function evidence(transcripts: readonly Transcript[]): string {
  const lines: string[] = [];
  for (const transcript of transcripts) {
    for (const event of transcript.events) {
      if (event.type === 'tool_call') lines.push(`call ${event.name} ${event.raw_arguments || '{}'}`);
      if (event.type === 'tool_result') {
        const text = event.content.length > JUDGE_TOOL_RESULT_CHARS ? `${event.content.slice(0, JUDGE_TOOL_RESULT_CHARS)} … (cut at ${JUDGE_TOOL_RESULT_CHARS} characters)` : event.content;
        lines.push(`result of ${event.name}${event.is_error ? ' (error)' : ''}: ${text}`);
      }
    }
  }
  return lines.length === 0 ? '(no tool was called)' : lines.join('\n');
}

/** The chat-completions request that asks the judge for a verdict on a run's answer. */
export function judgeRequest(spec: JudgeSpec, transcripts: readonly Transcript[], model: string): ChatRequest {
  const conversation = transcripts
    .map((t, i) => `user: ${t.query}${i < transcripts.length - 1 ? `\nassistant: ${t.answer ?? ''}` : ''}`)
    .join('\n');
  const sections: Record<(typeof JUDGE_SECTIONS)[number], string | undefined> = {
    Conversation: conversation,
    Rubric: spec.rubric,
    'Reference answer': spec.reference,
    'Tool calls and results': evidence(transcripts),
    'Answer to grade': transcripts.at(-1)?.answer ?? '',
  };
  const content = JUDGE_SECTIONS.filter((name) => sections[name] !== undefined).map((name) => `## ${name}\n${sections[name]}`).join('\n\n');
  return {
    model,
    messages: [{ role: 'system', content: JUDGE_INSTRUCTIONS }, { role: 'user', content }],
    response_format: {
      type: 'json_schema',
      json_schema: { name: 'verdict', strict: true, schema: z.toJSONSchema(JudgeVerdictSchema) as Record<string, unknown> },
    },
  };
}

/** Splits a judge prompt back into its sections (for naming what changed between two requests). */
export function judgeSections(request: unknown): Map<string, string> {
  const messages = (request as { messages?: { role?: string; content?: unknown }[] } | undefined)?.messages ?? [];
  const user = messages.find((m) => m.role === 'user')?.content;
  const sections = new Map<string, string>();
  if (typeof user !== 'string') return sections;
  for (const part of user.split(/^## /m).filter(Boolean)) {
    const newline = part.indexOf('\n');
    sections.set(newline < 0 ? part.trim() : part.slice(0, newline).trim(), newline < 0 ? '' : part.slice(newline + 1).trimEnd());
  }
  return sections;
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
export async function askJudge(spec: JudgeSpec, transcripts: readonly Transcript[], client: ModelClient, signal?: AbortSignal): Promise<JudgeCall> {
  const model = spec.model ?? client.model;
  const started = performance.now();
  try {
    const response = await client.complete(judgeRequest(spec, transcripts, model), signal ? { signal } : {});
    const verdict = parseVerdict(response.choices[0]?.message.content);
    return {
      name: spec.name, model, durationMs: performance.now() - started, usage: response.usage ?? null,
      verdict: typeof verdict === 'string' ? undefined : verdict, error: typeof verdict === 'string' ? verdict : undefined,
    };
  } catch (error) {
    return { name: spec.name, model, durationMs: performance.now() - started, usage: null, verdict: undefined, error: `the judge call failed: ${(error as Error).message}` };
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

import { z } from 'zod';
import type { ChatRequest } from '../../orchestrator/model-client.ts';
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

/** One model-graded check of a scenario (`expect.judge`), with its check name settled. */
export type JudgeSpec = Omit<JudgeExpectation, 'name' | 'weight'> & { readonly name: string };

/** The name of the i-th judge's check: judge, judge-2, ... unless it is named. */
export function judgeName(spec: { name?: string | undefined }, index: number): string {
  return spec.name ?? (index === 0 ? 'judge' : `judge-${index + 1}`);
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
        const text =
          event.content.length > JUDGE_TOOL_RESULT_CHARS
            ? `${event.content.slice(0, JUDGE_TOOL_RESULT_CHARS)} … (cut at ${JUDGE_TOOL_RESULT_CHARS} characters)`
            : event.content;
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
  const content = JUDGE_SECTIONS.filter((name) => sections[name] !== undefined)
    .map((name) => `## ${name}\n${sections[name]}`)
    .join('\n\n');
  return {
    model,
    messages: [
      { role: 'system', content: JUDGE_INSTRUCTIONS },
      { role: 'user', content },
    ],
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

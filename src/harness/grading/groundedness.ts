import type { ChatRequest } from '../../orchestrator/model-client.ts';
import type { Transcript } from '../../orchestrator/transcript.ts';
import { evidenceOf, factsOf, sumOfSome, supported, type Fact } from './facts.ts';

/** The outcome of the groundedness check. */
export interface Groundedness {
  readonly pass: boolean;
  readonly reason: string;
  /** Facts the answers state that nothing the model was told contains. */
  readonly ungrounded: readonly Fact[];
  /** How many facts were checked. */
  readonly checked: number;
}

const KIND_WORDS = { id: '', amount: 'the amount ', date: 'the date ', count: 'the count ' } as const;

/**
 * What the model was told by someone other than itself: the user's turns and the tool results,
 * and the system prompt — for its date only, since its example IDs ("e.g. TKT-1001") are no
 * evidence of anything. The model's own earlier answers are not evidence either.
 */
export function toldTexts(requests: readonly ChatRequest[]): { facts: string[]; datesOnly: string[] } {
  const facts = new Set<string>();
  const datesOnly = new Set<string>();
  for (const request of requests) {
    for (const message of request.messages) {
      if (typeof message.content !== 'string') continue;
      if (message.role === 'user' || message.role === 'tool') facts.add(message.content);
      if (message.role === 'system') datesOnly.add(message.content);
    }
  }
  return { facts: [...facts], datesOnly: [...datesOnly] };
}

/** Whether a fact was listed as one to ignore (by its text or its compared form). */
function ignored(fact: Fact, ignore: readonly string[]): boolean {
  return ignore.some((token) => token.toLowerCase() === fact.text.toLowerCase() || token.toUpperCase() === fact.key);
}

/**
 * Every fact-shaped token of every answer (record IDs, amounts, dates, stated counts) must
 * appear in what the tools returned, the user wrote or the system prompt said.
 */
export function gradeGroundedness(
  transcripts: readonly Transcript[],
  requests: readonly ChatRequest[],
  ignore: readonly string[] = [],
): Groundedness {
  const told = toldTexts(requests);
  const evidence = evidenceOf(told.facts, told.datesOnly);
  const perAnswer = transcripts.map((t) => factsOf(t.answer ?? '').filter((f) => !ignored(f, ignore)));
  const facts = perAnswer.flat();
  const ungrounded = perAnswer.flatMap((answerFacts) => {
    const grounded = answerFacts.filter((f) => f.kind === 'amount' && supported(f, evidence)).map((f) => Number(f.key));
    // A total is grounded when it adds up amounts the same answer states and the tools returned.
    return answerFacts.filter((f) => !supported(f, evidence) && !(f.kind === 'amount' && sumOfSome(Number(f.key), grounded)));
  });
  const unique = [...new Map(ungrounded.map((f) => [`${f.kind}:${f.key}`, f])).values()];
  if (unique.length === 0) {
    return {
      pass: true,
      reason: `all ${facts.length} facts of the answer appear in what the tools returned or the user said`,
      ungrounded: [],
      checked: facts.length,
    };
  }
  const named = unique.slice(0, 5).map((f) => `${KIND_WORDS[f.kind]}${f.text}`);
  const more = unique.length > 5 ? ` and ${unique.length - 5} more` : '';
  return {
    pass: false,
    reason: `answer mentions ${named.join(', ')}${more}, which no tool returned (nor the user's messages)`,
    ungrounded: unique,
    checked: facts.length,
  };
}

// Custom graders of the demo suite, in plain JavaScript so they also run from the installed
// package (Node strips TypeScript types only outside node_modules). A team's own graders may be
// TypeScript: `import { defineGrader } from 'mcp-helpdesk'` (see the README).

/**
 * An example custom grader: the final answer must stay within `options.max_words` words
 * (default 60). The score falls off with the overshoot, so a weighted scenario can still pass a
 * slightly long answer when its other checks are strong.
 * @type {import('mcp-helpdesk').Grader}
 */
export default ({ answer, options }) => {
  const max = typeof options.max_words === 'number' ? options.max_words : 60;
  const words = answer.split(/\s+/).filter(Boolean).length;
  if (words === 0) return { pass: false, score: 0, message: 'the run ended without an answer' };
  return words <= max
    ? { pass: true, score: 1, message: `${words} words (at most ${max})` }
    : { pass: false, score: max / words, message: `${words} words, more than ${max}` };
};

/**
 * A second grader in the same module: every ID the tools were asked about is cited in the answer.
 * @type {import('mcp-helpdesk').Grader}
 */
export const citesQueriedIds = ({ calls, answer }) => {
  const asked = [
    ...new Set(calls.flatMap((c) => Object.values(c.arguments ?? {}).filter((v) => typeof v === 'string' && /^[A-Z]+-\d/.test(v)))),
  ];
  const missing = asked.filter((id) => !answer.includes(id));
  return missing.length === 0
    ? { pass: true, message: `cites ${asked.join(', ') || 'no queried ID'}` }
    : {
        pass: false,
        score: 1 - missing.length / asked.length,
        message: `does not cite ${missing.join(', ')}, which the tools were asked about`,
      };
};

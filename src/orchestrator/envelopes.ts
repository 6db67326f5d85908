import { isErrorEnvelope, makeEnvelope, type ErrorEnvelope } from '../shared/envelope.ts';

/** Verbs every tool name starts with: sharing one says nothing about what a tool is about. */
const GENERIC = new Set(['get', 'list', 'check', 'find', 'search', 'lookup', 'calculate', 'show', 'fetch', 'query']);

/** The nouns of a tool name, singular: get_customer_tickets → [customer, ticket]. */
function nouns(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !GENERIC.has(w))
    .map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w));
}

/** Up to `count` known names that share a noun with `name`, best first; else the first ones. */
export function similarNames(name: string, known: readonly string[], count = 5): string[] {
  const words = new Set(nouns(name));
  const scored = known
    .map((candidate) => ({ candidate, score: nouns(candidate).filter((w) => words.has(w)).length }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.candidate.localeCompare(b.candidate))
    .map((entry) => entry.candidate);
  return (scored.length > 0 ? scored : [...known]).slice(0, count);
}

/** The model asked for a tool no server offers. */
export function unknownToolEnvelope(name: string, known: readonly string[]): ErrorEnvelope {
  return makeEnvelope({
    error: `Tool ${name} not found`,
    reason: `No connected server offers a tool named "${name}".`,
    suggested_actions: ['Call one of the available tools instead; check the exact spelling of the name.'],
    retryable: true,
    follow_up_tools: similarNames(name, known),
    context: { tool: name, available_tools: [...known] },
  });
}

/** The model's arguments were not a JSON object. */
export function malformedArgumentsEnvelope(name: string, raw: string, problem: string): ErrorEnvelope {
  return makeEnvelope({
    error: `Malformed arguments for ${name}`,
    reason: `The arguments must be one JSON object; ${problem}.`,
    suggested_actions: [`Call ${name} again with its arguments as a JSON object, e.g. {"ticket_id": "TKT-1001"}.`],
    retryable: true,
    follow_up_tools: [name],
    context: { tool: name, raw_arguments: raw.length > 200 ? `${raw.slice(0, 200)}…` : raw },
  });
}

/** The server is down for good (it failed to restart). */
export function serverUnavailableEnvelope(server: string, tool: string, why: string | undefined): ErrorEnvelope {
  return makeEnvelope({
    error: `Server ${server} is unavailable`,
    reason: `The ${server} server stopped and could not be restarted${why ? ` (${why})` : ''}; its tools cannot answer now.`,
    suggested_actions: [
      'Answer with the information you already have and say which part could not be checked.',
      'Use tools of other servers where they can help.',
    ],
    retryable: true,
    context: { server, tool },
  });
}

const bytes = (n: number) => `${n.toLocaleString('en-US')} bytes`;

/** The call's arguments are past the size a server can take; it was never sent. */
export function argumentsTooLargeEnvelope(server: string, tool: string, size: number, limit: number): ErrorEnvelope {
  return makeEnvelope({
    error: `Arguments for ${tool} are too large`,
    reason: `The arguments are ${bytes(size)} of JSON; a tool call may carry at most ${bytes(limit)}. The call was not sent.`,
    suggested_actions: [`Call ${tool} again with short arguments: IDs and filters, not documents.`],
    retryable: true,
    follow_up_tools: [tool],
    context: { server, tool, bytes: size, limit_bytes: limit },
  });
}

/** The server answered with more text than the model is given. */
export function resultTooLargeEnvelope(server: string, tool: string, size: number, limit: number): ErrorEnvelope {
  return makeEnvelope({
    error: `Result of ${tool} is too large`,
    reason: `The ${server} server answered with ${bytes(size)}; at most ${bytes(limit)} of a tool result are passed on.`,
    suggested_actions: ['Call the tool again with narrower arguments (a filter, a shorter period), or continue without this result.'],
    retryable: true,
    context: { server, tool, bytes: size, limit_bytes: limit },
  });
}

/**
 * The server's process or connection ended while the call was in flight. The call is not sent
 * again by itself: it may be the very call that stops the server.
 */
export function serverCrashedEnvelope(server: string, tool: string, why: string | undefined): ErrorEnvelope {
  return makeEnvelope({
    error: `Server ${server} stopped during the call to ${tool}`,
    reason: `The ${server} server ended before answering${why ? ` (${why})` : ''}. The call was not sent again, since it may be what stopped the server; the server is restarted for the next call.`,
    suggested_actions: [
      `Call ${tool} once more if its result is needed; if it fails again, answer without it and say so.`,
      'Use tools of other servers where they can help.',
    ],
    retryable: true,
    follow_up_tools: [tool],
    context: { server, tool },
  });
}

/** A tool call took longer than its timeout. */
export function toolTimeoutEnvelope(server: string, tool: string, timeoutMs: number): ErrorEnvelope {
  return makeEnvelope({
    error: `Tool ${tool} timed out`,
    reason: `The ${server} server did not answer within ${timeoutMs} ms.`,
    suggested_actions: ['Try again with narrower arguments, or continue without this result.'],
    retryable: true,
    context: { server, tool, timeout_ms: timeoutMs },
  });
}

/** The server answered the call with a protocol error or an invalid result. */
export function toolCallFailedEnvelope(server: string, tool: string, message: string): ErrorEnvelope {
  return makeEnvelope({
    error: `Error calling tool ${tool}`,
    reason: message,
    suggested_actions: ['Check the arguments against the tool schema.', 'Try a different tool if this one keeps failing.'],
    retryable: true,
    context: { server, tool },
  });
}

/**
 * The envelope inside an `isError` result: the server's own when it sent one, otherwise its
 * text wrapped, so the model always reads the same shape.
 */
export function envelopeFromErrorResult(server: string, tool: string, text: string, structured: unknown): ErrorEnvelope {
  if (isErrorEnvelope(structured)) return makeEnvelope(structured);
  try {
    const parsed: unknown = JSON.parse(text);
    if (isErrorEnvelope(parsed)) return makeEnvelope(parsed);
  } catch {
    // plain text; wrapped below
  }
  return makeEnvelope({
    error: `Tool ${tool} reported an error`,
    reason: text.trim() === '' ? 'The server gave no details.' : text,
    suggested_actions: ['Read the reason, fix the arguments and try again, or use another tool.'],
    retryable: true,
    context: { server, tool },
  });
}

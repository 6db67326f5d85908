import { z } from 'zod';
import type { ServerState } from '../../orchestrator/server-connection.ts';

/** The failures a scenario can inject between the orchestrator and a server. */
export const FAULT_KINDS = ['crash', 'hang', 'slow', 'garbage', 'protocol_error', 'tool_error', 'oversized', 'disconnect'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Defaults of the kinds that take a size, a delay or a message. */
export const FAULT_DEFAULTS = {
  delay_ms: 1_000,
  size_bytes: 2 * 1_048_576,
  protocol_error: 'Internal error',
  tool_error: 'Internal server error',
} as const;

const ONLY_FOR: Record<string, readonly FaultKind[]> = {
  delay_ms: ['slow'],
  size_bytes: ['oversized'],
  message: ['protocol_error', 'tool_error'],
};

/**
 * One fault: what goes wrong, and which tool calls it hits. Without `call` or `probability`
 * it hits every call that matches `server` and `tool` (each optional: no target is every call).
 */
export const FaultSchema = z
  .object({
    kind: z
      .enum(FAULT_KINDS)
      .describe(
        'crash: the server process is killed during the call; hang: the answer never comes (the call times out); slow: the answer comes delay_ms late; garbage: a non-JSON line and an invalid JSON-RPC answer arrive instead of the answer; protocol_error: a JSON-RPC error answer; tool_error: an isError result; oversized: a result of size_bytes; disconnect: the connection to the server closes during the call.',
      ),
    server: z.string().min(1).optional().describe('Only calls to this server (its name in mcpServers).'),
    tool: z.string().min(1).optional().describe('Only calls of this tool (its name on its server).'),
    call: z.number().int().min(1).optional().describe('Only the nth matching call, counted from 1 over the whole scenario.'),
    probability: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .describe('Each matching call is hit with this probability, drawn from a generator seeded with seed.'),
    seed: z.number().int().optional().describe('Seed of the probability draws (default 1): the same seed hits the same calls.'),
    delay_ms: z.number().int().positive().optional().describe(`slow: how late the answer comes (default ${FAULT_DEFAULTS.delay_ms}).`),
    size_bytes: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(`oversized: the size of the result text (default ${FAULT_DEFAULTS.size_bytes}).`),
    message: z.string().min(1).optional().describe('protocol_error and tool_error: the error text the server gives.'),
  })
  .strict()
  .superRefine((fault, ctx) => {
    if (fault.call !== undefined && fault.probability !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['probability'], message: 'give call or probability, not both' });
    }
    if (fault.seed !== undefined && fault.probability === undefined) {
      ctx.addIssue({ code: 'custom', path: ['seed'], message: 'seed only applies with probability' });
    }
    for (const [field, kinds] of Object.entries(ONLY_FOR)) {
      if (Object.hasOwn(fault, field) && !kinds.includes(fault.kind)) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `${field} only applies to ${kinds.join(' and ')} faults, not ${fault.kind}`,
        });
      }
    }
  });

export type Fault = z.output<typeof FaultSchema>;

/** A fault in a few words: "crash on tickets.get_ticket, call 1". */
export function describeFault(fault: Fault): string {
  const target =
    fault.server && fault.tool
      ? `${fault.server}.${fault.tool}`
      : fault.server
        ? `server ${fault.server}`
        : fault.tool
          ? `tool ${fault.tool}`
          : 'every server';
  const which =
    fault.call !== undefined
      ? `, call ${fault.call}`
      : fault.probability !== undefined
        ? `, p=${fault.probability} seed ${fault.seed ?? 1}`
        : '';
  const how =
    fault.kind === 'slow'
      ? ` (${fault.delay_ms ?? FAULT_DEFAULTS.delay_ms} ms)`
      : fault.kind === 'oversized'
        ? ` (${fault.size_bytes ?? FAULT_DEFAULTS.size_bytes} bytes)`
        : '';
  return `${fault.kind}${how} on ${target}${which}`;
}

/** One fault that hit one call. */
export interface Injection {
  /** The fault's place in the scenario's list, from 1. */
  readonly fault: number;
  readonly kind: FaultKind;
  readonly server: string;
  readonly tool: string;
  /** Which matching call of this fault it hit, from 1. */
  readonly call: number;
}

/** What the faults of one run did, for the graders and the reports. */
export interface FaultReport {
  readonly active: readonly Fault[];
  readonly injections: readonly Injection[];
  /** Each server at the end of the run, before its pool closed. */
  readonly servers: readonly { readonly name: string; readonly state: ServerState; readonly restarts: number }[];
  /** Server processes still alive after the pool closed (must be none). */
  readonly leftover: readonly number[];
}

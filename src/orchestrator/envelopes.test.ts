import { describe, expect, it } from 'vitest';
import {
  argumentsTooLargeEnvelope,
  envelopeFromErrorResult,
  malformedArgumentsEnvelope,
  resultTooLargeEnvelope,
  serverCrashedEnvelope,
  serverUnavailableEnvelope,
  similarNames,
  toolCallFailedEnvelope,
  toolTimeoutEnvelope,
  unknownToolEnvelope,
} from './envelopes.ts';

const KNOWN = ['get_customer', 'get_customer_tickets', 'search_tickets', 'get_ticket', 'list_invoices', 'get_asset'];

describe('similarNames', () => {
  it('ranks names by the nouns they share, singular, ignoring generic verbs, ties by name', () => {
    expect(similarNames('find_customer_tickets', KNOWN)).toEqual(['get_customer_tickets', 'get_customer', 'get_ticket', 'search_tickets']);
    expect(similarNames('lookup-Invoices', KNOWN)).toEqual(['list_invoices']);
    expect(similarNames('get.asset', KNOWN, 1)).toEqual(['get_asset']);
  });

  it('falls back to the first known names when none shares a noun, and never to a generic verb', () => {
    expect(similarNames('get_weather', KNOWN, 3)).toEqual(['get_customer', 'get_customer_tickets', 'search_tickets']);
    expect(similarNames('get', KNOWN, 2)).toEqual(['get_customer', 'get_customer_tickets']);
  });

  it('keeps short plurals and words of three letters as they are', () => {
    expect(similarNames('get_bus', ['get_bu', 'get_bus', 'get_os'], 5)).toEqual(['get_bus']);
    expect(similarNames('get_oss', ['get_os', 'get_oss'], 5)).toEqual(['get_oss']);
  });

  it('splits names at any run of characters other than letters and digits, keeping digits and the letters a and z', () => {
    expect(similarNames('get_zone9', ['list_zone9s', 'get_zone', 'get_9'])).toEqual(['list_zone9s']);
    expect(similarNames('show__area0', ['get-area0', 'get_area'], 5)).toEqual(['get-area0']);
    expect(similarNames('fetch v2 Zebra', ['list_zebras', 'get_v2', 'get_v'], 5)).toEqual(['get_v2', 'list_zebras']);
  });

  it('returns five at most by default and does not change the list it was given', () => {
    const many = Array.from({ length: 8 }, (_, i) => `ticket_tool_${i}`);
    expect(similarNames('ticket', many)).toEqual(many.slice(0, 5));
    expect(similarNames('nothing_alike', many)).toEqual(many.slice(0, 5));
    expect(many).toHaveLength(8);
  });
});

describe('orchestrator envelopes', () => {
  it('names an unknown tool, similar ones and every available one', () => {
    expect(unknownToolEnvelope('get_tickets', ['get_ticket', 'get_asset'])).toEqual({
      error: 'Tool get_tickets not found',
      reason: 'No connected server offers a tool named "get_tickets".',
      suggested_actions: ['Call one of the available tools instead; check the exact spelling of the name.'],
      retryable: true,
      follow_up_tools: ['get_ticket'],
      context: { tool: 'get_tickets', available_tools: ['get_ticket', 'get_asset'] },
    });
  });

  it('quotes malformed arguments whole up to 200 characters, and cut with an ellipsis beyond', () => {
    const short = 'x'.repeat(200);
    expect(malformedArgumentsEnvelope('get_ticket', short, 'got a string')).toEqual({
      error: 'Malformed arguments for get_ticket',
      reason: 'The arguments must be one JSON object; got a string.',
      suggested_actions: ['Call get_ticket again with its arguments as a JSON object, e.g. {"ticket_id": "TKT-1001"}.'],
      retryable: true,
      follow_up_tools: ['get_ticket'],
      context: { tool: 'get_ticket', raw_arguments: short },
    });
    expect(malformedArgumentsEnvelope('get_ticket', `${short}yz`, 'x').context?.raw_arguments).toBe(`${short}…`);
  });

  it('says a server is unavailable, with why when known', () => {
    expect(serverUnavailableEnvelope('billing', 'list_invoices', 'command not found: nope')).toEqual({
      error: 'Server billing is unavailable',
      reason: 'The billing server stopped and could not be restarted (command not found: nope); its tools cannot answer now.',
      suggested_actions: [
        'Answer with the information you already have and say which part could not be checked.',
        'Use tools of other servers where they can help.',
      ],
      retryable: true,
      context: { server: 'billing', tool: 'list_invoices' },
    });
    expect(serverUnavailableEnvelope('billing', 'list_invoices', undefined).reason).toBe(
      'The billing server stopped and could not be restarted; its tools cannot answer now.',
    );
  });

  it("says a call's arguments are too large, in grouped bytes, and that it was not sent", () => {
    expect(argumentsTooLargeEnvelope('kb', 'search_kb', 1_234_567, 65_536)).toEqual({
      error: 'Arguments for search_kb are too large',
      reason: 'The arguments are 1,234,567 bytes of JSON; a tool call may carry at most 65,536 bytes. The call was not sent.',
      suggested_actions: ['Call search_kb again with short arguments: IDs and filters, not documents.'],
      retryable: true,
      follow_up_tools: ['search_kb'],
      context: { server: 'kb', tool: 'search_kb', bytes: 1_234_567, limit_bytes: 65_536 },
    });
  });

  it('says a result is too large, by how much, and what to do', () => {
    expect(resultTooLargeEnvelope('tickets', 'search_tickets', 2_000_001, 100_000)).toEqual({
      error: 'Result of search_tickets is too large',
      reason: 'The tickets server answered with 2,000,001 bytes; at most 100,000 bytes of a tool result are passed on.',
      suggested_actions: ['Call the tool again with narrower arguments (a filter, a shorter period), or continue without this result.'],
      retryable: true,
      context: { server: 'tickets', tool: 'search_tickets', bytes: 2_000_001, limit_bytes: 100_000 },
    });
  });

  it('says a server stopped during a call, with why when known, and that the call was not sent again', () => {
    expect(serverCrashedEnvelope('billing', 'list_invoices', 'exit code 137')).toEqual({
      error: 'Server billing stopped during the call to list_invoices',
      reason:
        'The billing server ended before answering (exit code 137). The call was not sent again, since it may be what stopped the server; the server is restarted for the next call.',
      suggested_actions: [
        'Call list_invoices once more if its result is needed; if it fails again, answer without it and say so.',
        'Use tools of other servers where they can help.',
      ],
      retryable: true,
      follow_up_tools: ['list_invoices'],
      context: { server: 'billing', tool: 'list_invoices' },
    });
    expect(serverCrashedEnvelope('billing', 'list_invoices', undefined).reason).toBe(
      'The billing server ended before answering. The call was not sent again, since it may be what stopped the server; the server is restarted for the next call.',
    );
    expect(serverCrashedEnvelope('billing', 'list_invoices', '').reason).toMatch(/^The billing server ended before answering\. /);
  });

  it('says a call timed out after how long', () => {
    expect(toolTimeoutEnvelope('kb', 'search_kb', 250)).toEqual({
      error: 'Tool search_kb timed out',
      reason: 'The kb server did not answer within 250 ms.',
      suggested_actions: ['Try again with narrower arguments, or continue without this result.'],
      retryable: true,
      context: { server: 'kb', tool: 'search_kb', timeout_ms: 250 },
    });
  });

  it('passes on what a server said when a call failed at the protocol level', () => {
    expect(toolCallFailedEnvelope('kb', 'search_kb', 'MCP error -32602: bad params')).toEqual({
      error: 'Error calling tool search_kb',
      reason: 'MCP error -32602: bad params',
      suggested_actions: ['Check the arguments against the tool schema.', 'Try a different tool if this one keeps failing.'],
      retryable: true,
      context: { server: 'kb', tool: 'search_kb' },
    });
  });

  it("takes the server's own envelope from structured content or from the text, and wraps anything else", () => {
    const own = { error: 'Ticket not found', reason: 'No TKT-9.', suggested_actions: ['Search.'], retryable: false, context: {} };
    const cleaned = { error: 'Ticket not found', reason: 'No TKT-9.', suggested_actions: ['Search.'], retryable: false };
    expect(envelopeFromErrorResult('tickets', 'get_ticket', 'ignored', own)).toEqual(cleaned);
    expect(envelopeFromErrorResult('tickets', 'get_ticket', JSON.stringify(own), undefined)).toEqual(cleaned);
    const wrapped = {
      error: 'Tool get_ticket reported an error',
      reason: 'database is locked',
      suggested_actions: ['Read the reason, fix the arguments and try again, or use another tool.'],
      retryable: true,
      context: { server: 'tickets', tool: 'get_ticket' },
    };
    expect(envelopeFromErrorResult('tickets', 'get_ticket', 'database is locked', { not: 'an envelope' })).toEqual(wrapped);
    expect(envelopeFromErrorResult('tickets', 'get_ticket', '{"error": 1}', undefined)).toEqual({ ...wrapped, reason: '{"error": 1}' });
    expect(envelopeFromErrorResult('tickets', 'get_ticket', JSON.stringify(own), { not: 'an envelope' })).toEqual(cleaned);
    expect(envelopeFromErrorResult('tickets', 'get_ticket', '"just a string"', undefined)).toEqual({
      ...wrapped,
      reason: '"just a string"',
    });
    const almost = JSON.stringify({ ...own, hint: 'not a field of the envelope' });
    expect(envelopeFromErrorResult('tickets', 'get_ticket', almost, undefined)).toEqual({ ...wrapped, reason: almost });
    expect(envelopeFromErrorResult('tickets', 'get_ticket', '  \n', undefined).reason).toBe('The server gave no details.');
    expect(envelopeFromErrorResult('tickets', 'get_ticket', ' padded ', undefined).reason).toBe(' padded ');
  });
});

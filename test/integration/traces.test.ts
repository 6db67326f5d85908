import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerPool } from '../../src/orchestrator/server-pool.ts';
import { startTracing, stopTracing } from '../../src/shared/tracing.ts';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.ts';
import { runHelpdesk } from '../support/run-helpdesk.ts';
import { childEnv } from '../support/child-env.ts';
import { serveAll } from '../support/serve-all.ts';
import { startFakeOpenAI } from '../support/fake-openai.ts';
import { evaluate } from '../../src/api/evaluate.ts';
import { ROOT } from '../servers.ts';

// Traces as a collector receives them: `helpdesk eval` with OTEL_EXPORTER_OTLP_ENDPOINT pointing at
// an OTLP/HTTP receiver on 127.0.0.1, and a traced tool call over Streamable HTTP.

const OPENAI_KEY = 'sk-trace-test-key-must-not-be-exported';
const COLLECTOR_TOKEN = 'collector-token-for-the-collector-only';
const KIND = { internal: 1, server: 2, client: 3 };
const ERROR = 2;

let receiver: OtlpReceiver;
let work: string;
let spans: ReceivedSpan[];
let results: { scenarios: { id: string; trials: { trace_id: string | null }[] }[] };

/** `helpdesk eval` on the repository's own suite and cassettes, run in `dir` with its reports in dir/report. */
function evalBuiltIn(args: readonly string[], dir: string, env: Record<string, string>, limitMs = 60_000) {
  const where = ['--scenarios', join(ROOT, 'scenarios'), '--recordings', join(ROOT, 'recordings'), '--report-dir', join(dir, 'report')];
  return runHelpdesk(['eval', ...args, ...where], { cwd: dir, env: childEnv(env), limitMs });
}

const byId = () => new Map(spans.map((s) => [s.spanId, s]));
const parentOf = (span: ReceivedSpan) => (span.parentSpanId ? byId().get(span.parentSpanId) : undefined);
const childrenOf = (span: ReceivedSpan) => spans.filter((s) => s.parentSpanId === span.spanId);
const named = (prefix: string) => spans.filter((s) => s.name.startsWith(prefix));

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  work = mkdtempSync(join(tmpdir(), 'helpdesk-traces-'));
  const run = await evalBuiltIn(['--id', 'critical-tickets-cust-001,err-server-unavailable,judge-critical-tickets-cust-001'], work, {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer ${COLLECTOR_TOKEN}`,
    OPENAI_API_KEY: OPENAI_KEY,
  });
  expect(run.code, run.stdout + run.stderr).toBe(0);
  spans = receiver.spans();
  results = JSON.parse(readFileSync(join(work, 'report', 'results.json'), 'utf8'));
});

afterAll(async () => {
  await receiver?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('helpdesk eval with an OTLP endpoint', () => {
  it('sends the run as one trace to /v1/traces, with the collector headers, from the service mcp-helpdesk', () => {
    expect(receiver.requests.length).toBeGreaterThan(0);
    expect(receiver.requests.every((r) => r.path === '/v1/traces' && r.headers.authorization === `Bearer ${COLLECTOR_TOKEN}`)).toBe(true);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['mcp-helpdesk']));
    const roots = spans.filter((s) => s.parentSpanId === undefined);
    expect(roots.map((r) => r.name)).toEqual(['helpdesk eval replay']);
    expect(roots[0]?.attributes).toMatchObject({ 'helpdesk.run.mode': 'replay', 'helpdesk.run.passed': 3, 'helpdesk.run.failed': 0 });
  });

  it('has a span per scenario under the run, with its verdict, and results.json names its trace', () => {
    const scenarios = named('scenario ');
    expect(scenarios.map((s) => s.attributes['helpdesk.scenario.id']).sort()).toEqual([
      'critical-tickets-cust-001',
      'err-server-unavailable',
      'judge-critical-tickets-cust-001',
    ]);
    for (const s of scenarios) {
      expect(parentOf(s)?.name).toBe('helpdesk eval replay');
      expect(s.attributes).toMatchObject({ 'helpdesk.scenario.pass': true, 'helpdesk.trial': 1, 'helpdesk.run.mode': 'replay' });
    }
    const traceIds = results.scenarios.flatMap((s) => s.trials.map((t) => t.trace_id));
    expect(traceIds).toEqual([spans[0]?.traceId, spans[0]?.traceId, spans[0]?.traceId]);
  });

  it("puts the judge's model call under its scenario as a chat span with the verdict", () => {
    const scenario = named('scenario judge-critical-tickets-cust-001')[0] as ReceivedSpan;
    const judge = childrenOf(scenario).find((s) => s.attributes['helpdesk.judge'] !== undefined);
    expect(judge).toMatchObject({ kind: KIND.client });
    expect(judge?.attributes).toMatchObject({ 'gen_ai.operation.name': 'chat', 'helpdesk.judge.pass': true });
    expect(judge?.name).toBe(`chat ${judge?.attributes['gen_ai.request.model']}`);
    expect(typeof judge?.attributes['helpdesk.judge.score']).toBe('number');
  });

  it('puts invoke_agent under each turn, and chat and execute_tool spans under it, named and attributed per the GenAI conventions', () => {
    const scenario = named('scenario critical-tickets-cust-001')[0] as ReceivedSpan;
    const [agent] = childrenOf(scenario);
    expect(agent?.name).toBe('invoke_agent helpdesk');
    expect(agent?.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'helpdesk',
      'gen_ai.request.model': 'gpt-4o-mini',
      'helpdesk.stop_reason': 'final_answer',
      'helpdesk.iterations': 2,
    });
    const children = childrenOf(agent as ReceivedSpan);
    const chats = children.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    expect(chats.map((c) => c.name)).toEqual(['chat gpt-4o-mini', 'chat gpt-4o-mini']);
    expect(chats.every((c) => c.kind === KIND.client && typeof c.attributes['gen_ai.usage.input_tokens'] === 'number')).toBe(true);
    expect(chats.map((c) => c.attributes['gen_ai.response.finish_reasons'])).toEqual([['tool_calls'], ['stop']]);
    const tool = children.find((s) => s.name === 'execute_tool search_tickets') as ReceivedSpan;
    expect(tool.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'search_tickets',
      'gen_ai.tool.type': 'function',
      'helpdesk.server': 'tickets',
    });
    expect(tool.attributes['gen_ai.tool.call.id']).toMatch(/\S/);
    // No message bodies without the opt-in.
    expect(spans.some((s) => 'gen_ai.input.messages' in s.attributes || 'gen_ai.tool.call.arguments' in s.attributes)).toBe(false);
  });

  it("continues the trace in the server: the MCP client span carries the traceparent, the server's own span sits under it within its time", () => {
    const tool = named('execute_tool search_tickets')[0] as ReceivedSpan;
    const [client] = childrenOf(tool);
    expect(client).toMatchObject({ name: 'tools/call search_tickets', kind: KIND.client });
    expect(client?.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'network.transport': 'pipe',
      'gen_ai.tool.name': 'search_tickets',
    });
    const [server] = childrenOf(client as ReceivedSpan);
    expect(server).toMatchObject({ name: 'tools/call search_tickets', kind: KIND.server, traceId: client?.traceId });
    expect(server?.attributes).toMatchObject({ 'mcp.method.name': 'tools/call', 'helpdesk.server.name': 'ticket-management-server' });
    // The server's work lies inside the client's wait: the rest of it was the pipe.
    expect(server!.startNs).toBeGreaterThanOrEqual(client!.startNs - 5_000_000n);
    expect(server!.endNs).toBeLessThanOrEqual(client!.endNs + 5_000_000n);
  });

  it("marks the fault: the crashed call's spans carry the error, the scenario span the injection", () => {
    const scenario = named('scenario err-server-unavailable')[0] as ReceivedSpan;
    expect(scenario.events.find((e) => e.name === 'fault_injected')?.attributes).toMatchObject({
      'helpdesk.fault.kind': 'crash',
      'helpdesk.server': 'billing',
      'gen_ai.tool.name': 'check_payment_status',
    });
    const calls = named('execute_tool check_payment_status');
    expect(calls.length).toBe(2);
    for (const call of calls) {
      expect(call.status.code).toBe(ERROR);
      expect(call.attributes['error.type']).toBe('tool_error');
    }
    expect(calls.map((c) => c.status.message).sort()).toEqual([
      'Server billing is unavailable',
      'Server billing stopped during the call to check_payment_status',
    ]);
    const crashed = childrenOf(calls.find((c) => c.status.message?.includes('stopped during')) as ReceivedSpan);
    expect(crashed[0]?.status.code).toBe(ERROR);
    expect(crashed[0]?.attributes['error.type']).toBe('transport_error');
  });

  it('exports no API key, no header and no credential-named value anywhere', () => {
    const payload = receiver.requests.map((r) => r.body).join('\n');
    expect(payload).not.toContain(OPENAI_KEY);
    expect(payload).not.toContain(COLLECTOR_TOKEN);
    expect(payload).not.toMatch(/authorization|api[_-]?key|bearer/i);
  });
});

describe('a traced tool call over Streamable HTTP', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill();
  });

  it("sends the traceparent in params._meta and gets the server's span back, under the client span, with the session", async () => {
    const http = await startOtlpReceiver();
    const served = await serveAll();
    child = served.child;
    const pool = await ServerPool.open({ tickets: { url: `${served.base}/tickets/mcp`, args: [], env: {}, disabled: false } });
    try {
      const tracing = await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: http.url });
      const root = tracing?.root('test root');
      expect(root).toBeDefined();
      const outcome = await pool.callTool('get_ticket_details', { ticket_id: 'TKT-1001' }, undefined, root);
      expect(outcome.envelope).toBeUndefined();
      root?.end();
      await stopTracing();
      const received = http.spans();
      const client = received.find((s) => s.kind === KIND.client) as ReceivedSpan;
      const server = received.find((s) => s.kind === KIND.server) as ReceivedSpan;
      expect(client.attributes).toMatchObject({
        'mcp.method.name': 'tools/call',
        'network.transport': 'tcp',
        'network.protocol.name': 'http',
      });
      expect(client.attributes['mcp.session.id']).toMatch(/\S/);
      expect(server).toMatchObject({ name: 'tools/call get_ticket_details', parentSpanId: client.spanId, traceId: root?.traceId });
    } finally {
      await pool.close();
      await http.close();
    }
  });
});

describe('helpdesk ask, traced with message content opted in', () => {
  it('exports the question as one trace with the messages and tool arguments the opt-in allows, and still no key', async () => {
    const collector = await startOtlpReceiver();
    const model = await startFakeOpenAI([
      { turn: { toolCalls: [{ name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } }] } },
      { turn: { answer: 'TKT-1001 and TKT-1004 are critical.' } },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'helpdesk-traces-ask-'));
    try {
      const run = await runHelpdesk(['ask', 'Which critical tickets does CUST-001 have?'], {
        cwd: dir,
        env: childEnv({
          OPENAI_API_KEY: OPENAI_KEY,
          OPENAI_BASE_URL: model.url,
          OPENAI_MODEL: 'fake-model',
          HELPDESK_MODEL_RETRIES: '0',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.url}/v1/traces`,
          OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
          OTEL_SERVICE_NAME: 'helpdesk-under-test',
        }),
        limitMs: 30_000,
      });
      expect(run.code, run.stderr).toBe(0);
      const received = collector.spans();
      const root = received.find((s) => s.parentSpanId === undefined);
      expect(root?.name).toBe('helpdesk ask');
      expect(root?.service).toBe('helpdesk-under-test');
      const agent = received.find((s) => s.name === 'invoke_agent helpdesk');
      expect(agent?.parentSpanId).toBe(root?.spanId);
      const chats = received.filter((s) => s.name === 'chat fake-model');
      expect(chats).toHaveLength(2);
      expect(String(chats[0]?.attributes['gen_ai.input.messages'])).toContain('Which critical tickets does CUST-001 have?');
      expect(String(chats[1]?.attributes['gen_ai.output.messages'])).toContain('TKT-1001 and TKT-1004 are critical.');
      const tool = received.find((s) => s.name === 'execute_tool search_tickets');
      expect(JSON.parse(String(tool?.attributes['gen_ai.tool.call.arguments']))).toEqual({ customer_id: 'CUST-001', priority: 'critical' });
      expect(String(tool?.attributes['gen_ai.tool.call.result'])).toContain('TKT-1001');
      expect(collector.requests.map((r) => r.body).join('\n')).not.toContain(OPENAI_KEY);
    } finally {
      await model.close();
      await collector.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a collector that cannot be reached', () => {
  it('costs a warning naming where and why, never the run: exit 0 and whole reports', async () => {
    const closed = await startOtlpReceiver();
    const url = closed.url;
    await closed.close();
    const dir = mkdtempSync(join(tmpdir(), 'helpdesk-traces-down-'));
    try {
      const run = await evalBuiltIn(['--id', 'critical-tickets-cust-001'], dir, { OTEL_EXPORTER_OTLP_ENDPOINT: url }, 30_000);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(new RegExp(`warning: traces: \\d+ span\\(s\\) could not be sent to ${url}/v1/traces: .*ECONNREFUSED`));
      expect(run.stderr).not.toMatch(/at .*node:|Uncaught|triggerUncaughtException/);
      expect(JSON.parse(readFileSync(join(dir, 'report', 'results.json'), 'utf8')).totals.passed).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a traced run in worker threads', () => {
  it("puts every thread's scenario spans under the one run span", async () => {
    const collector = await startOtlpReceiver();
    const dir = mkdtempSync(join(tmpdir(), 'helpdesk-traces-workers-'));
    try {
      const run = await evalBuiltIn(['--tag', 'tickets', '--workers', '2'], dir, { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const received = collector.spans();
      const root = received.filter((s) => s.parentSpanId === undefined);
      expect(root.map((s) => s.name)).toEqual(['helpdesk eval replay']);
      const scenarios = received.filter((s) => s.name.startsWith('scenario '));
      const ids = JSON.parse(readFileSync(join(dir, 'report', 'results.json'), 'utf8')).scenarios.map((s: { id: string }) => s.id);
      // One span per scenario; a latency-only failure's quiet re-run (under load) adds one marked as such.
      const first = scenarios.filter((s) => s.attributes['helpdesk.latency_recheck'] !== true);
      expect(first.map((s) => s.attributes['helpdesk.scenario.id']).sort()).toEqual([...ids].sort());
      expect(scenarios.every((s) => s.parentSpanId === root[0]?.spanId && s.traceId === root[0]?.traceId)).toBe(true);
    } finally {
      await collector.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('evaluate() from code, traced by its environment', () => {
  it("sends the run as one trace and names it in the record, without stopping the caller's tracing", async () => {
    const collector = await startOtlpReceiver();
    try {
      const { record, passed } = await evaluate({
        cwd: ROOT,
        filter: { ids: ['critical-tickets-cust-001'], tags: [], files: [] },
        env: { ...childEnv(), HELPDESK_NOW: '2025-10-05T12:00:00Z', OTEL_EXPORTER_OTLP_ENDPOINT: collector.url },
      });
      expect(passed).toBe(true);
      const received = collector.spans();
      const root = received.filter((s) => s.parentSpanId === undefined);
      expect(root.map((s) => s.name)).toEqual(['helpdesk evaluate replay']);
      expect(received.map((s) => s.name)).toEqual(
        expect.arrayContaining(['scenario critical-tickets-cust-001', 'invoke_agent helpdesk', 'execute_tool search_tickets']),
      );
      expect(record.scenarios[0]?.trials[0]?.trace_id).toBe(root[0]?.traceId);
    } finally {
      await stopTracing();
      await collector.close();
    }
  });
});

// Traces: the seam every layer writes spans through, with nothing behind it unless an OTLP
// endpoint is configured. The OpenTelemetry SDK (src/shared/otel.ts) is imported only then, so a
// run without OTEL_EXPORTER_OTLP_ENDPOINT loads none of it and pays one undefined check per span.

/** An attribute value as OpenTelemetry takes it; undefined ones are left out. */
export type AttributeValue = string | number | boolean | readonly string[];
export type Attributes = Readonly<Record<string, AttributeValue | undefined>>;
export type SpanKind = 'internal' | 'client' | 'server';

/** A span being recorded. Times are epoch milliseconds (fractions allowed). */
export interface TraceSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** The W3C trace context of this span (`00-<trace>-<span>-01`), as sent to a server in `params._meta`. */
  readonly traceparent: string;
  /** Whether message bodies and tool arguments may go into spans (the conventions' opt-in). */
  readonly captureContent: boolean;
  child(name: string, options?: { kind?: SpanKind; attributes?: Attributes; startMs?: number }): TraceSpan;
  set(attributes: Attributes): void;
  event(name: string, attributes?: Attributes): void;
  /** Marks the span failed: status ERROR with the message, and `error.type`. */
  fail(errorType: string, message?: string): void;
  end(endMs?: number): void;
}

/** The tracer of a process. */
export interface Tracing {
  /** A span with no parent in this process; `parent` continues a trace from a W3C traceparent. */
  root(name: string, options?: { kind?: SpanKind; attributes?: Attributes; parent?: string | undefined }): TraceSpan;
  /** A handle on a span of another thread or process (its traceparent): children made from it go under that span. */
  under(traceparent: string): TraceSpan;
  /** OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true: message bodies and tool arguments go into spans. */
  readonly captureContent: boolean;
  /** Sends what is buffered, and goes on (the API's runs end with it: the process is the caller's). */
  flush(): Promise<void>;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}

/** The `_meta` key under which our servers report their span of a traced tools/call. */
export const SERVER_SPAN_META = 'io.mcp-helpdesk/span';

/** What a server reports of its span of a tools/call it was given a traceparent for. */
export interface ServerSpanReport {
  readonly name: string;
  /** The traceparent it continued (the orchestrator checks it is the one it sent). */
  readonly parent: string;
  readonly start_ms: number;
  readonly end_ms: number;
  readonly attributes: Record<string, AttributeValue>;
  readonly error_type?: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A W3C traceparent's parts, or undefined when it is not one (an all-zero ID is invalid too). */
export function parseTraceparent(value: unknown): { traceId: string; spanId: string; sampled: boolean } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = TRACEPARENT.exec(value);
  if (!match) return undefined;
  const [, traceId = '', spanId = '', flags = '00'] = match;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

/** The wall clock in epoch milliseconds with sub-millisecond precision. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Whether the environment asks for traces: an OTLP endpoint set, the SDK not disabled, the traces exporter not "none". */
export function tracingRequested(env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  if (env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim());
}

let active: Tracing | undefined;
let starting: Promise<Tracing | undefined> | undefined;

/**
 * The process's tracing, started on first use when the environment asks for it (then the
 * OpenTelemetry SDK and the OTLP/HTTP exporter are loaded); undefined otherwise.
 */
export function startTracing(env: Readonly<Record<string, string | undefined>>): Promise<Tracing | undefined> {
  if (!tracingRequested(env)) return Promise.resolve(undefined);
  starting ??= import('./otel.ts').then((otel) => {
    active = otel.otelTracing(env);
    return active;
  });
  return starting;
}

/** Sends the buffered spans and stops tracing; nothing to do when it never started. */
export async function stopTracing(): Promise<void> {
  const tracing = active ?? (await starting);
  active = undefined;
  starting = undefined;
  await tracing?.shutdown();
}

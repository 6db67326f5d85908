import {
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  SpanKind as OtelKind,
  SpanStatusCode,
  TraceFlags,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { parseTraceparent, type Attributes, type SpanKind, type TraceSpan, type Tracing } from './tracing.ts';

// Loaded only when an OTLP endpoint is configured (see tracing.ts). The exporter reads the
// standard OTEL_EXPORTER_OTLP_* variables itself (endpoint, headers, timeout, compression); the
// headers, which may carry a collector's credentials, go to the collector and nowhere else.

const KINDS: Record<SpanKind, OtelKind> = { internal: OtelKind.INTERNAL, client: OtelKind.CLIENT, server: OtelKind.SERVER };

function clean(attributes: Attributes | undefined): Record<string, string | number | boolean | string[]> {
  const out: Record<string, string | number | boolean | string[]> = {};
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? [...value] : (value as string | number | boolean);
  }
  return out;
}

class OtelSpan implements TraceSpan {
  readonly #span: Span;
  readonly #tracing: OtelTracing;
  readonly #context: Context;

  constructor(span: Span, tracing: OtelTracing) {
    this.#span = span;
    this.#tracing = tracing;
    this.#context = trace.setSpan(ROOT_CONTEXT, span);
  }

  get traceId(): string {
    return this.#span.spanContext().traceId;
  }

  get spanId(): string {
    return this.#span.spanContext().spanId;
  }

  get captureContent(): boolean {
    return this.#tracing.captureContent;
  }

  get traceparent(): string {
    const { traceId, spanId, traceFlags } = this.#span.spanContext();
    return `00-${traceId}-${spanId}-${(traceFlags & TraceFlags.SAMPLED) === 1 ? '01' : '00'}`;
  }

  child(name: string, options: { kind?: SpanKind; attributes?: Attributes; startMs?: number } = {}): TraceSpan {
    return this.#tracing.start(name, options, this.#context);
  }

  set(attributes: Attributes): void {
    this.#span.setAttributes(clean(attributes));
  }

  event(name: string, attributes?: Attributes): void {
    this.#span.addEvent(name, clean(attributes));
  }

  fail(errorType: string, message?: string): void {
    this.#span.setAttribute('error.type', errorType);
    this.#span.setStatus({ code: SpanStatusCode.ERROR, ...(message ? { message } : {}) });
  }

  end(endMs?: number): void {
    this.#span.end(endMs);
  }
}

/**
 * The OTLP exporter, counting what it could not send: the SDK drops a failed batch silently, and a
 * user whose collector address is wrong should hear of it once, at the end (where and why).
 */
class CountingExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  readonly #url: string | undefined;
  lost = 0;
  firstError: string | undefined;

  constructor(inner: SpanExporter, url: string | undefined) {
    this.#inner = inner;
    this.#url = url;
  }

  export(spans: ReadableSpan[], done: Parameters<SpanExporter['export']>[1]): void {
    this.#inner.export(spans, (result) => {
      if (result.code !== 0) {
        this.lost += spans.length;
        this.firstError ??= result.error?.message ?? 'the export failed';
      }
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }

  /** One line on what was lost, or undefined when everything arrived. */
  report(): string | undefined {
    return this.lost === 0
      ? undefined
      : `traces: ${this.lost} span(s) could not be sent to ${this.#url ?? 'the OTLP endpoint'}: ${this.firstError}`;
  }
}

/** A context whose span is the remote one a W3C traceparent names, or undefined when it names none. */
function remoteContext(traceparent: string | undefined): Context | undefined {
  const remote = parseTraceparent(traceparent);
  if (!remote) return undefined;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: remote.traceId,
    spanId: remote.spanId,
    traceFlags: remote.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
}

/** Where spans go, by the OTLP rules: the traces endpoint as given, else the base endpoint's /v1/traces. */
function tracesUrl(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined;
}

class OtelTracing implements Tracing {
  readonly captureContent: boolean;
  readonly #provider: TracerProvider;
  readonly #tracer: ReturnType<TracerProvider['getTracer']>;
  readonly #exporter: CountingExporter;
  readonly #url: string | undefined;

  constructor(env: Readonly<Record<string, string | undefined>>) {
    this.captureContent = env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT?.trim().toLowerCase() === 'true';
    const url = tracesUrl(env);
    this.#url = url;
    this.#exporter = new CountingExporter(new OTLPTraceExporter({ url }), url);
    this.#provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME?.trim() || 'mcp-helpdesk' }),
      // A suite makes thousands of spans in seconds: a queue large enough to keep them all until they are sent.
      spanProcessors: [
        new BatchSpanProcessor({
          exporter: this.#exporter,
          maxQueueSize: 65_536,
          maxExportBatchSize: 1024,
          scheduledDelayMillis: 1000,
        }),
      ],
    });
    this.#tracer = this.#provider.getTracer('mcp-helpdesk');
  }

  start(name: string, options: { kind?: SpanKind; attributes?: Attributes; startMs?: number }, parent: Context): TraceSpan {
    const span = this.#tracer.startSpan(
      name,
      {
        kind: KINDS[options.kind ?? 'internal'],
        attributes: clean(options.attributes),
        ...(options.startMs !== undefined ? { startTime: options.startMs } : {}),
      },
      parent,
    );
    return new OtelSpan(span, this);
  }

  root(name: string, options: { kind?: SpanKind; attributes?: Attributes; parent?: string | undefined } = {}): TraceSpan {
    return this.start(name, options, remoteContext(options.parent) ?? ROOT_CONTEXT);
  }

  under(traceparent: string): TraceSpan {
    // Not a traceparent: a handle on no span, so what goes under it starts traces of its own.
    const context = remoteContext(traceparent);
    const remote = context ? trace.getSpanContext(context) : undefined;
    return new OtelSpan(trace.wrapSpanContext(remote ?? INVALID_SPAN_CONTEXT), this);
  }

  async flush(): Promise<void> {
    await this.#provider.forceFlush().catch(() => undefined);
  }

  /** Sends what is buffered; a collector that cannot be reached costs a warning, never the run's exit code. */
  async shutdown(): Promise<void> {
    let failure: string | undefined;
    try {
      await this.#provider.shutdown();
    } catch (error) {
      failure = (error as Error)?.message ?? String(error);
    }
    const lost =
      this.#exporter.report() ??
      (failure ? `traces: the last spans could not be sent to ${this.#url ?? 'the OTLP endpoint'}: ${failure}` : undefined);
    if (lost) process.stderr.write(`warning: ${lost}\n`);
  }
}

/** The OpenTelemetry-backed tracing of this process, exporting over OTLP/HTTP. */
export function otelTracing(env: Readonly<Record<string, string | undefined>>): Tracing {
  return new OtelTracing(env);
}

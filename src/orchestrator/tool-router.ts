import type { ErrorEnvelope } from '../shared/envelope.ts';
import type { OpenAIFunctionTool } from './openai-tools.ts';
import type { TraceSpan } from '../shared/tracing.ts';

// The seam between the agent loop and the servers, below both so neither imports the other.

/** What one tool call produced, as the agent loop and the transcript read it. */
export interface ToolCallOutcome {
  readonly server: string | undefined;
  readonly tool: string;
  /** The text the model receives as the tool message. */
  readonly content: string;
  /** Set when the call failed, whoever failed. */
  readonly envelope?: ErrorEnvelope;
  readonly durationMs: number;
  /** The server had stopped and was restarted before this call could be sent (its time includes the restart). */
  readonly restarted?: boolean;
}

/** What the loop needs from the servers; the ServerPool is the real one. */
export interface ToolRouter {
  openAITools(): OpenAIFunctionTool[];
  serverOf(name: string): string | undefined;
  /** `trace`: the execute_tool span the MCP client span of the call goes under (and whose trace the server continues). */
  callTool(name: string, args: Record<string, unknown>, signal?: AbortSignal, trace?: TraceSpan): Promise<ToolCallOutcome>;
}

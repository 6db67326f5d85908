/**
 * Every limit and behaviour-changing default of the orchestrator, in one place. Hitting one of
 * them yields a typed outcome (an envelope or a stop reason), never a hang.
 */

/** Model calls per query before the loop stops with stop reason `max_iterations`. */
export const MAX_ITERATIONS = 10;

/** How long one tool call may take before it is answered with a timeout envelope. */
export const TOOL_TIMEOUT_MS = 10_000;

/**
 * The largest tool-call arguments sent to a server (JSON, bytes). Larger calls are refused with an
 * envelope before they are sent: past the SDK's 10 MB stdio line limit a call kills the server.
 */
export const TOOL_ARGUMENTS_MAX_BYTES = 1_048_576;

/** The largest tool result handed to the model (text, bytes); a larger one becomes an envelope. */
export const TOOL_RESULT_MAX_BYTES = 1_048_576;

/** How long a server may take to start and answer initialize + tools/list. */
export const SERVER_START_TIMEOUT_MS = 10_000;

/** How long closing one server may take before its process is killed. */
export const SERVER_CLOSE_TIMEOUT_MS = 2_000;

/**
 * How long `helpdesk serve` waits, after Ctrl+C or SIGTERM, for its servers to drain (their own
 * drain is 5 s) and exit before it kills them.
 */
export const SERVE_STOP_TIMEOUT_MS = 8_000;

/**
 * Starts again of a server that exits during start-up (killed, crashed) while its pool opens,
 * before the pool gives up on it. A hang or a missing command is not retried.
 */
export const SERVER_START_RETRIES = 1;

/** Restarts of a server after a transport failure before it is marked unavailable. */
export const SERVER_RESTARTS = 1;

/** V8 heap limit given to every server process started with node (`--max-old-space-size`). */
export const SERVER_MEMORY_LIMIT_MB = 256;

/** How long one model request may take (per attempt), and how often the SDK retries it. */
export const MODEL_TIMEOUT_MS = 60_000;
export const MODEL_MAX_RETRIES = 2;

/** The model used when OPENAI_MODEL is not set. */
export const DEFAULT_MODEL = 'gpt-4o-mini';

/** Environment variables passed through to server processes; nothing else (no API keys). */
export const SERVER_ENV_ALLOWLIST = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'HELPDESK_NOW', 'HELPDESK_LOG_LEVEL'] as const;

/**
 * The settings `helpdesk serve` hands its HTTP servers besides the allowlist, each by name:
 * the bearer token, the idle limit and the cap of sessions. Never the whole environment.
 */
export const HTTP_SERVER_ENV = ['HELPDESK_HTTP_TOKEN', 'HELPDESK_HTTP_SESSION_IDLE_MS', 'HELPDESK_HTTP_MAX_SESSIONS'] as const;

/** Separator between server and tool name when two servers offer the same tool name. */
export const COLLISION_SEPARATOR = '__';

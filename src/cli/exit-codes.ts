/** Exit codes of the `helpdesk` command (documented in docs/orchestrator.md). */
export const EXIT = {
  ok: 0,
  /** The model API failed (auth, rate limit, server error, timeout, malformed reply). */
  modelError: 1,
  /** Bad usage or configuration: unknown flag, invalid config file, missing API key; a folder the run cannot write. */
  usage: 2,
  /** A server failed to start. */
  serverStart: 3,
  /** The query hit the iteration cap without a final answer. */
  maxIterations: 4,
  /** Interrupted with Ctrl+C. */
  interrupted: 130,
} as const;

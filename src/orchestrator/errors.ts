/**
 * Errors that say who is at fault. Each has a stable string `code` for programs and a
 * message for people; `cause` keeps the underlying error. The families:
 *
 * - ConfigError: the user's input is wrong (config, flag, scenario file, cassette, a results file given to read).
 * - StorageError: a folder the run must write cannot be written (read-only, full, in use).
 * - ServerStartError: an MCP server did not start or finish its handshake.
 * - ModelError: the model API failed.
 * - A HelpdeskError of its own code for the rest: an agent that failed its scenario
 *   (scenario_failed), a record the harness itself made wrong (invalid_run_record).
 *
 * A plain Error is a bug of ours: the CLI prints its stack.
 */
export class HelpdeskError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The user's configuration is wrong (bad config file, missing API key, bad flag). */
export class ConfigError extends HelpdeskError {
  /** `code` narrows what was wrong for programs (invalid_scenario_file, unreadable_results, ...). */
  constructor(message: string, options?: { cause?: unknown }, code = 'config_error') {
    super(code, message, options);
  }
}

/**
 * A folder the run must write (reports, recordings) cannot be written: read-only, full, or in use
 * by another run. The message names the folder; nothing of the run is lost by it beyond that folder.
 */
export class StorageError extends HelpdeskError {
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('storage_error', message, options);
    this.path = path;
  }
}

/** A server process could not be started or did not complete the MCP handshake. */
export class ServerStartError extends HelpdeskError {
  readonly server: string;
  readonly stderr: string;
  constructor(server: string, message: string, stderr = '', options?: { cause?: unknown }) {
    super('server_start_failed', `Server "${server}" failed to start: ${message}`, options);
    this.server = server;
    this.stderr = stderr;
  }
}

/** The model API failed: authentication, rate limit, server error, timeout or a malformed reply. */
export class ModelError extends HelpdeskError {
  readonly status: number | undefined;
  readonly kind: ModelErrorKind;
  constructor(kind: ModelErrorKind, message: string, status?: number, options?: { cause?: unknown }) {
    super(`model_${kind}`, message, options);
    this.kind = kind;
    this.status = status;
  }
}

/** What went wrong with the model API, for messages and for the harness's infrastructure count. */
export type ModelErrorKind = 'auth' | 'rate_limit' | 'server' | 'timeout' | 'connection' | 'bad_request' | 'malformed_reply' | 'aborted';

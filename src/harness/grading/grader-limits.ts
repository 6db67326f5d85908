/** How long a custom grader may take unless its scenario says otherwise (expect.custom[].timeout_ms). */
export const GRADER_TIMEOUT_MS = 30_000;

/** The heap a custom grader's thread may use; past it the thread is stopped and the check fails. */
export const GRADER_MEMORY_MB = 256;

/** The largest grader module that is loaded: a grader is code, and anything bigger is a mistake (or a device). */
export const GRADER_MODULE_MAX_BYTES = 4 * 1024 * 1024;

/** Grader threads kept idle for the next grader; more run at once when graders run at once. */
export const GRADER_IDLE_THREADS = 4;

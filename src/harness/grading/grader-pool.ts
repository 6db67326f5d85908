import { Worker } from 'node:worker_threads';
import { GRADER_IDLE_THREADS, GRADER_MEMORY_MB } from './grader-limits.ts';
import type { GraderInput, GraderOutput } from './grader.ts';
import type { GraderReply, GraderRequest } from './grader-protocol.ts';

/** The thread's file beside this one: TypeScript in the source tree, JavaScript once built. */
const THREAD_FILE = import.meta.url.endsWith('.ts') ? './grader-thread.ts' : './grader-thread.js';

/**
 * Runs custom graders in threads of their own, one grader at a time per thread, so that a grader
 * that exits, hangs, loops or eats memory costs its own check and nothing else: the thread is
 * stopped (or ends) and the check fails saying why. Idle threads are kept for the next grader
 * and never keep the process alive.
 */
export class GraderPool {
  readonly #idle: Worker[] = [];
  #next = 0;

  /** Runs one grader; resolves with its output or the reason it has none. Never rejects. */
  run(path: string, exportName: string, input: GraderInput, timeoutMs: number): Promise<GraderOutput | string> {
    const thread = this.#idle.pop() ?? this.#spawn();
    const id = (this.#next += 1);
    return new Promise((resolve) => {
      const done = (output: GraderOutput | string, reusable: boolean) => {
        clearTimeout(timer);
        thread.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (reusable && this.#idle.length < GRADER_IDLE_THREADS) this.#idle.push(thread);
        else void thread.terminate();
        resolve(output);
      };
      const onMessage = (reply: GraderReply) => {
        if (reply.id === id) done(reply.output, true);
      };
      const onError = (error: Error & { code?: string }) =>
        done(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `the grader failed: it ran out of memory (its limit is ${GRADER_MEMORY_MB} MB); it was stopped`
            : `the grader failed: ${error.message}`,
          false,
        );
      const onExit = (code: number) => done(`the grader failed: it ended its thread with process.exit(${code}) before returning`, false);
      const timer = setTimeout(
        () => done(`the grader failed: it did not return within ${timeoutMs} ms (timeout_ms); it was stopped`, false),
        timeoutMs,
      );
      thread.on('message', onMessage).on('error', onError).on('exit', onExit);
      thread.postMessage({ id, path, exportName, input } satisfies GraderRequest);
    });
  }

  #spawn(): Worker {
    const thread = new Worker(new URL(THREAD_FILE, import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: GRADER_MEMORY_MB, maxYoungGenerationSizeMb: 32 },
      stdout: false,
      stderr: false,
    });
    thread.unref();
    return thread;
  }
}

// A custom grader's thread: loads grader modules and runs one grader at a time. The main thread
// stops it when a grader takes too long; process.exit() here ends only this thread.
import { parentPort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { readOutput } from './grader-output.ts';
import type { GraderRequest, GraderReply } from './grader-protocol.ts';

const port = parentPort;
if (!port) throw new Error('the grader thread runs in a worker thread');

async function grade(request: GraderRequest): Promise<GraderReply['output']> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(request.path).href)) as Record<string, unknown>;
  } catch (error) {
    return `the grader failed: cannot load grader ${request.path}: ${(error as Error).message}`;
  }
  const grader = module[request.exportName];
  if (typeof grader !== 'function') {
    return `the grader failed: ${request.path} has no function export "${request.exportName}" (exports: ${Object.keys(module).join(', ') || 'none'})`;
  }
  try {
    return readOutput(await grader(request.input));
  } catch (error) {
    return `the grader failed: ${(error as Error)?.message ?? String(error)}`;
  }
}

port.on('message', (request: GraderRequest) => {
  void grade(request).then((output) => port.postMessage({ id: request.id, output } satisfies GraderReply));
});

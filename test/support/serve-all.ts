import { spawn, type ChildProcess } from 'node:child_process';
import { serverEntry } from '../../src/orchestrator/builtin-servers.ts';
import { DATASET_NOW } from '../../src/shared/clock.ts';
import { childEnv } from './child-env.ts';

/**
 * Starts servers/all (the five servers over Streamable HTTP, `helpdesk serve`'s process) and
 * resolves with its base URL once it listens; the caller stops the process.
 */
export async function serveAll(
  options: { port?: number; env?: Record<string, string> } = {},
): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [serverEntry('all'), '--port', String(options.port ?? 0), '--now', DATASET_NOW], {
    env: childEnv(options.env),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`servers/all did not listen within 10 s: ${stderr}`)), 10_000);
    child.once('exit', (code) => reject(new Error(`servers/all exited with ${code}: ${stderr}`)));
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      const match = /at (http:\/\/[^/\s]+)\//.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
  });
  return { base, child };
}

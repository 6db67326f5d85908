import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Whether the module at `url` is the script node was started with (import.meta.main, which Node 22 lacks). */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(url);
}

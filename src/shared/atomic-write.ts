import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isAlive } from './processes.ts';

/**
 * Writes a file so that readers, and whatever is left after a crash, kill -9 or a full disk, see
 * the whole old file or the whole new one: the pieces go to a temporary file beside it, which is
 * flushed to disk and then renamed over the target. A failed write removes the temporary file and
 * throws; the old file is untouched. Temporary files that killed writers left in a folder (their
 * process is gone) are removed by this process's first write there, not looked for at every write:
 * a recordings folder may hold thousands of cassettes.
 */
export function writeFileAtomic(path: string, pieces: string | Uint8Array | Iterable<string | Uint8Array>): void {
  const dir = dirname(path);
  if (!swept.has(dir)) {
    swept.add(dir);
    removeAbandoned(dir);
  }
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'wx');
    for (const piece of typeof pieces === 'string' || pieces instanceof Uint8Array ? [pieces] : pieces) {
      if (typeof piece === 'string') writeSync(fd, piece);
      else writeSync(fd, piece);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Folders this process has already cleared of abandoned temporary files. */
const swept = new Set<string>();

/** A temporary file's name: `.<file>.<pid>.<random>.tmp`. */
const TEMPORARY = /^\..+\.(\d+)\.[a-z0-9]+\.tmp$/;

/** Removes the temporary files in `dir` whose writer no longer runs. */
function removeAbandoned(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // no folder yet: nothing was left there
  }
  for (const name of names) {
    const pid = Number(TEMPORARY.exec(name)?.[1]);
    if (pid > 0 && pid !== process.pid && !isAlive(pid)) rmSync(join(dir, name), { force: true });
  }
}

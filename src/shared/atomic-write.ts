import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isAlive } from './processes.ts';

/**
 * Writes a file so that readers, and whatever is left after a crash, kill -9 or a full disk, see
 * the whole old file or the whole new one: the pieces go to a temporary file beside it, which is
 * flushed to disk and then renamed over the target. A failed write removes the temporary file and
 * throws; the old file is untouched. A temporary file that a killed writer left (its process is
 * gone) is removed by the next write of the same file.
 */
export function writeFileAtomic(path: string, pieces: string | Uint8Array | Iterable<string | Uint8Array>): void {
  removeAbandoned(path);
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

/** The temporary files of earlier writes of `path` whose process no longer runs. */
function removeAbandoned(path: string): void {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return; // no folder yet: nothing was left there
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length).split('.')[0]) : Number.NaN;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid)) rmSync(join(dirname(path), name), { force: true });
  }
}

import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StorageError } from '../../orchestrator/errors.ts';
import { isAlive } from '../../shared/processes.ts';
import { ResultJournal } from './journal.ts';

/** Marks a reports folder as written by a run: its process ID. */
const LOCK_FILE = '.helpdesk-eval.lock';

const reason = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/**
 * Checks, before anything runs, that `dir` can be written (or made, as the run would make it): a
 * read-only file system, a folder this user may not write, or a file in the way is a StorageError
 * naming the folder and what it is for. It writes nothing: a watched folder sees no change.
 */
export function checkWritable(dir: string, what: string): void {
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    if (!statSync(existing).isDirectory()) throw Object.assign(new Error(`${existing} is a file`), { code: 'ENOTDIR' });
    accessSync(existing, constants.W_OK);
  } catch (error) {
    throw new StorageError(
      dir,
      `cannot write the ${what} ${dir} (${reason(error)} at ${existing}): choose another folder or free it, nothing was run`,
      { cause: error },
    );
  }
}

/**
 * Claims a reports folder for this run until `release()`: a second run writing into the same folder
 * at once would empty the first one's results as it went. A claim left by a process that no longer
 * runs (killed) is taken over.
 */
export function claimReportFolder(dir: string): { release(): void } {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(lock, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new StorageError(dir, `cannot write the reports folder ${dir} (${reason(error)})`, { cause: error });
      const owner = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new StorageError(
          dir,
          `the reports folder ${dir} is in use by another helpdesk eval (pid ${owner}): give each run its own --report-dir, nothing was run`,
        );
      }
      rmSync(lock, { force: true }); // left by a run that is gone
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return { release: () => rmSync(lock, { force: true }) };
  }
  throw new StorageError(
    dir,
    `the reports folder ${dir} is being claimed by another helpdesk eval at this moment: give each run its own --report-dir`,
  );
}

/**
 * The journal of a run writing `dir`, with the folder claimed (claimReportFolder) until `close()`,
 * which closes the journal and releases the claim.
 */
export function openRunJournal(dir: string): { readonly journal: ResultJournal; close(): void } {
  const folder = claimReportFolder(dir);
  let journal: ResultJournal;
  try {
    journal = new ResultJournal(join(dir, 'results.jsonl'));
  } catch (error) {
    folder.release();
    throw error;
  }
  return {
    journal,
    close: () => {
      journal.close();
      folder.release();
    },
  };
}

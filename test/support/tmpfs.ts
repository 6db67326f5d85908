import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small file system of its own (tmpfs), to fill up or mount read-only; root only. */
export interface SmallDisk {
  readonly path: string;
  /** Mounts it again read-only (or writable). */
  remount(readOnly: boolean): void;
  dispose(): void;
}

/** Mounts a tmpfs of `size` (e.g. '200k'), or returns undefined where this process may not mount (not root, no mount). */
export function smallDisk(size: string): SmallDisk | undefined {
  const path = mkdtempSync(join(tmpdir(), 'helpdesk-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path], { stdio: 'pipe' });
  } catch {
    rmSync(path, { recursive: true, force: true });
    return undefined;
  }
  return {
    path,
    remount: (readOnly) => execFileSync('mount', ['-o', `remount,${readOnly ? 'ro' : 'rw'}`, path], { stdio: 'pipe' }),
    dispose: () => {
      execFileSync('umount', [path], { stdio: 'pipe' });
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** Whether tmpfs can be mounted here (the tests that fill a disk skip, saying so, where it cannot). */
export function canMount(): boolean {
  const disk = smallDisk('64k');
  disk?.dispose();
  return disk !== undefined;
}

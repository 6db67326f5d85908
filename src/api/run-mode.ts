import type { RunOptions } from '../harness/run/runner.ts';

/**
 * How a run gets the model's turns: `replay` serves each scenario's cassette offline (CI, no
 * key); `rebase` replays the recorded decisions against today's servers and rewrites the
 * cassettes that still pass; `record` asks a live model and writes cassettes; `author` writes
 * them from each scenario's `script` without a model; `live` asks the model and writes nothing.
 */
export type RunMode = 'replay' | 'rebase' | 'record' | 'author' | 'live';

/** The run options a mode sets: the one place a RunMode becomes the runner's settings. */
export function runModeOptions(mode: RunMode): Pick<RunOptions, 'mode' | 'author' | 'rebase'> {
  switch (mode) {
    case 'replay':
      return { mode: 'replay' };
    case 'rebase':
      return { mode: 'replay', rebase: true };
    case 'record':
      return { mode: 'record' };
    case 'author':
      return { mode: 'record', author: true };
    case 'live':
      return { mode: 'live' };
  }
}

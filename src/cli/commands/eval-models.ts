import { join } from 'node:path';
import { ConfigError } from '../../orchestrator/errors.ts';
import type { ModelEntry } from '../../orchestrator/config.ts';
import type { ModelApi } from '../../orchestrator/responses-wire.ts';

/** One model of a comparison: what it is called in reports and cassette folders, and how to reach it. */
export interface ComparedModel {
  /** File-safe: the folder of its cassettes (recordings/<label>/) and of its report. */
  readonly label: string;
  readonly name: string;
  readonly api?: ModelApi | undefined;
  readonly baseURL?: string | undefined;
  readonly apiKeyEnv?: string | undefined;
}

/** Where a compared model's cassettes are: its own folder of the recordings folder. */
export function modelRecordings(recordingsDir: string, model: ComparedModel): string {
  return join(recordingsDir, model.label);
}

/** A model name as a folder name: letters, digits, ".", "_" and "-" kept, anything else a "-". */
export function fileSafe(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+|-+$/g, '');
  return safe === '' ? 'model' : safe.slice(0, 64);
}

/**
 * The models a run compares, or undefined for a run of one model: the config's `models` (--model
 * picks among them by label or name, or adds one reached through the default endpoint), or two or
 * more --model. Two models of one label are refused: their cassettes would share a folder.
 */
export function comparedModels(flags: readonly string[], configured: readonly ModelEntry[] | undefined): ComparedModel[] | undefined {
  if (!configured && flags.length < 2) return undefined;
  const entries: ModelEntry[] =
    flags.length === 0
      ? [...(configured ?? [])]
      : flags.map((flag) => configured?.find((m) => m.label === flag) ?? configured?.find((m) => m.name === flag) ?? { name: flag });
  const models = entries.map((entry) => ({ ...entry, label: entry.label ?? fileSafe(entry.name) }));
  const seen = new Map<string, string>();
  for (const model of models) {
    const other = seen.get(model.label);
    if (other !== undefined) {
      throw new ConfigError(
        other === model.name
          ? `model ${model.name} is selected twice`
          : `models ${other} and ${model.name} would both be called "${model.label}" (their cassettes' folder); give one a "label" in the config's models`,
      );
    }
    seen.set(model.label, model.name);
  }
  return models;
}

import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Transcript } from '../../orchestrator/transcript.ts';
import type { ScenarioRecord } from '../results.ts';
import { validScenarioRecord } from '../reporters/write.ts';

/** Where one scenario's line sits in the journal. */
interface Place {
  readonly offset: number;
  readonly length: number;
}

/**
 * A transcript without its events: what the tables, gates and charts read (model, iterations,
 * stop reason, usage, duration) at a small part of the size.
 */
function thinTranscript(transcript: Transcript): Transcript {
  return transcript.events.length === 0 ? transcript : { ...transcript, events: [] };
}

/** The scenario record as the run keeps it in memory: every trial's transcripts without their events. */
export function thinRecord(record: ScenarioRecord): ScenarioRecord {
  return { ...record, trials: record.trials.map((t) => ({ ...t, transcripts: t.transcripts.map(thinTranscript) })) };
}

/**
 * What the journal keeps of a scenario: its record checked against the results.json schema and
 * cut to its text limit, as one line of JSON, and the thin copy the run holds. Worker threads
 * make it where the scenario ran; the main thread only writes the line.
 */
export function journalEntry(record: ScenarioRecord): { line: string; thin: ScenarioRecord } {
  const valid = validScenarioRecord(record);
  return { line: JSON.stringify(valid), thin: thinRecord(valid) };
}

/**
 * The results of a run on disk as they finish, one scenario record per line (JSON lines), so a
 * run of any size keeps only thin records in memory: the reports read each full record back
 * when they write it. Each line is checked against the results.json schema and cut to its text
 * limit when it is written, so results.json can copy it as it stands.
 */
export class ResultJournal {
  readonly path: string;
  readonly #places = new Map<string, Place>();
  #fd: number | undefined;
  #end = 0;
  #scratch = Buffer.allocUnsafe(1 << 16);

  /** Opens (and empties) the journal file. */
  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.path = path;
    this.#fd = openSync(path, 'w+');
  }

  /** Writes a scenario's full record and returns the thin copy to keep. */
  keep(record: ScenarioRecord): ScenarioRecord {
    const { line, thin } = journalEntry(record);
    this.keepLine(thin.id, line);
    return thin;
  }

  /** Writes a journalEntry() line made elsewhere (by a worker thread). */
  keepLine(id: string, line: string): void {
    if (this.#fd === undefined) throw new Error('the result journal is closed');
    const bytes = Buffer.from(`${line}\n`);
    writeSync(this.#fd, bytes, 0, bytes.length, this.#end);
    this.#places.set(id, { offset: this.#end, length: bytes.length - 1 });
    this.#end += bytes.length;
  }

  /**
   * The line of a kept scenario as written, as bytes in a buffer this journal reuses (copy them
   * before the next call), or undefined.
   */
  bytes(id: string): Buffer | undefined {
    const place = this.#places.get(id);
    if (!place || this.#fd === undefined) return undefined;
    if (this.#scratch.length < place.length) this.#scratch = Buffer.allocUnsafe(Math.max(place.length, this.#scratch.length * 2));
    readSync(this.#fd, this.#scratch, 0, place.length, place.offset);
    return this.#scratch.subarray(0, place.length);
  }

  /** The line of a kept scenario as written, or undefined. */
  line(id: string): string | undefined {
    return this.bytes(id)?.toString('utf8');
  }

  /** The full record of a scenario: read back when it was kept, the given one otherwise. */
  full(record: ScenarioRecord): ScenarioRecord {
    const line = this.line(record.id);
    return line === undefined ? record : (JSON.parse(line) as ScenarioRecord);
  }

  /** Closes the file and, unless asked to keep it, removes it. */
  close(options: { keepFile?: boolean } = {}): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    this.#places.clear();
    if (!options.keepFile) rmSync(this.path, { force: true });
  }
}

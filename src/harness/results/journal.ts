import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Transcript } from '../../orchestrator/transcript.ts';
import { StorageError } from '../../orchestrator/errors.ts';
import type { ScenarioRecord } from './records.ts';
import { validScenarioRecord } from './valid-record.ts';

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
  /** Lines kept in memory once the file could not be written (a full or failing disk): no result is lost. */
  #memory: Map<string, Buffer> | undefined;
  #failure: Error | undefined;
  #closed = false;

  /** Opens (and empties) the journal file. */
  constructor(path: string) {
    this.path = path;
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.#fd = openSync(path, 'w+');
    } catch (error) {
      throw new StorageError(
        dirname(path),
        `cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): choose another --report-dir`,
        { cause: error },
      );
    }
  }

  /** The error that made the journal keep its lines in memory, if one did. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** Writes a scenario's full record and returns the thin copy to keep. */
  keep(record: ScenarioRecord): ScenarioRecord {
    const { line, thin } = journalEntry(record);
    this.keepLine(thin.id, line);
    return thin;
  }

  /** Writes a journalEntry() line made elsewhere (by a worker thread). */
  keepLine(id: string, line: string): void {
    if (this.#closed) throw new Error('the result journal is closed');
    const bytes = Buffer.from(`${line}\n`);
    if (this.#memory === undefined && this.#fd !== undefined) {
      try {
        writeSync(this.#fd, bytes, 0, bytes.length, this.#end);
        this.#places.set(id, { offset: this.#end, length: bytes.length - 1 });
        this.#end += bytes.length;
        return;
      } catch (error) {
        // The disk is full or failing: the lines move to memory and the file goes, freeing its
        // space for the reports; the run goes on.
        this.#failure = error as Error;
        this.#toMemory();
      }
    }
    this.#memory?.set(id, bytes.subarray(0, bytes.length - 1));
  }

  /**
   * The line of a kept scenario as written, as bytes in a buffer this journal reuses (copy them
   * before the next call), or undefined.
   */
  bytes(id: string): Buffer | undefined {
    const kept = this.#memory?.get(id);
    if (kept) return kept;
    const place = this.#places.get(id);
    if (!place || this.#fd === undefined) return undefined;
    if (this.#scratch.length < place.length) this.#scratch = Buffer.allocUnsafe(Math.max(place.length, this.#scratch.length * 2));
    readSync(this.#fd, this.#scratch, 0, place.length, place.offset);
    return this.#scratch.subarray(0, place.length);
  }

  #toMemory(): void {
    const memory = new Map<string, Buffer>();
    for (const id of this.#places.keys()) memory.set(id, Buffer.from(this.bytes(id) as Buffer));
    this.#memory = memory;
    this.#places.clear();
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    rmSync(this.path, { force: true });
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
    this.#closed = true;
    this.#places.clear();
    this.#memory = undefined;
    if (!options.keepFile) rmSync(this.path, { force: true });
  }
}

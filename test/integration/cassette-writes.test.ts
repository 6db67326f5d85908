import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCassette, type Cassette } from '../../src/harness/cassettes/cassette.ts';
import { ROOT } from '../servers.ts';

// A cassette is the only copy of a recording: whatever stops a write (kill -9, a full disk), the
// file on disk is the whole old recording or the whole new one, never part of either.

const dir = mkdtempSync(join(tmpdir(), 'helpdesk-cassette-writes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SOURCE = join(ROOT, 'recordings', 'critical-tickets-cust-001.json');

/** Starts the writer loop, waits until it writes, kills it with SIGKILL after `ms`, and returns the file's text. */
async function killDuringWrites(target: string, ms: number): Promise<string> {
  const child = spawn(process.execPath, [join(ROOT, 'test', 'fixtures', 'writers', 'cassette-writer.ts'), target, SOURCE, '30'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  await new Promise((r) => setTimeout(r, ms));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  return readFileSync(target, 'utf8');
}

describe('cassette writes', () => {
  it('leaves the whole old or the whole new cassette when the writer is killed with SIGKILL mid-write, 5 times out of 5', {
    timeout: 60_000,
  }, async () => {
    const original = readFileSync(SOURCE, 'utf8');
    const outcomes: string[] = [];
    for (const ms of [40, 90, 150, 230, 320]) {
      const target = join(dir, `kill-${ms}.json`);
      copyFileSync(SOURCE, target);
      const text = await killDuringWrites(target, ms);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        outcomes.push(`${ms} ms: broken (${text.length} bytes): ${(error as Error).message}`);
        continue;
      }
      outcomes.push(`${ms} ms: ${text === original ? 'old' : JSON.stringify(parsed).length > 30_000_000 ? 'new' : 'other'}`);
    }
    expect(outcomes.filter((o) => !/: (old|new)$/.test(o))).toEqual([]);
    // A killed writer cannot remove its temporary file; the next process to write in the folder does.
    const left = readdirSync(dir).filter((name) => name.endsWith('.tmp'));
    for (const name of left) {
      const target = join(dir, name.slice(1).replace(/\.\d+\.\w+\.tmp$/, ''));
      writeCassette(target, JSON.parse(readFileSync(SOURCE, 'utf8')) as Cassette);
    }
    expect(readdirSync(dir).filter((name) => !/^kill-\d+\.json$/.test(name))).toEqual([]);
  });
});

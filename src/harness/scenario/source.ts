import { extname } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { ConfigError } from '../../orchestrator/errors.ts';

/** The extensions of scenario files: JSON, and YAML with the same schema. */
export const SCENARIO_EXTENSIONS = ['.json', '.yaml', '.yml'] as const;

/** Whether a file name is a scenario file (the generated JSON Schema is not). */
export function isScenarioFile(name: string): boolean {
  return (SCENARIO_EXTENSIONS as readonly string[]).includes(extname(name)) && !name.endsWith('.schema.json');
}

/** A scenario file's name without its extension: the ID it must declare. */
export function scenarioFileId(name: string): string {
  return name.slice(0, name.length - extname(name).length);
}

/** A place in a file, counted from 1. */
interface Place {
  readonly line: number;
  readonly column: number;
}

const at = (place: Place | undefined) => (place ? `line ${place.line}, column ${place.column}: ` : '');

/** The line and column of a character offset. */
function placeOf(text: string, offset: number): Place {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** The text of a file that could not be parsed, with the problems to report (each with its line and column). */
export class SourceError extends ConfigError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.join('; '), undefined, 'invalid_scenario_source');
    this.problems = problems;
  }
}

const isYaml = (file: string) => extname(file) !== '.json';

/**
 * The value of a scenario file's text: JSON.parse for .json (fast for suites of thousands), the
 * `yaml` package for .yaml and .yml. A syntax error throws SourceError with its line and column.
 */
export function parseScenarioSource(file: string, text: string): unknown {
  if (!isYaml(file)) {
    try {
      return JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      // V8 says "at position N" (and, in newer versions, "(line L column C)"), or nothing at the end of the input.
      const position = /at position (\d+)/.exec(message)?.[1];
      const place = placeOf(text, position === undefined ? text.length : Number(position));
      throw new SourceError([
        `${at(place)}${message.replace(/\s*(?:in JSON )?at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, '')}`,
      ]);
    }
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SourceError(
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return `${at({ line: pos.line, column: pos.col })}${e.message.split('\n')[0]}`;
      }),
    );
  }
  return doc.toJS();
}

/** Where a path of the file's value is written: the key of an object's field, or the item of a list. */
function locate(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): Place | undefined {
  if (path.length === 0) return undefined;
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1).map(String), true);
  const last = path.at(-1);
  let offset: number | undefined;
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(last));
    offset = (pair?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
  } else {
    const node = doc.getIn(
      path.map((p) => (typeof p === 'number' ? p : String(p))),
      true,
    ) as { range?: [number, number, number] } | undefined;
    offset = node?.range?.[0];
  }
  if (offset === undefined) return undefined;
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** A schema problem of the file: its path, a message, and (for an unknown field) the key. */
export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly keys?: readonly string[];
}

/**
 * The schema problems of a parsed file as lines naming the line and column of the field (an
 * unknown field at its key), its path and the message. Only called when the file is invalid, so
 * JSON files are read a second time, by the YAML parser (JSON is YAML), to find the places.
 */
export function describeIssues(text: string, issues: readonly SchemaIssue[]): string[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  return issues.map((issue) => {
    const target = issue.keys?.length === 1 ? [...issue.path, issue.keys[0] as string] : issue.path;
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
    return `${at(locate(doc, lines, target))}${path}: ${issue.message}`;
  });
}

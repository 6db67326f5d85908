// Writes scenarios/scenario.schema.json from the zod scenario schema, so editors can
// autocomplete and check scenario files. A test fails when the file is out of date.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { scenarioJsonSchema } from '../src/harness/scenario.ts';
import { isMain } from './is-main.ts';

export const SCHEMA_PATH = resolve(import.meta.dirname, '..', 'scenarios', 'scenario.schema.json');

/** The file's expected text. */
export function schemaText(): string {
  return `${JSON.stringify({ title: 'mcp-helpdesk scenario', ...scenarioJsonSchema() }, null, 2)}\n`;
}

if (isMain(import.meta.url)) {
  writeFileSync(SCHEMA_PATH, schemaText());
  process.stderr.write(`wrote ${SCHEMA_PATH}\n`);
}

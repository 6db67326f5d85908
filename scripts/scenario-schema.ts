// Writes scenarios/scenario.schema.json from the zod scenario schema, so editors can
// autocomplete and check scenario files. A test fails when the file is out of date.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { scenarioSchemaText } from '../src/harness/scenario/scenario.ts';
import { isMain } from './is-main.ts';

export const SCHEMA_PATH = resolve(import.meta.dirname, '..', 'scenarios', 'scenario.schema.json');

if (isMain(import.meta.url)) {
  writeFileSync(SCHEMA_PATH, scenarioSchemaText());
  process.stderr.write(`wrote ${SCHEMA_PATH}\n`);
}

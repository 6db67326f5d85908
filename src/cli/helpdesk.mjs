#!/usr/bin/env node
// The `helpdesk` command (package.json `bin`). It checks the Node version in plain JavaScript,
// then loads the entry, which an older Node could not even parse. The build copies this file into
// dist/cli/. In a clone the TypeScript source runs (Node's type stripping), so an edit is never
// served stale by an old build; an installed package has only dist/ and runs the compiled entry.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requireNode } from './require-node.mjs';

requireNode();
const entries = ['./helpdesk.ts', '../../src/cli/helpdesk.ts', './helpdesk.js'].map((path) => new URL(path, import.meta.url));
const entry = entries.find((url) => existsSync(fileURLToPath(url)));
if (!entry) throw new Error(`mcp-helpdesk is incomplete: none of ${entries.map((url) => fileURLToPath(url)).join(', ')} exists`);
await import(entry.href);

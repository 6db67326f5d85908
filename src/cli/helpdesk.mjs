#!/usr/bin/env node
// The `helpdesk` command as installed (package.json `bin`): it checks the Node version in plain
// JavaScript, then loads the TypeScript entry, which an older Node could not even parse.
import { requireNode } from './require-node.mjs';

requireNode();
await import('./helpdesk.ts');

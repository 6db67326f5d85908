#!/usr/bin/env node
// Knowledge-base server over stdio. Clock: --now <ISO> or HELPDESK_NOW; logs go to stderr only.
import { runStdio } from '../kit/stdio.ts';
import { buildServer } from './server.ts';

await runStdio('kb', buildServer);

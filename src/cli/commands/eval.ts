import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../../orchestrator/builtin-servers.ts';
import { ConfigError } from '../../orchestrator/errors.ts';
import { checkApiKey } from '../../orchestrator/openai-model.ts';
import type { Mode } from '../../harness/graders.ts';
import { PoolCache } from '../../harness/pools.ts';
import { failureDetails, resultsTable, summaryLine } from '../../harness/reporters/terminal.ts';
import { ReplayHub } from '../../harness/replay.ts';
import { runSuite, type LiveEndpoint } from '../../harness/runner.ts';
import { loadScenarios, ScenarioFileError } from '../../harness/scenario.ts';
import { EXIT } from '../exit-codes.ts';
import { readSettings } from '../settings.ts';

export const EVAL_HELP = `Usage: helpdesk eval [mode] [filters] [options]

Runs the scenario suite (scenarios/*.json) against the real MCP servers and grades each run.

Modes:
  (default)          replay the recorded model responses (recordings/); offline, no key
  --record           call the live model and write the cassettes of the selected scenarios
  --author           write the cassettes from each scenario's "script" (no model, no key)
  --live             call the live model without cassettes
Filters (combine; a scenario must match each given kind):
  --id <id>          a scenario ID (repeatable, or comma-separated)
  --tag <tag>        scenarios with this tag (repeatable)
  --file <path>      a scenario file (repeatable)
Options:
  --concurrency <n>  scenarios run at once (default 4)
  --scenarios <dir>  scenario folder (default scenarios/)
  --recordings <dir> cassette folder (default recordings/)
  -h, --help         show this help

Exit code 0 only when every selected scenario passes; 1 when one fails; 2 for bad usage.`;

function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** `helpdesk eval`: the project's main job. */
export async function evalCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      record: { type: 'boolean' }, author: { type: 'boolean' }, live: { type: 'boolean' },
      id: { type: 'string', multiple: true }, tag: { type: 'string', multiple: true }, file: { type: 'string', multiple: true },
      concurrency: { type: 'string' }, scenarios: { type: 'string' }, recordings: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${EVAL_HELP}\n`);
    return EXIT.ok;
  }
  const chosen = [values.record, values.author, values.live].filter(Boolean).length;
  if (chosen > 1) throw new ConfigError('choose one of --record, --author and --live');
  const mode: Mode = values.live ? 'live' : values.record || values.author ? 'record' : 'replay';
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError(`--concurrency must be a positive whole number, got "${values.concurrency}"`);

  const scenariosDir = resolve(values.scenarios ?? resolve(PROJECT_ROOT, 'scenarios'));
  const recordingsDir = resolve(values.recordings ?? resolve(PROJECT_ROOT, 'recordings'));
  if (!existsSync(scenariosDir)) throw new ConfigError(`scenario folder ${scenariosDir} does not exist`);
  let scenarios;
  try {
    scenarios = loadScenarios(scenariosDir, { ids: list(values.id), tags: list(values.tag), files: list(values.file) }, process.cwd());
  } catch (error) {
    if (error instanceof ScenarioFileError) throw new ConfigError(`invalid scenario file(s) in ${error.message}`);
    throw error;
  }
  if (scenarios.length === 0) throw new ConfigError('no scenario matches the filters');

  const settings = readSettings(env);
  let live: LiveEndpoint | undefined;
  if (mode !== 'replay' && !values.author) {
    live = {
      apiKey: checkApiKey(settings.apiKey, settings.baseURL), baseURL: settings.baseURL, model: settings.model,
      timeoutMs: settings.modelTimeoutMs, maxRetries: settings.modelRetries,
    };
  }
  const pools = new PoolCache(PROJECT_ROOT, settings.serverEnv);
  const hub = mode === 'replay' ? new ReplayHub() : undefined;
  hub?.open();
  const label = values.author ? 'author' : mode;
  const started = performance.now();
  const tty = process.stderr.isTTY === true;
  try {
    const results = await runSuite(
      scenarios,
      { mode, recordingsDir, pools, ...(hub ? { hub } : {}), ...(live ? { live } : {}), ...(values.author ? { author: true } : {}) },
      concurrency,
      (result, done, total) => {
        const line = `[${done}/${total}] ${result.pass ? 'pass' : 'FAIL'} ${result.id} (${(result.durationMs / 1000).toFixed(2)} s)`;
        process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
      },
    );
    if (tty) process.stderr.write('\n');
    process.stdout.write(`${resultsTable(results)}\n`);
    const details = failureDetails(results);
    if (details.length > 0) process.stdout.write(`\n${details.join('\n')}\n`);
    process.stdout.write(`\n${label}: ${summaryLine(results, (performance.now() - started) / 1000)}\n`);
    return results.every((r) => r.pass) ? EXIT.ok : EXIT.modelError;
  } finally {
    hub?.close();
    await pools.close();
  }
}

import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ServersConfig } from '../../orchestrator/config.ts';
import { ConfigError } from '../../orchestrator/errors.ts';
import type { RegisteredTool } from '../../orchestrator/tool-registry.ts';
import { resultDetails } from '../../harness/reporters/terminal.ts';
import { authorScenarioFile } from '../../harness/suite/save-conversation.ts';
import { exampleId, exampleQuestion, exampleScenarioYaml } from '../../harness/scaffold/example-scenario.ts';
import { KEPT_WHEN_PRESENT, PROJECT_PATHS, projectFiles } from '../../harness/scaffold/project-files.ts';
import { sampleArguments } from '../../harness/scaffold/sample-args.ts';
import { actionsSecretName, dotEnvLines, withPlaceholders } from '../../harness/scaffold/secrets.ts';
import { scenarioSchemaText } from '../../harness/scenario/scenario.ts';
import { EXIT } from '../exit-codes.ts';
import { CONFIG_FILE, openProject, saveTarget } from '../../harness/suite/project.ts';
import { openPool } from '../open.ts';
import { readSettings, type Settings } from '../settings.ts';
import { TerminalQuestions } from '../terminal-ui.ts';
import { QuestionsClosed, type Questions } from '../ui.ts';
import { Interrupts } from '../interrupts.ts';
import { helpdeskSpecIn, helpdeskVersionRange, localFolderWarning, namesLocalFolder } from './init-package.ts';
import { askServers, serversFromFlags } from './init-servers.ts';

export const INIT_HELP = `Usage: helpdesk init [dir] [options]

Sets up an evaluation project for your own MCP servers in dir (default: this folder): a
helpdesk.config.json with the servers, the agent's system prompt in prompts/system.md, a
scenarios folder with one example scenario for one of their tools and its cassette (authored
from the scenario's script and replayed, so the suite is green from the start), a GitHub
Actions workflow that replays the suite, and a package.json and .gitignore where none exist.
It starts the servers to list their tools and calls the example's tool twice. No API key needed.

Servers (asked for when none is given and the terminal is interactive):
  --server <name>=<command line>  a server this machine starts over stdio (repeatable), e.g.
                                  --server everything="npx -y @modelcontextprotocol/server-everything"
  --url <name>=<url>              a Streamable HTTP server (repeatable)
  --from <file>                   the servers of an existing MCP config (Claude Desktop,
                                  Cursor: mcpServers; VS Code: servers)
The example scenario:
  --tool <name>        the tool it uses (default: the first read-only tool, else the first)
  --args <json>        the tool's arguments (default: a sample from its input schema)
  --question <text>    the question it asks
Options:
  --package <spec>     how a new package.json names mcp-helpdesk: any npm spec, e.g. a version
                       range, a git URL or a tarball (default: ${helpdeskVersionRange()}, this version)
  --yes                ask nothing: take the defaults
  -h, --help           show this help

Exit code 0 when the project is written and its example replays green; 1 when it is written but
the example fails; 2 for bad usage, an existing helpdesk.config.json or a failing example call;
3 when a server does not start; 130 when the questions are cancelled (nothing is written).`;

const OPTIONS = {
  server: { type: 'string', multiple: true },
  url: { type: 'string', multiple: true },
  from: { type: 'string' },
  tool: { type: 'string' },
  args: { type: 'string' },
  question: { type: 'string' },
  package: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The git repository a folder is in (its root), if any: the workflow goes there. */
function repositoryRoot(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return at;
    if (dirname(at) === at) return undefined;
  }
}

/** The default tool of the example: the first the server marks read-only, else the first. */
function defaultTool(tools: readonly RegisteredTool[]): RegisteredTool {
  return tools.find((t) => t.info.readOnly === true) ?? (tools[0] as RegisteredTool);
}

function parseJsonArgs(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${where}: not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(`${where}: give a JSON object of the tool's arguments, e.g. {"message": "hello"}`);
  return value as Record<string, unknown>;
}

/** The tool, arguments and question of the example, from the flags or the person. */
async function chooseExample(
  tools: readonly RegisteredTool[],
  values: { tool?: string | undefined; args?: string | undefined; question?: string | undefined },
  questions: Questions | undefined,
) {
  let tool: RegisteredTool;
  if (values.tool !== undefined) {
    const found = tools.find((t) => t.publicName === values.tool || t.toolName === values.tool);
    if (!found) throw new ConfigError(`--tool: no tool "${values.tool}"; the servers offer ${tools.map((t) => t.publicName).join(', ')}`);
    tool = found;
  } else {
    tool = questions
      ? await questions.choose(
          'Which tool should the example scenario use?',
          tools.map((t) => ({ name: t.publicName, value: t, description: `${t.server}: ${t.info.description ?? ''}` })),
          defaultTool(tools),
        )
      : defaultTool(tools);
  }
  const sample = JSON.stringify(sampleArguments(tool.info.inputSchema));
  const argsText =
    values.args ??
    (questions
      ? await questions.text(`Arguments of ${tool.publicName} (JSON)`, {
          default: sample,
          validate: (text) => {
            try {
              parseJsonArgs(text, 'arguments');
              return true;
            } catch (error) {
              return (error as Error).message;
            }
          },
        })
      : sample);
  const args = parseJsonArgs(argsText, '--args');
  const question =
    values.question ??
    (questions
      ? await questions.text('The question the example asks', { default: exampleQuestion(tool.publicName, args) })
      : exampleQuestion(tool.publicName, args));
  return { tool, args, question };
}

/** Starts the servers, picks the example and calls its tool twice; the servers are stopped again. */
async function discover(
  settings: Settings,
  servers: ServersConfig,
  values: Parameters<typeof chooseExample>[1],
  questions: Questions | undefined,
) {
  const pool = await openPool(settings, servers);
  try {
    const tools = pool.registry.list();
    if (tools.length === 0)
      throw new ConfigError(`the servers (${Object.keys(servers).join(', ')}) offer no tools: an example scenario needs one`);
    process.stdout.write(
      `${pool.servers().length} server(s) started: ${tools.length} tools (${tools
        .slice(0, 8)
        .map((t) => t.publicName)
        .join(', ')}${tools.length > 8 ? ', …' : ''})\n`,
    );
    const { tool, args, question } = await chooseExample(tools, values, questions);
    const first = await pool.callTool(tool.publicName, args);
    if (first.envelope)
      throw new ConfigError(
        `the example call ${tool.publicName}(${JSON.stringify(args)}) failed: ${first.envelope.reason} — give arguments it accepts with --args`,
      );
    const second = await pool.callTool(tool.publicName, args);
    const startupMs = Math.max(...pool.servers().map((s) => s.startMs));
    return { tool, args, question, startupMs, result: second.content === first.content ? first.content : undefined };
  } finally {
    await pool.close();
  }
}

/** `helpdesk init`: a new evaluation project for someone else's servers. */
export async function initCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  if (values.help) {
    process.stdout.write(`${INIT_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw new ConfigError(`init takes one folder, got ${positionals.length}: ${positionals.join(' ')}`);
  const dir = resolve(positionals[0] ?? '.');
  if (existsSync(join(dir, CONFIG_FILE)))
    throw new ConfigError(`${join(dir, CONFIG_FILE)} already exists: this folder has a project (edit it, or init another folder)`);
  const questions = values.yes || !process.stdin.isTTY ? undefined : new TerminalQuestions();
  // Ctrl+C outside a question (a prompt takes it as a key) or SIGTERM: exiting runs the pools' exit hook, which stops every server.
  const interrupts = new Interrupts(() => {
    process.stderr.write('\ninit interrupted\n');
    process.exit(EXIT.interrupted);
  });
  try {
    let servers = serversFromFlags(values, process.cwd());
    if (Object.keys(servers).length === 0) {
      if (!questions)
        throw new ConfigError(
          'init needs a server: --server <name>=<command line>, --url <name>=<url> or --from <mcp config> (or run it in a terminal to be asked)',
        );
      servers = await askServers(questions, process.cwd());
    }
    const settings = readSettings(env);
    const example = await discover(settings, servers, values, questions);
    // Credentials of the servers go to .env (ignored by git), the config names them.
    const { servers: shareable, secrets } = withPlaceholders(servers);
    const scenarioId = exampleId({ server: example.tool.server, tool: example.tool.publicName });
    const helpdeskPackage = values.package ?? helpdeskVersionRange();
    const files = projectFiles({
      name: basename(dir),
      dir,
      servers: shareable,
      scenarioId,
      schemaText: scenarioSchemaText(),
      scenarioYaml: exampleScenarioYaml(
        {
          server: example.tool.server,
          tool: example.tool.publicName,
          args: example.args,
          question: example.question,
          result: example.result,
          startupMs: example.startupMs,
        },
        basename(PROJECT_PATHS.schema),
      ),
      repoRoot: repositoryRoot(dir) ?? dir,
      helpdeskPackage,
      credentials: Object.keys(secrets),
    });
    const kept = Object.keys(files).filter((path) => KEPT_WHEN_PRESENT.includes(path) && existsSync(join(dir, path)));
    const clashes = Object.keys(files).filter((path) => !KEPT_WHEN_PRESENT.includes(path) && existsSync(join(dir, path)));
    if (clashes.length > 0)
      throw new ConfigError(`init would overwrite ${clashes.map((p) => join(dir, p)).join(', ')}; move them away or init another folder`);
    for (const path of kept) delete files[path];
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    mkdirSync(join(dir, PROJECT_PATHS.recordings), { recursive: true });
    if (Object.keys(secrets).length > 0) {
      const dotEnv = join(dir, '.env');
      appendFileSync(dotEnv, dotEnvLines(secrets, existsSync(dotEnv) ? readFileSync(dotEnv, 'utf8') : ''));
      const ignore = join(dir, PROJECT_PATHS.gitignore);
      if (!/^\/?\.env$/m.test(readFileSync(ignore, 'utf8'))) appendFileSync(ignore, '\n.env\n');
      process.stdout.write(
        `kept ${Object.keys(secrets).join(', ')} in .env (ignored by git), not in the config (which names them as \${…}): add them to the repository's Actions secrets as ${Object.keys(secrets).map(actionsSecretName).join(', ')}: the workflow passes them to eval\n`,
      );
    }
    process.stdout.write(
      `\nwrote ${Object.keys(files)
        .sort()
        .map((p) => relative(process.cwd(), join(dir, p)) || p)
        .join(', ')}\n`,
    );
    const named = helpdeskSpecIn(join(dir, PROJECT_PATHS.packageJson));
    for (const path of kept) {
      const advice =
        path === PROJECT_PATHS.packageJson && named === undefined ? ` (add mcp-helpdesk to its devDependencies: ${helpdeskPackage})` : '';
      process.stdout.write(`kept the existing ${path}${advice}\n`);
    }
    if (named !== undefined && namesLocalFolder(named)) process.stderr.write(`${localFolderWarning(named)}\n`);
    return await authorExample(dir, scenarioId, { ...env, ...secrets }, settings);
  } catch (error) {
    if (error instanceof QuestionsClosed) {
      process.stderr.write('\ninit cancelled: nothing was written\n');
      return EXIT.interrupted;
    }
    throw error;
  } finally {
    interrupts.dispose();
  }
}

/** Authors the example's cassette and replays it through the project as `helpdesk eval` would see it. */
async function authorExample(dir: string, scenarioId: string, env: NodeJS.ProcessEnv, settings: Settings): Promise<number> {
  const project = openProject(undefined, env, dir);
  const file = join(project.scenariosDir, `${scenarioId}.yaml`);
  const { authored, replay } = await authorScenarioFile(file, saveTarget(project, settings.serverEnv));
  const shown = relative(process.cwd(), dir) || '.';
  const failed = [authored, replay].find((r) => r !== undefined && !r.pass);
  if (failed) {
    process.stdout.write(
      `\nthe example ${scenarioId} does not pass yet (${failed === authored ? 'authoring' : 'replay'}):\n  ${resultDetails(failed).join('\n  ')}\nedit ${relative(process.cwd(), file)}, then: npx helpdesk eval --author\n`,
    );
    return EXIT.modelError;
  }
  process.stdout.write(
    [
      '',
      `authored recordings/${scenarioId}.json from the script, and replayed it: pass`,
      '',
      'Next:',
      ...(shown === '.' ? [] : [`  cd ${shown}`]),
      '  npm install                 # brings mcp-helpdesk (see package.json)',
      '  npx helpdesk eval           # replays the scenarios offline: no model, no key',
      '  npx helpdesk eval --record  # asks your model (OPENAI_API_KEY, OPENAI_BASE_URL) and records it',
      `Add scenarios beside scenarios/${scenarioId}.yaml; the system prompt is ${PROJECT_PATHS.prompt}.`,
      'Commit package-lock.json (npm install writes it) with the rest: the workflow installs with npm ci.',
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

import { parseArgs } from 'node:util';
import { openProject } from '../../harness/suite/project.ts';
import { openPool } from '../open.ts';
import { readSettings } from '../settings.ts';
import { renderTable } from '../../harness/reporters/table.ts';
import { EXIT } from '../exit-codes.ts';

export const TOOLS_HELP = `Usage: helpdesk tools [--json] [--config <file>]

Starts the MCP servers, lists every tool they offer with its server, and what else each
offers (resources, their templates, prompts), and stops them.
No API key is needed.

Options:
  --json            print the servers and tools as JSON
  --config <file>   a config file (mcpServers, merged over the built-in servers unless
                    builtinServers is false); default helpdesk.config.json here, if any
  -h, --help        show this help`;

/** The first sentence of a description ("e.g." does not end one). */
export function firstSentence(text: string): string {
  return text.split(/(?<!\be\.g)\.\s/)[0]?.replace(/\.$/, '') ?? '';
}

/** `helpdesk tools`: a table of servers and their tools. */
export async function toolsCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${TOOLS_HELP}\n`);
    return EXIT.ok;
  }
  const settings = readSettings(env);
  const pool = await openPool(settings, openProject(values.config, env).servers);
  try {
    const tools = pool.registry.list();
    const catalogs = await pool.catalogs();
    if (values.json) {
      process.stdout.write(
        `${JSON.stringify(
          {
            servers: pool.servers().map(({ name, transport, url, state, tools: count }) => ({
              name,
              transport,
              ...(url ? { url } : {}),
              state,
              tools: count,
              resources: catalogs.get(name)?.resources.length ?? 0,
              resource_templates: catalogs.get(name)?.templates ?? [],
              prompts: catalogs.get(name)?.prompts ?? [],
            })),
            tools: tools.map((t) => ({ name: t.publicName, server: t.server, tool: t.toolName, description: t.info.description ?? '' })),
          },
          null,
          2,
        )}\n`,
      );
    } else {
      const rows = tools.map((t) => [t.server, t.publicName, firstSentence(t.info.description ?? '')]);
      process.stdout.write(`${renderTable(['server', 'tool', 'what it does'], rows, [11, 31, 70])}\n`);
      const reached = pool.servers().map((s) => `${s.name} (${s.transport === 'http' ? s.url : 'stdio'})`);
      process.stdout.write(`${pool.servers().length} servers, ${tools.length} tools: ${reached.join(', ')}\n`);
      const offers = [...catalogs]
        .filter(([, c]) => c.resources.length + c.templates.length + c.prompts.length > 0)
        .map(([server, c]) => [server, `${c.resources.length} (${c.templates.join(', ') || 'no template'})`, c.prompts.join(', ') || '-']);
      if (offers.length > 0) process.stdout.write(`\n${renderTable(['server', 'resources', 'prompts'], offers, [11, 46, 55])}\n`);
      for (const renamed of pool.registry.renamed()) {
        process.stdout.write(`note: ${renamed.server}'s ${renamed.toolName} is offered as ${renamed.publicName} (name clash)\n`);
      }
    }
  } finally {
    await pool.close();
  }
  return EXIT.ok;
}

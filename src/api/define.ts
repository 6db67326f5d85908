import type { z } from 'zod';
import { ConfigFileSchema, type ConfigInput } from '../orchestrator/config.ts';
import { ConfigError } from '../orchestrator/errors.ts';
import { expandVariations, ScenarioFileError, ScenarioSchema, type LoadedScenario } from '../harness/scenario/scenario.ts';

/** A scenario as written (a scenario file's content, which defaults fill in): what defineScenario takes. */
export type ScenarioInput = z.input<typeof ScenarioSchema>;

function problems(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
}

/**
 * Declares a scenario in code with its types checked, and checks it as a scenario file is checked:
 * an unknown field or a bad value throws a ScenarioFileError naming the field.
 */
export function defineScenario(scenario: ScenarioInput): ScenarioInput {
  const parsed = ScenarioSchema.safeParse(scenario);
  if (!parsed.success)
    throw new ScenarioFileError(`scenario ${String((scenario as { id?: unknown }).id ?? '(no id)')}`, problems(parsed.error));
  return scenario;
}

/**
 * Declares a config (what helpdesk.config.json holds) with its types checked; an unknown field or a
 * bad value throws a ConfigError naming the field. Give it to evaluate() as `config`.
 */
export function defineConfig(config: ConfigInput): ConfigInput {
  const parsed = ConfigFileSchema.safeParse(config);
  if (!parsed.success) throw new ConfigError(`Invalid config:\n  ${problems(parsed.error).join('\n  ')}`);
  return config;
}

/**
 * Scenarios declared in code as the runnable cases a folder would give: one per scenario or
 * variation, each as if its file were `<dir>/<id>` (custom graders' paths start at `dir`).
 */
export function casesOf(scenarios: readonly ScenarioInput[], dir: string): LoadedScenario[] {
  return scenarios.flatMap((input) => {
    const file = ScenarioSchema.parse(defineScenario(input));
    return expandVariations(file).map((c) => ({ ...c, file: `${dir}/${file.id}` }));
  });
}

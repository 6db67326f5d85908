import { createLogger } from '../shared/log.ts';
import { builtinServers } from '../orchestrator/builtin-servers.ts';
import { loadConfigFile, type ServersConfig } from '../orchestrator/config.ts';
import { checkApiKey, OpenAIModel } from '../orchestrator/openai-model.ts';
import { ServerPool } from '../orchestrator/server-pool.ts';
import type { Settings } from './settings.ts';

/** The servers to start: the built-ins, with a config file merged over them when given (headers take ${NAME} from the environment). */
export function serversConfig(configPath: string | undefined, env: NodeJS.ProcessEnv = process.env): ServersConfig {
  const builtins = builtinServers(process.execPath);
  return configPath ? loadConfigFile(configPath, builtins, env) : builtins;
}

/** Starts the configured servers. */
export function openPool(settings: Settings, configPath: string | undefined, toolTimeoutMs?: number): Promise<ServerPool> {
  return ServerPool.open(serversConfig(configPath), {
    baseEnv: settings.serverEnv,
    logger: createLogger('helpdesk', settings.logLevel),
    ...(toolTimeoutMs ? { toolTimeoutMs } : {}),
  });
}

/** The live model, after checking the API key (throws a ConfigError with advice). */
export function openModel(settings: Settings, fetch?: typeof globalThis.fetch): OpenAIModel {
  const apiKey = checkApiKey(settings.apiKey, settings.baseURL);
  return new OpenAIModel({
    apiKey, model: settings.model, baseURL: settings.baseURL,
    ...(fetch ? { fetch } : {}),
    ...(settings.modelTimeoutMs !== undefined ? { timeoutMs: settings.modelTimeoutMs } : {}),
    ...(settings.modelRetries !== undefined ? { maxRetries: settings.modelRetries } : {}),
  });
}

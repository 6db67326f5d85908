import { createLogger } from '../shared/log.ts';
import { checkApiKey, OpenAIModel } from '../orchestrator/openai-model.ts';
import { ServerPool } from '../orchestrator/server-pool.ts';
import type { ServersConfig } from '../orchestrator/config.ts';
import type { Settings } from './settings.ts';

/** Starts the servers (a project's). */
export function openPool(settings: Settings, servers: ServersConfig, toolTimeoutMs?: number): Promise<ServerPool> {
  return ServerPool.open(servers, {
    baseEnv: settings.serverEnv,
    logger: createLogger('helpdesk', settings.logLevel),
    ...(toolTimeoutMs ? { toolTimeoutMs } : {}),
  });
}

/** The live model, after checking the API key (throws a ConfigError with advice). */
export function openModel(settings: Settings, fetch?: typeof globalThis.fetch): OpenAIModel {
  const apiKey = checkApiKey(settings.apiKey, settings.baseURL);
  return new OpenAIModel({
    apiKey,
    model: settings.model,
    api: settings.api,
    baseURL: settings.baseURL,
    ...(fetch ? { fetch } : {}),
    ...(settings.modelTimeoutMs !== undefined ? { timeoutMs: settings.modelTimeoutMs } : {}),
    ...(settings.modelRetries !== undefined ? { maxRetries: settings.modelRetries } : {}),
  });
}

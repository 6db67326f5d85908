import { resolve } from 'node:path';
import { builtinServers } from '../../orchestrator/builtin-servers.ts';
import { resolveVariables, type ServersConfig } from '../../orchestrator/config.ts';
import type { TransportWrapper } from '../../orchestrator/server-connection.ts';
import { ServerPool } from '../../orchestrator/server-pool.ts';
import { canonicalJson } from '../cassettes/cassette.ts';
import type { Scenario } from '../scenario/scenario.ts';

/** A started pool with what its start-up cost. */
export interface OpenedPool {
  readonly pool: ServerPool;
  readonly startupMs: number;
  readonly discoveryMs: number;
}

/** Which shared pool a scenario runs on: the built-in servers at its clock and tool timeout, or its own servers. */
export function poolKey(scenario: Scenario): string {
  return scenario.servers ? `own:${scenario.id}` : canonicalJson({ now: scenario.now, timeout: scenario.tool_timeout_ms ?? null });
}

/**
 * Server pools for scenarios. Scenarios with the same clock and the built-in servers share one
 * pool (the orchestrator serves concurrent queries without cross-talk); a scenario that brings
 * its own servers — usually misbehaving ones — gets a pool of its own, so a crash it provokes
 * cannot touch another scenario.
 */
export class PoolCache {
  readonly #pools = new Map<string, Promise<OpenedPool>>();
  readonly #fresh = new Set<ServerPool>();
  /** Every pool started and not closed yet, shared or fresh. */
  readonly #open = new Set<ServerPool>();
  readonly #root: string;
  readonly #baseEnv: Readonly<Record<string, string>>;
  #closed = false;

  readonly #headerEnv: Readonly<Record<string, string | undefined>>;
  readonly #servers: ServersConfig | undefined;

  /**
   * `headerEnv` fills "${NAME}" in the headers of a scenario's url servers (tokens; never passed
   * to a server process). `servers` are the project's servers (default: the built-ins of `root`).
   */
  constructor(
    root: string,
    baseEnv: Readonly<Record<string, string>> = {},
    headerEnv: Readonly<Record<string, string | undefined>> = {},
    servers?: ServersConfig,
  ) {
    this.#root = root;
    this.#baseEnv = baseEnv;
    this.#headerEnv = headerEnv;
    this.#servers = servers;
  }

  /** The servers a scenario runs against: the project's plus its own (relative paths from the project root). */
  serversFor(scenario: Scenario): ServersConfig {
    const servers: ServersConfig = { ...(this.#servers ?? builtinServers(process.execPath, this.#root)) };
    for (const [name, server] of Object.entries(scenario.servers ?? {})) {
      if (server.disabled) delete servers[name];
      else if (server.url !== undefined) servers[name] = resolveVariables(name, server, this.#headerEnv);
      else
        servers[name] = resolveVariables(
          name,
          { ...server, cwd: server.cwd ? resolve(this.#root, server.cwd) : this.#root },
          this.#headerEnv,
        );
    }
    return servers;
  }

  /** The pool for a scenario, started on first use. */
  get(scenario: Scenario): Promise<OpenedPool> {
    if (this.#closed) return Promise.reject(new Error('the pools are closed'));
    const key = poolKey(scenario);
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = this.#start(scenario);
      this.#pools.set(key, pool);
    }
    return pool;
  }

  /**
   * A pool of the scenario's servers for one run only, each transport wrapped (faults): the
   * caller closes it when the run is over; close() stops it too if the run is cut short.
   */
  async fresh(scenario: Scenario, wrapTransport: TransportWrapper): Promise<OpenedPool> {
    if (this.#closed) throw new Error('the pools are closed');
    const opened = await this.#start(scenario, wrapTransport);
    this.#fresh.add(opened.pool);
    return opened;
  }

  /** Forgets a pool from fresh() that its run has closed. */
  forget(pool: ServerPool): void {
    this.#fresh.delete(pool);
    this.#open.delete(pool);
  }

  /** The process IDs of every server of the open pools (a worker reports them to the main thread). */
  pids(): number[] {
    return [...this.#open].flatMap((pool) => pool.pids());
  }

  async #start(scenario: Scenario, wrapTransport?: TransportWrapper): Promise<OpenedPool> {
    const started = performance.now();
    const pool = await ServerPool.open(this.serversFor(scenario), {
      baseEnv: { ...this.#baseEnv, HELPDESK_NOW: scenario.now },
      ...(scenario.tool_timeout_ms ? { toolTimeoutMs: scenario.tool_timeout_ms } : {}),
      ...(wrapTransport ? { wrapTransport } : {}),
    });
    this.#open.add(pool);
    const startupMs = performance.now() - started;
    const discoveryMs = Math.max(0, ...pool.servers().map((s) => s.discoveryMs));
    return { pool, startupMs, discoveryMs };
  }

  /**
   * Starts, one after another, every pool the given scenarios need, before any of them runs: a
   * pool starting in the middle of other scenarios' tool calls would slow them down and spoil
   * their latency figures (and its own start-up figure).
   */
  async prepare(scenarios: readonly Scenario[]): Promise<void> {
    // A faulted scenario gets a fresh pool per run, started when it runs.
    for (const scenario of scenarios) if (!scenario.faults?.length) await this.get(scenario).catch(() => undefined);
  }

  /** Stops every pool. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#open.clear();
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    const fresh = [...this.#fresh];
    await Promise.allSettled([...pools.map(async (p) => (await p).pool.close()), ...fresh.map((pool) => pool.close())]);
  }
}

import type { ServerPool } from '../../orchestrator/server-pool.ts';
import { stillAlive } from '../../shared/processes.ts';
import { describeFault, type Fault, type FaultReport } from './fault.ts';
import type { FaultPlan } from './plan.ts';

/**
 * Why a fault cannot hit anything in this pool: a server it names is not running, or no server
 * offers the tool it names. Undefined when every fault can hit.
 */
export function unreachableFaults(faults: readonly Fault[], pool: ServerPool): string | undefined {
  const offered = pool.registry.names().flatMap((name) => {
    const entry = pool.registry.get(name);
    return entry ? [{ server: entry.server, tool: entry.toolName }] : [];
  });
  const servers = pool.servers().map((s) => s.name);
  const problems = faults.flatMap((fault, i) => {
    const label = `fault ${i + 1} (${describeFault(fault)})`;
    if (fault.server !== undefined && !servers.includes(fault.server)) {
      return [`${label} names server "${fault.server}", which this scenario does not run (it runs ${servers.join(', ')})`];
    }
    const tools = offered.filter((t) => fault.server === undefined || t.server === fault.server).map((t) => t.tool);
    if (fault.tool !== undefined && !tools.includes(fault.tool)) {
      return [
        `${label} names tool "${fault.tool}", which ${fault.server ? `server ${fault.server}` : 'no server'} offers (${fault.server ? 'its' : 'the'} tools: ${[...new Set(tools)].sort().join(', ')})`,
      ];
    }
    return [];
  });
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** Closes a faulted run's pool and says what the faults did, the processes left behind included. */
export async function closeFaultedPool(pool: ServerPool, plan: FaultPlan): Promise<FaultReport> {
  const servers = pool.servers().map((s) => ({ name: s.name, state: s.state, restarts: s.restarts }));
  await pool.close();
  return { active: plan.faults, injections: [...plan.injections], servers, leftover: await stillAlive([...plan.pids], 1_000) };
}

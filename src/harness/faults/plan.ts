import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { TransportWrapper, WrappedServer } from '../../orchestrator/server-connection.ts';
import type { Fault, Injection } from './fault.ts';
import { FaultyTransport, type FaultSource } from './faulty-transport.ts';

/** A small seeded generator (mulberry32): the same seed draws the same numbers. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface FaultState {
  readonly fault: Fault;
  readonly index: number;
  matched: number;
  readonly draw: (() => number) | undefined;
}

/**
 * The faults of one scenario run: decides, call by call, which fault (if any) hits a tool call,
 * and keeps what it did. Counters live here, not in a transport, so they carry across restarts.
 */
export class FaultPlan implements FaultSource {
  readonly faults: readonly Fault[];
  readonly injections: Injection[] = [];
  /** Every server process the plan's transports saw (to check none is left behind). */
  readonly pids = new Set<number>();
  readonly #states: FaultState[];

  constructor(faults: readonly Fault[]) {
    this.faults = faults;
    this.#states = faults.map((fault, i) => ({
      fault,
      index: i + 1,
      matched: 0,
      draw: fault.probability === undefined ? undefined : seeded(fault.seed ?? 1),
    }));
  }

  /** The transport wrapper to give the pool. */
  readonly wrap: TransportWrapper = (inner: Transport, server: WrappedServer) => new FaultyTransport(inner, server, this);

  /**
   * The fault that hits this call, or undefined. Every matching fault counts the call (so
   * `call: 2` is the second matching call whatever other faults did); the first that fires wins.
   */
  decide(server: string, tool: string): Fault | undefined {
    let hit: FaultState | undefined;
    for (const state of this.#states) {
      const { fault } = state;
      if ((fault.server !== undefined && fault.server !== server) || (fault.tool !== undefined && fault.tool !== tool)) continue;
      state.matched += 1;
      const fires = fault.call !== undefined ? state.matched === fault.call : state.draw ? state.draw() < (fault.probability ?? 1) : true;
      if (fires && !hit) {
        hit = state;
        this.injections.push({ fault: state.index, kind: fault.kind, server, tool, call: state.matched });
      }
    }
    return hit?.fault;
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** How to start one server process. */
export interface ProcessTransportOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string | undefined;
  /** The whole budget for closing: stdin end, then SIGTERM, then SIGKILL. */
  readonly closeTimeoutMs: number;
}

const POSIX = process.platform !== 'win32';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** SIGKILL for a server and everything in its process group; a no-op when they are gone. */
export function killProcessGroup(pid: number): void {
  for (const target of POSIX ? [-pid, pid] : [pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * MCP over a child process's stdio, like the SDK's StdioClientTransport, with two differences
 * that matter for a long-running host: the server gets a process group of its own, so a
 * terminal's Ctrl+C (sent to the whole foreground group) does not kill it behind the host's back,
 * and closing signals that whole group, so a server started through a wrapper (`npx`, `uvx`,
 * `sh -c`) cannot leave its real process behind.
 */
export class ProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** The server's stderr, available before start so no early line is lost. */
  readonly stderr = new PassThrough();
  readonly #options: ProcessTransportOptions;
  readonly #buffer = new ReadBuffer();
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #pid: number | undefined;

  constructor(options: ProcessTransportOptions) {
    this.#options = options;
  }

  /** The server's pid from spawn until it has exited. */
  get pid(): number | undefined {
    return this.#pid;
  }

  start(): Promise<void> {
    if (this.#child) throw new Error('ProcessTransport already started');
    const { command, args, env, cwd } = this.#options;
    const child = spawn(command, [...args], {
      env: { ...getDefaultEnvironment(), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: POSIX,
      windowsHide: true,
      ...(cwd ? { cwd } : {}),
    });
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('close', () => resolve()));
    child.once('close', () => {
      this.#child = undefined;
      this.#pid = undefined;
      this.onclose?.();
    });
    child.stderr?.pipe(this.stderr);
    child.stdin?.on('error', (error) => this.onerror?.(error));
    child.stdout?.on('error', (error) => this.onerror?.(error));
    child.stdout?.on('data', (chunk: Buffer) => this.#read(chunk));
    return new Promise((resolve, reject) => {
      child.once('spawn', () => {
        this.#pid = child.pid;
        resolve();
      });
      child.once('error', (error) => {
        reject(error);
        this.onerror?.(error);
      });
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.#child?.stdin;
    if (!stdin || stdin.destroyed || !stdin.writable) return Promise.reject(new Error('Not connected'));
    return new Promise((resolve) => {
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', () => resolve());
    });
  }

  /** Closes stdin, then signals the process group with SIGTERM, then SIGKILL; bounded in time. */
  async close(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const budget = this.#options.closeTimeoutMs;
    const gone = () => this.#child !== child;
    child.stdin?.end();
    await Promise.race([this.#exited, sleep(budget * 0.4)]);
    if (!gone()) {
      this.#signal(child, 'SIGTERM');
      await Promise.race([this.#exited, sleep(budget * 0.4)]);
    }
    if (!gone()) {
      this.#signal(child, 'SIGKILL');
      await Promise.race([this.#exited, sleep(budget * 0.2)]);
    }
    // Whatever the server left in its group (a wrapper's child) goes too.
    if (POSIX && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already empty
      }
    }
    this.#buffer.clear();
  }

  /** SIGKILL to the server's process group at once: what a crash looks like from outside. */
  kill(): void {
    const child = this.#child;
    if (child) this.#signal(child, 'SIGKILL');
  }

  #signal(child: ChildProcess, signal: NodeJS.Signals): void {
    try {
      if (POSIX && child.pid !== undefined) process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
      // already gone
    }
  }

  #read(chunk: Buffer): void {
    try {
      this.#buffer.append(chunk);
    } catch (error) {
      this.onerror?.(error as Error);
      void this.close();
      return;
    }
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.#buffer.readMessage();
      } catch (error) {
        // A line that is not JSON-RPC: reported, skipped; the protocol carries on.
        this.onerror?.(error as Error);
        continue;
      }
      if (message === null) return;
      this.onmessage?.(message);
    }
  }
}

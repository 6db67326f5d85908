import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** The largest message a server reads from stdin, as the SDK's own stdio transport allows. */
export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** How much of an oversized message's end is kept to find its id (the SDK's client writes the id last). */
const TAIL_BYTES = 256;

const bytes = (n: number) => n.toLocaleString('en-US');

/**
 * MCP over this process's stdin and stdout, one JSON-RPC message per line, like the SDK's
 * StdioServerTransport — except for a message past the size limit. The SDK's transport then
 * closes, and the server exits with status 0 and not a word. This one drops that line, says so
 * through `ondrop` (the server logs it on stderr), answers it with JSON-RPC error -32600 when its
 * id can be read from the line's end, and reads on from the next line: the server keeps serving.
 */
export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** A message past the limit was dropped: its size. */
  ondrop?: (size: number) => void;
  readonly #stdin: Readable;
  readonly #stdout: Writable;
  readonly #limit: number;
  #parts: Buffer[] = [];
  #size = 0;
  /** While an oversized line is being skipped: its size so far and its last bytes. */
  #skipping: { size: number; tail: Buffer } | undefined;

  constructor(stdin: Readable, stdout: Writable, limit = MAX_MESSAGE_BYTES) {
    this.#stdin = stdin;
    this.#stdout = stdout;
    this.#limit = limit;
  }

  readonly #ondata = (chunk: Buffer): void => {
    let rest = chunk;
    for (let newline = rest.indexOf(0x0a); newline !== -1; newline = rest.indexOf(0x0a)) {
      this.#take(rest.subarray(0, newline));
      this.#endLine();
      rest = rest.subarray(newline + 1);
    }
    if (rest.length > 0) this.#take(rest);
  };

  readonly #onerror = (error: Error): void => this.onerror?.(error);

  async start(): Promise<void> {
    this.#stdin.on('data', this.#ondata);
    this.#stdin.on('error', this.#onerror);
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.#stdout.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.#stdout.once('drain', () => resolve());
    });
  }

  async close(): Promise<void> {
    this.#stdin.off('data', this.#ondata);
    this.#stdin.off('error', this.#onerror);
    if (this.#stdin.listenerCount('data') === 0) this.#stdin.pause();
    this.#parts = [];
    this.#size = 0;
    this.onclose?.();
  }

  /** Adds part of the current line, or switches to skipping it once it passes the limit. */
  #take(part: Buffer): void {
    if (this.#skipping) {
      this.#skipping.size += part.length;
      this.#skipping.tail = Buffer.concat([this.#skipping.tail, part]).subarray(-TAIL_BYTES);
      return;
    }
    if (this.#size + part.length <= this.#limit) {
      this.#parts.push(part);
      this.#size += part.length;
      return;
    }
    const kept = Buffer.concat([...this.#parts, part]);
    this.#skipping = { size: kept.length, tail: kept.subarray(-TAIL_BYTES) };
    this.#parts = [];
    this.#size = 0;
  }

  #endLine(): void {
    const skipped = this.#skipping;
    if (skipped) {
      this.#skipping = undefined;
      this.#refuse(skipped.size, skipped.tail.toString('utf8'));
      return;
    }
    const line = Buffer.concat(this.#parts).toString('utf8').replace(/\r$/, '');
    this.#parts = [];
    this.#size = 0;
    if (line.trim() === '') return;
    let message: JSONRPCMessage;
    try {
      message = JSONRPCMessageSchema.parse(JSON.parse(line));
    } catch (error) {
      this.onerror?.(error as Error);
      return;
    }
    this.onmessage?.(message);
  }

  #refuse(size: number, tail: string): void {
    this.ondrop?.(size);
    const id = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")\s*}\s*\r?$/.exec(tail)?.[1];
    if (id === undefined) return;
    void this.send({
      jsonrpc: '2.0',
      id: JSON.parse(id) as string | number,
      error: { code: -32600, message: `Message too large: ${bytes(size)} bytes; one message may have at most ${bytes(this.#limit)} bytes` },
    });
  }
}

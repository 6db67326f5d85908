import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineTransport } from './line-transport.ts';

async function session(limit: number) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const transport = new LineTransport(stdin, stdout, limit);
  const messages: unknown[] = [];
  const errors: string[] = [];
  const drops: number[] = [];
  transport.onmessage = (m) => messages.push(m);
  transport.onerror = (e) => errors.push(e.message);
  transport.ondrop = (size) => drops.push(size);
  let written = '';
  stdout.on('data', (chunk) => {
    written += chunk;
  });
  await transport.start();
  const settle = () => new Promise((r) => setImmediate(r));
  return { stdin, transport, messages, errors, drops, written: () => written, settle };
}

const ping = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' });

describe("the servers' line transport", () => {
  it('reads messages split across chunks, several in one chunk, and CRLF line ends', async () => {
    const s = await session(1_000);
    const text = `${ping(1)}\r\n${ping(2)}\n${ping(3)}\n`;
    s.stdin.write(text.slice(0, 7));
    s.stdin.write(text.slice(7, 40));
    s.stdin.write(text.slice(40));
    await s.settle();
    expect(s.messages.map((m) => (m as { id: number }).id)).toEqual([1, 2, 3]);
    expect(s.errors).toEqual([]);
  });

  it('reports a line that is not JSON-RPC and reads on', async () => {
    const s = await session(1_000);
    s.stdin.write(`not json\n${ping(4)}\n`);
    await s.settle();
    expect(s.errors).toHaveLength(1);
    expect(s.messages).toEqual([{ jsonrpc: '2.0', id: 4, method: 'ping' }]);
  });

  it('drops a line past the limit, even one that arrives in pieces, answers its id, and reads the next line', async () => {
    const s = await session(100);
    const big = `{"method":"tools/call","params":{"q":"${'x'.repeat(300)}"},"jsonrpc":"2.0","id":"req-7"}`;
    s.stdin.write(big.slice(0, 60));
    s.stdin.write(big.slice(60, 200));
    s.stdin.write(`${big.slice(200)}\n${ping(8)}\n`);
    await s.settle();
    expect(s.drops).toEqual([big.length]);
    expect(JSON.parse(s.written().split('\n')[0] ?? '')).toEqual({
      jsonrpc: '2.0',
      id: 'req-7',
      error: { code: -32600, message: `Message too large: ${big.length} bytes; one message may have at most 100 bytes` },
    });
    expect(s.messages).toEqual([{ jsonrpc: '2.0', id: 8, method: 'ping' }]);
  });

  it('drops an oversized notification without answering it', async () => {
    const s = await session(50);
    s.stdin.write(`{"jsonrpc":"2.0","method":"notifications/x","params":{"pad":"${'y'.repeat(100)}"}}\n${ping(9)}\n`);
    await s.settle();
    expect(s.drops).toHaveLength(1);
    expect(s.written()).toBe('');
    expect(s.messages).toEqual([{ jsonrpc: '2.0', id: 9, method: 'ping' }]);
  });
});

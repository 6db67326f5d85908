import { describe, expect, it } from 'vitest';
import { ServerStartError } from './errors.ts';
import { ServerConnection, serverArgs } from './server-connection.ts';

const config = (command: string, args: string[] = [], memoryLimitMb?: number) => ({
  command,
  args,
  env: {},
  disabled: false,
  ...(memoryLimitMb ? { memoryLimitMb } : {}),
});

describe('serverArgs', () => {
  it('puts a heap limit first for node servers only, by path or by name, unless one is given', () => {
    expect(serverArgs(config('/opt/node24/bin/node', ['s.js']), 256, '/opt/node24/bin/node')).toEqual(['--max-old-space-size=256', 's.js']);
    expect(serverArgs(config('node', ['s.js']), 256, '/usr/bin/nodejs')).toEqual(['--max-old-space-size=256', 's.js']);
    expect(serverArgs(config('C:/node/node.exe', ['s.js'], 64), 256, '/x/node')).toEqual(['--max-old-space-size=64', 's.js']);
    expect(serverArgs(config('/usr/bin/node', ['--max-old-space-size=512', 's.js']), 256, '/x')).toEqual([
      '--max-old-space-size=512',
      's.js',
    ]);
    expect(serverArgs(config('node', ['s.js', 'x--max-old-space-size']), 256, '/x')).toEqual([
      '--max-old-space-size=256',
      's.js',
      'x--max-old-space-size',
    ]);
    for (const command of ['python3', 'nodemon', 'mynode', 'node.exe.bak', 'uvx'])
      expect(serverArgs(config(command, ['a']), 256, '/x/node')).toEqual(['a']);
  });
});

describe('ServerConnection start-up failures', () => {
  it('keeps the last twenty non-blank stderr lines, each cut at 500 characters, and says the process exited', async () => {
    const script = [
      'for (let i = 1; i <= 24; i++) console.error(`line ${i}`);',
      'console.error("");',
      'console.error("   ");',
      'console.error("x".repeat(600));',
      'console.error("y".repeat(500));',
      'process.exit(3);',
    ].join('\n');
    const connection = new ServerConnection('noisy', config(process.execPath, ['-e', script]), {
      baseEnv: {},
      startTimeoutMs: 5_000,
      memoryLimitMb: 64,
    });
    const error = await connection.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServerStartError);
    expect((error as ServerStartError).message).toBe('Server "noisy" failed to start: the process exited during start-up');
    expect((error as ServerStartError).cause).toBeDefined();
    const lines = connection.stderrTail.split('\n');
    expect(lines).toEqual([...Array.from({ length: 18 }, (_, i) => `line ${i + 7}`), `${'x'.repeat(500)}…`, 'y'.repeat(500)]);
    expect(connection.state).toBe('unavailable');
    expect(connection.lastError).toBe('the process exited during start-up');
    expect(connection.pid).toBeUndefined();
    await expect(connection.callTool('t', {}, 100)).rejects.toThrow('server noisy is unavailable');
  });

  it('names a command that does not exist', async () => {
    const connection = new ServerConnection('ghost', config('/nonexistent/helpdesk-server'), {
      baseEnv: {},
      startTimeoutMs: 5_000,
      memoryLimitMb: 64,
    });
    const error = await connection.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as ServerStartError).message).toBe('Server "ghost" failed to start: command not found: /nonexistent/helpdesk-server');
    expect(connection.state).toBe('unavailable');
  });

  it('is closed after a stop that came before any start', async () => {
    const connection = new ServerConnection('idle', config('node'), { baseEnv: {}, startTimeoutMs: 1_000, memoryLimitMb: 64 });
    expect(connection.state).toBe('starting');
    await connection.stop();
    expect(connection.state).toBe('closed');
    expect(connection.stderrTail).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, HelpdeskError, ModelError, ServerStartError } from './errors.ts';
import { systemPrompt } from './prompt.ts';

describe('errors', () => {
  it('name themselves, carry a stable code and keep their cause', () => {
    const cause = new Error('ENOENT');
    const start = new ServerStartError('kb', 'command not found: kbd', 'stderr line', { cause });
    expect(start).toBeInstanceOf(HelpdeskError);
    expect({
      name: start.name,
      code: start.code,
      message: start.message,
      server: start.server,
      stderr: start.stderr,
      cause: start.cause,
    }).toEqual({
      name: 'ServerStartError',
      code: 'server_start_failed',
      message: 'Server "kb" failed to start: command not found: kbd',
      server: 'kb',
      stderr: 'stderr line',
      cause,
    });
    expect(new ServerStartError('kb', 'x').stderr).toBe('');
    const config = new ConfigError('bad flag');
    expect([config.name, config.code, config.message]).toEqual(['ConfigError', 'config_error', 'bad flag']);
    const model = new ModelError('rate_limit', 'Slow down.', 429, { cause });
    expect([model.name, model.code, model.kind, model.status, model.cause]).toEqual([
      'ModelError',
      'model_rate_limit',
      'rate_limit',
      429,
      cause,
    ]);
  });
});

describe('systemPrompt', () => {
  it('states the date it is given as today, last, after the rules', () => {
    const prompt = systemPrompt('2025-10-05');
    const lines = prompt.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe('You are an IT-support assistant for a managed-services company.');
    expect(lines[5]).toBe('Today is 2025-10-05.');
    expect(prompt).toContain('do not invent IDs, numbers or dates');
    expect(prompt).toContain('read its reason and suggested_actions');
    expect(prompt).toContain('Call independent tools in the same turn.');
  });
});

import { describe, expect, it } from 'vitest';
import { comparedModels, fileSafe } from './eval-models.ts';

describe('the models of a run', () => {
  it('is one model (no comparison) without a models list and with fewer than two --model', () => {
    expect(comparedModels([], undefined)).toBeUndefined();
    expect(comparedModels(['gpt-4.1-mini'], undefined)).toBeUndefined();
  });

  it('compares two or more --model, each labelled by its file-safe name', () => {
    expect(comparedModels(['gpt-4.1-mini', 'qwen3:8b'], undefined)).toEqual([
      { name: 'gpt-4.1-mini', label: 'gpt-4.1-mini' },
      { name: 'qwen3:8b', label: 'qwen3-8b' },
    ]);
  });

  it("compares the config's models, and --model picks among them by label or name or adds one", () => {
    const configured = [
      { name: 'gpt-4.1-mini', api: 'responses' as const },
      { name: 'qwen3:8b', label: 'local', baseURL: 'http://127.0.0.1:11434/v1', apiKeyEnv: 'OLLAMA_KEY' },
    ];
    expect(comparedModels([], configured)?.map((m) => m.label)).toEqual(['gpt-4.1-mini', 'local']);
    expect(comparedModels(['local'], configured)).toEqual([{ ...configured[1], label: 'local' }]);
    expect(comparedModels(['qwen3:8b', 'other'], configured)).toEqual([
      { ...configured[1], label: 'local' },
      { name: 'other', label: 'other' },
    ]);
  });

  it('refuses two models of one folder, naming both and what to do, and a model selected twice', () => {
    expect(() => comparedModels(['org/m', 'org:m'], undefined)).toThrow(
      'models org/m and org:m would both be called "org-m" (their cassettes\' folder); give one a "label" in the config\'s models',
    );
    expect(() => comparedModels(['a', 'a'], undefined)).toThrow('model a is selected twice');
  });

  it('makes folder names that cannot climb out or hide', () => {
    expect(fileSafe('../../etc')).toBe('etc');
    expect(fileSafe('.hidden')).toBe('hidden');
    expect(fileSafe('///')).toBe('model');
    expect(fileSafe('meta-llama/Llama-3.1-8B-Instruct')).toBe('meta-llama-Llama-3.1-8B-Instruct');
  });
});

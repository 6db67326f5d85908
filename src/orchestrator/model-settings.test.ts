import { describe, expect, it } from 'vitest';
import { mergeSettings, ModelSettingsSchema, settingsFields } from './model-client.ts';

describe('model settings', () => {
  it("lays a scenario's settings over its project's key by key, and gives none when neither sets any", () => {
    expect(mergeSettings({ temperature: 0.5, seed: 1 }, { seed: 2, max_tokens: 100 })).toEqual({
      temperature: 0.5,
      seed: 2,
      max_tokens: 100,
    });
    expect(mergeSettings(undefined, { temperature: 0, parallel_tool_calls: false })).toEqual({
      temperature: 0,
      parallel_tool_calls: false,
    });
    expect(mergeSettings({ temperature: 1 }, undefined)).toEqual({ temperature: 1 });
    expect(mergeSettings(undefined, undefined)).toBeUndefined();
    expect(mergeSettings({}, {})).toBeUndefined();
  });

  it('names the fields as the wire does, only those set', () => {
    expect(settingsFields({ temperature: 0, seed: 0, max_tokens: 1, parallel_tool_calls: true }, true)).toEqual({
      temperature: 0,
      seed: 0,
      max_completion_tokens: 1,
      parallel_tool_calls: true,
    });
    expect(settingsFields({ parallel_tool_calls: true }, false)).toEqual({});
    expect(settingsFields(undefined, true)).toEqual({});
  });

  it('refuses settings out of range or unknown, saying which', () => {
    const problems = (value: unknown) => ModelSettingsSchema.safeParse(value).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(problems({ temperature: 3 })).toEqual(['temperature: Too big: expected number to be <=2']);
    expect(problems({ seed: 1.5 })).toEqual(['seed: Invalid input: expected int, received number']);
    expect(problems({ top_p: 1 })).toEqual([': Unrecognized key: "top_p"']);
  });
});

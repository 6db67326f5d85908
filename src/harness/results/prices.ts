/** A model's price in US dollars per million tokens. */
export interface Price {
  readonly input: number;
  readonly output: number;
}

/** Prices by model name. */
export type Prices = Readonly<Record<string, Price>>;

/**
 * Model prices in US dollars per million tokens, for cost estimates in reports. Versioned: a
 * report names the table it used, so old reports stay comparable when prices change. Models not
 * listed have no cost estimate (reported as unknown, never as zero).
 */
export const PRICE_TABLE = {
  version: '2026-11-01',
  currency: 'USD',
  per_million_tokens: {
    'gpt-4o': { input: 2.5, output: 10 },
    'gpt-4o-mini': { input: 0.15, output: 0.6 },
    'gpt-4.1': { input: 2, output: 8 },
    'gpt-4.1-mini': { input: 0.4, output: 1.6 },
    'gpt-4.1-nano': { input: 0.1, output: 0.4 },
    'gpt-5': { input: 1.25, output: 10 },
    'gpt-5-mini': { input: 0.25, output: 2 },
    'gpt-5-nano': { input: 0.05, output: 0.4 },
  } as Prices,
} as const;

/** The prices a run uses: the built-in table with a project's own prices (the config's `prices`) over it. */
export interface PriceTable {
  /** What the reports name: the built-in table's version, "+project" when a project added or changed prices. */
  readonly version: string;
  readonly prices: Prices;
}

export function priceTable(project: Prices | undefined): PriceTable {
  if (!project || Object.keys(project).length === 0) return { version: PRICE_TABLE.version, prices: PRICE_TABLE.per_million_tokens };
  return { version: `${PRICE_TABLE.version}+project`, prices: { ...PRICE_TABLE.per_million_tokens, ...project } };
}

/** Estimated cost of a call's tokens, or null when the model is not in the table (a dated snapshot takes its model's price). */
export function costUsd(
  model: string,
  promptTokens: number,
  completionTokens: number,
  prices: Prices = PRICE_TABLE.per_million_tokens,
): number | null {
  const price = prices[model] ?? prices[model.replace(/-\d{4}-\d{2}-\d{2}$/, '')];
  if (!price) return null;
  return (promptTokens * price.input + completionTokens * price.output) / 1_000_000;
}

/** What the limit did during a run: for the report. */
export interface ThrottleSummary {
  readonly rate_limited: number;
  readonly max_concurrency: number;
  readonly lowest_concurrency: number;
  readonly final_concurrency: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long a 429 asks to wait: retry-after-ms, else retry-after in seconds, else a second. */
function retryAfterMs(response: Response): number {
  const ms = Number(response.headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000;
}

/**
 * The number of model requests a live run has in flight at once, adapted to the endpoint: a 429
 * halves it (down to one) and holds new requests back for as long as the endpoint asks; every
 * 2 × limit answers in a row without one raise it by one again, up to the --concurrency asked
 * for. So a run meets a rate limit by slowing down instead of losing scenarios to retries that
 * run out, and recovers when the limit passes (like Inspect AI's adaptive connections).
 */
export class AdaptiveLimit {
  readonly #max: number;
  #limit: number;
  #active = 0;
  #successes = 0;
  #pausedUntil = 0;
  #rateLimited = 0;
  #lowest: number;

  constructor(max: number) {
    this.#max = Math.max(1, max);
    this.#limit = this.#max;
    this.#lowest = this.#max;
  }

  /** The current limit. */
  get limit(): number {
    return this.#limit;
  }

  /** A fetch that takes a slot for each request and adapts the limit to the answers. */
  wrap(base: typeof fetch): typeof fetch {
    return async (input, init) => {
      await this.#acquire();
      try {
        const response = await base(input, init);
        if (response.status === 429) this.#limited(retryAfterMs(response));
        else if (response.ok) this.#succeeded();
        return response;
      } finally {
        this.#active -= 1;
      }
    };
  }

  summary(): ThrottleSummary {
    return {
      rate_limited: this.#rateLimited,
      max_concurrency: this.#max,
      lowest_concurrency: this.#lowest,
      final_concurrency: this.#limit,
    };
  }

  async #acquire(): Promise<void> {
    while (this.#active >= this.#limit || Date.now() < this.#pausedUntil) {
      await sleep(Math.max(5, Math.min(50, this.#pausedUntil - Date.now())));
    }
    this.#active += 1;
  }

  #limited(waitMs: number): void {
    this.#rateLimited += 1;
    this.#successes = 0;
    this.#limit = Math.max(1, Math.floor(this.#limit / 2));
    this.#lowest = Math.min(this.#lowest, this.#limit);
    this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + waitMs);
  }

  #succeeded(): void {
    this.#successes += 1;
    if (this.#limit < this.#max && this.#successes >= this.#limit * 2) {
      this.#limit += 1;
      this.#successes = 0;
    }
  }
}

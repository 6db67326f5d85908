/**
 * Ctrl+C policy: the first one cancels the running query; a second one (or one with nothing
 * running) stops the program through `onQuit`, which closes the servers.
 */
export class Interrupts {
  #current: AbortController | undefined;
  readonly #onQuit: () => void;
  readonly #onCancel: () => void;
  readonly #handler = () => this.#interrupt();

  constructor(onQuit: () => void, onCancel: () => void = () => {}) {
    this.#onQuit = onQuit;
    this.#onCancel = onCancel;
    process.on('SIGINT', this.#handler);
    process.on('SIGTERM', this.#onQuit);
  }

  /** A signal for one query; aborted by the next Ctrl+C. */
  begin(): AbortSignal {
    this.#current = new AbortController();
    return this.#current.signal;
  }

  /** The query ended; Ctrl+C quits again. */
  end(): void {
    this.#current = undefined;
  }

  dispose(): void {
    process.off('SIGINT', this.#handler);
    process.off('SIGTERM', this.#onQuit);
  }

  #interrupt(): void {
    const current = this.#current;
    if (current && !current.signal.aborted) {
      current.abort(new Error('cancelled by Ctrl+C'));
      this.#onCancel();
      return;
    }
    this.#onQuit();
  }
}

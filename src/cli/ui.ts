import { createInterface } from 'node:readline';

/** The terminal seam: what the chat needs from a person. */
export interface Ui {
  /** Asks for one line; null when input has ended or the person quit at the prompt. */
  ask(message: string): Promise<string | null>;
  print(text: string): void;
  error(text: string): void;
}

/**
 * Reads lines from a non-interactive stdin (a pipe or a file): one question per line. Used when
 * stdin is not a terminal, where an interactive prompt would lose buffered lines.
 */
export class LineUi implements Ui {
  readonly #lines: AsyncIterator<string>;
  readonly #out: NodeJS.WritableStream;

  constructor(input: NodeJS.ReadableStream, output: NodeJS.WritableStream) {
    this.#lines = createInterface({ input, terminal: false })[Symbol.asyncIterator]();
    this.#out = output;
  }

  async ask(message: string): Promise<string | null> {
    this.#out.write(message);
    const next = await this.#lines.next();
    if (next.done) return null;
    this.#out.write(`${next.value}\n`);
    return next.value;
  }

  print(text: string): void {
    this.#out.write(`${text}\n`);
  }

  error(text: string): void {
    process.stderr.write(`${text}\n`);
  }
}


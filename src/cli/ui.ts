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

/** One choice of a question. */
export interface Choice<T> {
  readonly name: string;
  readonly value: T;
  readonly description?: string;
}

/** What `helpdesk init` asks a person (a terminal prompt, or a script in tests). */
export interface Questions {
  /** A line of text; `validate` returns true or what is wrong. */
  text(message: string, options?: { readonly default?: string; readonly validate?: (value: string) => string | true }): Promise<string>;
  choose<T>(message: string, choices: readonly Choice<T>[], defaultValue?: T): Promise<T>;
  confirm(message: string, defaultValue: boolean): Promise<boolean>;
}

/** The person left at a prompt (Ctrl+C or Ctrl+D). */
export class QuestionsClosed extends Error {
  constructor() {
    super('the questions were cancelled');
    this.name = new.target.name;
  }
}

/**
 * Questions answered from a list, in order, for tests: a string for text (undefined takes the
 * default), a choice's name for choose, a boolean for confirm. Each message asked is kept.
 */
export class ScriptedQuestions implements Questions {
  readonly asked: string[] = [];
  readonly #answers: (string | boolean | undefined)[];

  constructor(answers: readonly (string | boolean | undefined)[]) {
    this.#answers = [...answers];
  }

  #next(message: string): string | boolean | undefined {
    this.asked.push(message);
    if (this.#answers.length === 0) throw new QuestionsClosed();
    return this.#answers.shift();
  }

  async text(
    message: string,
    options: { readonly default?: string; readonly validate?: (value: string) => string | true } = {},
  ): Promise<string> {
    const answer = this.#next(message);
    const value = typeof answer === 'string' ? answer : (options.default ?? '');
    const verdict = options.validate?.(value) ?? true;
    if (verdict !== true) throw new Error(`scripted answer "${value}" to "${message}" is invalid: ${verdict}`);
    return value;
  }

  async choose<T>(message: string, choices: readonly Choice<T>[], defaultValue?: T): Promise<T> {
    const answer = this.#next(message);
    if (answer === undefined && defaultValue !== undefined) return defaultValue;
    const found = choices.find((c) => c.name === answer);
    if (!found) throw new Error(`scripted answer "${String(answer)}" to "${message}" is none of ${choices.map((c) => c.name).join(', ')}`);
    return found.value;
  }

  async confirm(message: string, defaultValue: boolean): Promise<boolean> {
    const answer = this.#next(message);
    return typeof answer === 'boolean' ? answer : defaultValue;
  }
}

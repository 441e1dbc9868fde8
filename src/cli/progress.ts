/**
 * A progress line on stderr: rewritten in place on a terminal, otherwise printed at most every few
 * seconds (so logs of a CI job stay short) and once at the end.
 */
export class ProgressLine {
  readonly #stream: NodeJS.WritableStream & { isTTY?: boolean };
  readonly #intervalMs: number;
  #last = 0;
  #width = 0;

  constructor(stream: NodeJS.WritableStream & { isTTY?: boolean }, options: { intervalMs?: number } = {}) {
    this.#stream = stream;
    this.#intervalMs = options.intervalMs ?? (stream.isTTY ? 100 : 2000);
  }

  update(text: string): void {
    const now = Date.now();
    if (now - this.#last < this.#intervalMs) return;
    this.#last = now;
    this.#write(text);
  }

  done(text: string): void {
    if (this.#stream.isTTY) {
      this.#write(text);
      this.#stream.write("\n");
    } else {
      this.#stream.write(`${text}\n`);
    }
  }

  #write(text: string): void {
    if (this.#stream.isTTY) {
      const pad = Math.max(0, this.#width - text.length);
      this.#stream.write(`\r${text}${" ".repeat(pad)}`);
      this.#width = text.length;
    } else {
      this.#stream.write(`${text}\n`);
    }
  }
}

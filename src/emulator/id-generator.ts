/**
 * Zoho-looking ids (19-digit numeric text: a 7-digit org prefix and a 12-digit counter). The
 * counter is part of the state, so ids stay unique across restarts with persistence.
 */
export class IdGenerator {
  readonly prefix: string;
  #next: number;

  constructor(prefix: string, start: number) {
    this.prefix = prefix;
    this.#next = start;
  }

  next(): string {
    const id = `${this.prefix}${String(this.#next).padStart(12, "0")}`;
    this.#next += 1;
    return id;
  }

  get counter(): number {
    return this.#next;
  }

  set counter(value: number) {
    this.#next = Math.max(this.#next, value);
  }
}

/** True for text that looks like a Zoho id (digits only). */
export function isIdLike(value: string): boolean {
  return /^\d{1,30}$/.test(value);
}

import { inspect } from "node:util";
import type { LockedRefresh, TokenRecord, TokenStore } from "./token-store.js";
import { KeyedMutex, assertRecord, assertSameUser, assertUser, copyRecord } from "./store-utils.js";

/**
 * Keeps tokens in this process's memory (lost on exit). Good for tests, serverless functions that
 * re-seed tokens, and short scripts. Records are copied in and out, so callers cannot change stored
 * state by mutating an object they passed or received. `withLock` serialises work per user inside
 * this process (there is no other process to coordinate with).
 */
export class MemoryTokenStore implements TokenStore {
  private readonly records = new Map<string, TokenRecord>();
  private readonly locks = new KeyedMutex();

  /** Optionally seeded with records (copied). */
  constructor(initial: Iterable<TokenRecord> = []) {
    for (const record of initial) {
      assertRecord(record);
      this.records.set(record.user, copyRecord(record));
    }
  }

  /** Printing the store shows who has tokens, never the tokens. */
  [inspect.custom](): string {
    return `MemoryTokenStore { users: ${inspect([...this.records.keys()])} }`;
  }

  async get(user: string): Promise<TokenRecord | undefined> {
    assertUser(user);
    const record = this.records.get(user);
    return record === undefined ? undefined : copyRecord(record);
  }

  async save(record: TokenRecord): Promise<void> {
    assertRecord(record);
    this.records.set(record.user, copyRecord(record));
  }

  async users(): Promise<string[]> {
    return [...this.records.keys()].sort();
  }

  async delete(user: string): Promise<void> {
    assertUser(user);
    this.records.delete(user);
  }

  async withLock(user: string, fn: LockedRefresh): Promise<TokenRecord | undefined> {
    assertUser(user);
    return this.locks.run(user, async () => {
      const current = this.records.get(user);
      const next = await fn(current === undefined ? undefined : copyRecord(current));
      if (next === undefined) {
        const now = this.records.get(user);
        return now === undefined ? undefined : copyRecord(now);
      }
      assertRecord(next);
      assertSameUser(user, next);
      this.records.set(user, copyRecord(next));
      return copyRecord(next);
    });
  }

  async close(): Promise<void> {}
}

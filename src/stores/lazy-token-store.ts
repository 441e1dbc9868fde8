/**
 * A store that builds its real store on first use. Lets synchronous set-up code (createZohoCRM,
 * fromZcrmsdkConfig) name a store whose creation needs dynamic imports (TypeORM, a user module)
 * without loading anything until tokens are actually needed.
 */
import type { LockedRefresh, TokenRecord, TokenStore } from "./token-store.js";

export class LazyTokenStore implements TokenStore {
  readonly #create: () => Promise<TokenStore>;
  #store: Promise<TokenStore> | undefined;

  constructor(create: () => Promise<TokenStore>) {
    this.#create = create;
  }

  #get(): Promise<TokenStore> {
    // A failed creation is not cached: the next call retries (e.g. the database came up).
    this.#store ??= this.#create().catch((error: unknown) => {
      this.#store = undefined;
      throw error;
    });
    return this.#store;
  }

  async get(user: string): Promise<TokenRecord | undefined> {
    return (await this.#get()).get(user);
  }

  async save(record: TokenRecord): Promise<void> {
    return (await this.#get()).save(record);
  }

  async delete(user: string): Promise<void> {
    return (await this.#get()).delete(user);
  }

  async withLock(user: string, fn: LockedRefresh): Promise<TokenRecord | undefined> {
    const store = await this.#get();
    if (store.withLock) return store.withLock(user, fn);
    const next = await fn(await store.get(user));
    if (next) await store.save(next);
    return next;
  }

  async close(): Promise<void> {
    if (this.#store) await (await this.#store).close?.();
  }
}

/**
 * Per-call user scoping. `withUser(email, fn)` binds the user to the async call chain started by
 * `fn`, so two users' interleaved calls never see each other's token; outside it the client's
 * default user applies. One instance per client: no process-global "current user".
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { ZohoConfigError } from "../errors.js";

export class UserContext {
  readonly #storage = new AsyncLocalStorage<string>();
  #defaultUser: string | undefined;

  constructor(options: { defaultUser: string | undefined }) {
    this.#defaultUser = options.defaultUser;
  }

  run<T>(user: string, fn: () => T): T {
    return this.#storage.run(UserContext.check(user, "withUser()"), fn);
  }

  /** Makes `user` the default when none was configured: only on request (`exchangeGrantToken(g, { makeDefault: true })`). */
  adoptDefault(user: string): void {
    this.#defaultUser ??= user;
  }

  /** Checks a user given to `forUser()`/`withUser()`: an email address. */
  static check(user: unknown, where: string): string {
    if (typeof user !== "string" || !user.includes("@")) {
      throw new ZohoConfigError(`${where} needs the user's email address (got ${JSON.stringify(user)}).`, { code: "INVALID_USER", keys: ["user"] });
    }
    return user;
  }

  /** The user of an enclosing `withUser()`, if any (not the default). */
  scoped(): string | undefined {
    return this.#storage.getStore();
  }

  /** The scoped user, else the default one, else undefined. */
  current(): string | undefined {
    return this.#storage.getStore() ?? this.#defaultUser;
  }

  /** Like `current()`, but a missing user is a configuration error that says how to fix it. */
  require(): string {
    const user = this.current();
    if (user === undefined) {
      throw new ZohoConfigError(
        "No Zoho user for this call: set the `user` option (the Python SDK's currentUserEmail), call through crm.forUser(email), or wrap the call in crm.withUser(email, fn).",
        { code: "USER_REQUIRED", keys: ["user"] },
      );
    }
    return user;
  }
}

/**
 * SQLite: the database's write lock (`BEGIN IMMEDIATE`). better-sqlite3 waits synchronously, so
 * the store keeps its busy timeout short and retries SQLITE_BUSY here, asynchronously and bounded
 * by `lockTimeoutMs`.
 */
import type { QueryRunner } from "typeorm";
import { lockPollMs, lockTimeoutError, sleep } from "../store-utils.js";
import { isSqliteBusy } from "./driver-errors.js";
import type { HeldLock, LockSite } from "./lock-site.js";

/** Runs `op`, retrying while the database is busy (another process writes), up to the lock timeout. */
export async function retrySqliteBusy<T>(
  op: () => Promise<T>,
  user: string | undefined,
  site: Pick<LockSite, "where" | "lockTimeoutMs">,
  what = `SQLite database ${site.where} is busy`,
): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause ?? error;
      if (!isSqliteBusy(cause) && !isSqliteBusy(error)) throw error;
      const waited = Date.now() - started;
      if (waited >= site.lockTimeoutMs) {
        throw lockTimeoutError(what, user, waited, "retry later, or raise lockTimeoutMs.");
      }
      await sleep(Math.min(lockPollMs(attempt), site.lockTimeoutMs - waited));
    }
  }
}

export async function acquireSqliteLock(runner: QueryRunner, user: string, site: LockSite): Promise<HeldLock> {
  try {
    await retrySqliteBusy(() => runner.query("BEGIN IMMEDIATE"), user, site, `SQLite write lock on ${site.where}`);
  } catch (error) {
    throw site.mapError(error); // typed errors (the lock timeout) pass through unchanged
  }
  return {
    context: runner,
    release: async (failed: boolean) => {
      try {
        if (failed) {
          await runner.query("ROLLBACK").catch(() => undefined);
          return;
        }
        try {
          await retrySqliteBusy(() => runner.query("COMMIT"), user, site);
        } catch (error) {
          await runner.query("ROLLBACK").catch(() => undefined);
          throw error;
        }
      } finally {
        await runner.release().catch(() => undefined);
      }
    },
  };
}

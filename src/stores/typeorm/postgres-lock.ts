/**
 * PostgreSQL: a transaction-scoped advisory lock (`pg_advisory_xact_lock`) per table and user, with
 * the transaction's `lock_timeout` as the wait bound; commit or rollback releases it.
 */
import type { QueryRunner } from "typeorm";
import { lockTimeoutError } from "../store-utils.js";
import { driverCode } from "./driver-errors.js";
import type { HeldLock, LockSite } from "./lock-site.js";

export async function acquirePostgresLock(runner: QueryRunner, user: string, site: LockSite): Promise<HeldLock> {
  await site.run(() => runner.connect(), "connect");
  await site.run(() => runner.startTransaction());
  try {
    await site.run(() => runner.query("SELECT set_config('lock_timeout', $1, true)", [`${Math.ceil(site.lockTimeoutMs)}ms`]));
    await runner.query("SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))", [`zcrm:${site.tablePath}`, user]);
  } catch (error) {
    await runner.rollbackTransaction().catch(() => undefined);
    if (driverCode(error) === "55P03") {
      throw lockTimeoutError(`PostgreSQL advisory lock on ${site.tablePath}`, user, site.lockTimeoutMs, "retry later, or raise lockTimeoutMs.");
    }
    throw site.mapError(error);
  }
  return {
    context: runner,
    release: async (failed: boolean) => {
      try {
        if (failed) await runner.rollbackTransaction().catch(() => undefined);
        else await site.run(() => runner.commitTransaction());
      } finally {
        await runner.release().catch(() => undefined);
      }
    },
  };
}

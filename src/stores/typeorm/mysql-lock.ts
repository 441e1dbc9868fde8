/**
 * MySQL/MariaDB: a named lock (`GET_LOCK`) on the runner's own connection, per table and user. Named
 * locks are server-wide and at most 64 characters, so the name is a hash; the server drops them with
 * the connection, so a crashed process never leaves one behind.
 */
import { createHash } from "node:crypto";
import type { QueryRunner } from "typeorm";
import { lockTimeoutError } from "../store-utils.js";
import type { HeldLock, LockSite } from "./lock-site.js";

export async function acquireMysqlLock(runner: QueryRunner, user: string, site: LockSite): Promise<HeldLock> {
  await site.run(() => runner.connect(), "connect");
  const database = site.tablePath.includes(".") ? site.tablePath.split(".")[0] : String((site.dataSource.driver as { database?: string }).database ?? "");
  const table = site.tablePath.split(".").pop() as string;
  const name = `zcrm:${createHash("sha256").update(`${database}\u0000${table}\u0000${user}`).digest("hex").slice(0, 48)}`;
  const seconds = Math.max(1, Math.ceil(site.lockTimeoutMs / 1000));
  const rows = (await site.run(() => runner.query("SELECT GET_LOCK(?, ?) AS acquired", [name, seconds]))) as { acquired: unknown }[];
  const acquired = rows[0]?.acquired;
  if (acquired === null || acquired === undefined || Number(acquired) !== 1) {
    throw lockTimeoutError(`MySQL GET_LOCK on ${site.tablePath}`, user, seconds * 1000, "retry later, or raise lockTimeoutMs.");
  }
  return {
    context: runner,
    release: async () => {
      try {
        await runner.query("SELECT RELEASE_LOCK(?) AS released", [name]);
      } catch {
        /* the server drops named locks with the connection */
      } finally {
        await runner.release().catch(() => undefined);
      }
    },
  };
}

/** What a dialect's cross-process lock needs from the store: where it is, its timeout, error mapping. */
import type { DataSource, QueryRunner } from "typeorm";

export interface LockSite {
  dataSource: DataSource;
  /** The table as addressed (`db.table`, `schema.table`, `table`): locks are per table and user. */
  tablePath: string;
  /** Where the store connects, for messages (no credentials). */
  where: string;
  lockTimeoutMs: number;
  /** Runs a database call, mapping driver errors to typed errors. */
  run<T>(op: () => Promise<T>, phase?: "query" | "connect"): Promise<T>;
  mapError(error: unknown): Error;
}

/** A lock held on `context` (its own connection); `release` commits, or rolls back when `failed`. */
export interface HeldLock {
  context: QueryRunner;
  release(failed: boolean): Promise<void>;
}

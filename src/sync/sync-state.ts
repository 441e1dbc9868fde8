/**
 * Checkpoints and leases, one row per module in `<prefix>sync_state`, in the same database as the
 * mirrored rows: a checkpoint advances in the same transaction as the rows it covers, so a run
 * killed at any point resumes exactly where its last commit left it. A lease (owner + expiry) lets
 * one worker at a time sync a module; a dead worker's lease lapses.
 */
import { Table, type DataSource, type EntityManager } from "typeorm";
import type { MirrorDb } from "./mirror-db.js";

export type Phase = "bulk" | "incremental";

export interface ModuleState {
  module: string;
  phase: Phase;
  /** Incremental cursor: the last `Modified_Time` applied (ISO), and the id applied last at it. */
  cursorTime: string | null;
  cursorId: string | null;
  /** Deletions are applied up to this time (ISO). */
  deletedSince: string | null;
  /** The bulk read job in progress, its page, and the rows of its result already committed. */
  bulkJobId: string | null;
  bulkPage: number;
  bulkRows: number;
  /** When the initial load started: incremental runs pick up from there. */
  bulkStartedAt: string | null;
}

export class LeaseLost extends Error {
  constructor(readonly module: string) {
    super(`the lease on ${module} was lost (another worker took it after it expired)`);
  }
}

export class SyncStateStore {
  readonly table: string;

  constructor(private readonly db: MirrorDb) {
    this.table = `${db.prefix}sync_state`;
  }

  private get ds(): DataSource {
    return this.db.dataSource;
  }

  async ensureTable(): Promise<void> {
    const runner = this.ds.createQueryRunner();
    try {
      if (await runner.hasTable(this.table)) return;
      await runner.createTable(
        new Table({
          name: this.table,
          columns: [
            { name: "module", type: "varchar", length: "100", isPrimary: true },
            { name: "phase", type: "varchar", length: "20" },
            { name: "cursor_time", type: "varchar", length: "40", isNullable: true },
            { name: "cursor_id", type: "varchar", length: "64", isNullable: true },
            { name: "deleted_since", type: "varchar", length: "40", isNullable: true },
            { name: "bulk_job_id", type: "varchar", length: "64", isNullable: true },
            { name: "bulk_page", type: "integer", default: 1 },
            { name: "bulk_rows", type: "bigint", default: 0 },
            { name: "bulk_started_at", type: "varchar", length: "40", isNullable: true },
            { name: "lease_owner", type: "varchar", length: "200", isNullable: true },
            { name: "lease_until", type: "bigint", default: 0 },
            { name: "updated_at", type: "bigint", default: 0 },
          ],
        }),
        true,
      );
    } finally {
      await runner.release();
    }
  }

  /** Takes the module's lease for `ms` if it is free, expired or ours. */
  async acquire(module: string, owner: string, ms: number, now: number): Promise<boolean> {
    await this.ds
      .createQueryBuilder()
      .insert()
      .into(this.table, ["module", "phase", "bulk_page", "bulk_rows", "lease_until", "updated_at"])
      .values({ module, phase: "bulk", bulk_page: 1, bulk_rows: 0, lease_until: 0, updated_at: now })
      .orIgnore()
      .execute();
    await this.ds
      .createQueryBuilder()
      .update(this.table)
      .set({ lease_owner: owner, lease_until: now + ms })
      .where("module = :module", { module })
      .andWhere("(lease_owner IS NULL OR lease_until < :now OR lease_owner = :owner)", { now, owner })
      .execute();
    return this.#holds(this.ds.manager, module, owner, now);
  }

  /** Extends our lease; false when it is no longer ours. */
  async renew(module: string, owner: string, ms: number, now: number): Promise<boolean> {
    await this.ds
      .createQueryBuilder()
      .update(this.table)
      .set({ lease_until: now + ms })
      .where("module = :module AND lease_owner = :owner", { module, owner })
      .execute();
    return this.#holds(this.ds.manager, module, owner, now);
  }

  /**
   * Whether `owner` holds the module's lease now — read back rather than trusted from an UPDATE's
   * row count (MySQL counts only rows whose values changed). In a transaction, the row is locked
   * (FOR UPDATE; SQLite's transaction already holds the database's write lock).
   */
  async #holds(manager: EntityManager, module: string, owner: string, now: number, lock = false): Promise<boolean> {
    const forUpdate = lock && this.db.dialect !== "sqlite" ? " FOR UPDATE" : "";
    const [query, parameters] = this.ds.driver.escapeQueryWithParameters(
      `SELECT ${this.db.q("lease_owner")} AS o, ${this.db.q("lease_until")} AS u FROM ${this.db.q(this.table)} WHERE ${this.db.q("module")} = :module${forUpdate}`,
      { module },
    );
    const rows = (await manager.query(query, parameters)) as Array<{ o: unknown; u: unknown }>;
    const row = rows[0];
    return row !== undefined && row.o === owner && Number(row.u) >= now;
  }

  async release(module: string, owner: string): Promise<void> {
    await this.ds
      .createQueryBuilder()
      .update(this.table)
      .set({ lease_owner: null, lease_until: 0 })
      .where("module = :module AND lease_owner = :owner", { module, owner })
      .execute();
  }

  async read(module: string): Promise<ModuleState> {
    const row = (await this.ds.createQueryBuilder().select("*").from(this.table, "s").where("s.module = :module", { module }).getRawOne()) as
      | Record<string, unknown>
      | undefined;
    return {
      module,
      phase: row?.phase === "incremental" ? "incremental" : "bulk",
      cursorTime: textOrNull(row?.cursor_time),
      cursorId: textOrNull(row?.cursor_id),
      deletedSince: textOrNull(row?.deleted_since),
      bulkJobId: textOrNull(row?.bulk_job_id),
      bulkPage: Number(row?.bulk_page ?? 1) || 1,
      bulkRows: Number(row?.bulk_rows ?? 0) || 0,
      bulkStartedAt: textOrNull(row?.bulk_started_at),
    };
  }

  /**
   * Saves the module's state inside the caller's transaction — only while `owner` still holds the
   * lease (else `LeaseLost`, and the transaction rolls back with the rows it would have covered).
   */
  async save(manager: EntityManager, state: ModuleState, owner: string, now: number): Promise<void> {
    if (!(await this.#holds(manager, state.module, owner, now, true))) throw new LeaseLost(state.module);
    await manager
      .createQueryBuilder()
      .update(this.table)
      .set({
        phase: state.phase,
        cursor_time: state.cursorTime,
        cursor_id: state.cursorId,
        deleted_since: state.deletedSince,
        bulk_job_id: state.bulkJobId,
        bulk_page: state.bulkPage,
        bulk_rows: state.bulkRows,
        bulk_started_at: state.bulkStartedAt,
        updated_at: now,
      })
      .where("module = :module AND lease_owner = :owner", { module: state.module, owner })
      .execute();
  }
}

function textOrNull(value: unknown): string | null {
  return value === null || value === undefined || value === "" ? null : String(value);
}

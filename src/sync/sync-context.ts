/**
 * What one module's sync needs, shared by the initial load (bulk or REST) and the incremental run:
 * the client, the module's table and columns, the state store with this worker's lease, the
 * counters, and a way to commit rows and the checkpoint that covers them in one transaction.
 */
import type { ZohoCRMCalls } from "../client.js";
import type { ColumnDef } from "./columns.js";
import type { MirrorDb, UpsertCounts } from "./mirror-db.js";
import type { SyncEvent } from "./progress.js";
import type { Row } from "./row-values.js";
import type { ModuleState, SyncStateStore } from "./sync-state.js";

/** The client calls the sync makes (a `forUser` view works too). */
export type SyncClient = Pick<ZohoCRMCalls, "GET" | "POST">;

export interface ModuleCounts extends UpsertCounts {
  deleted: number;
}

export interface SyncContext {
  crm: SyncClient;
  db: MirrorDb;
  states: SyncStateStore;
  module: string;
  table: string;
  columns: ColumnDef[];
  state: ModuleState;
  owner: string;
  leaseMs: number;
  hardDeletes: boolean;
  batchSize: number;
  bulkTimeoutMs: number;
  /** How long to wait between polls of a bulk job: from `minMs`, growing to `maxMs`. */
  bulkPoll: { minMs: number; maxMs: number };
  tempDir: string;
  counts: ModuleCounts;
  signal: AbortSignal | undefined;
  emit(event: SyncEvent): void;
  now(): number;
  /** Waits `ms` (or rejects when the run is aborted). */
  sleep(ms: number): Promise<void>;
}

/**
 * Upserts `rows`, applies `deletions`, and saves `next` as the module's state, all in one
 * transaction — the rows and the checkpoint that covers them land together or not at all.
 */
export async function commit(
  ctx: SyncContext,
  rows: readonly Row[],
  next: ModuleState,
  deletions: ReadonlyArray<{ id: string; at: Date }> = [],
): Promise<void> {
  ctx.signal?.throwIfAborted();
  const { counts: added, deleted } = await ctx.db.dataSource.transaction(async (manager) => {
    const counts = await ctx.db.upsert(manager, ctx.table, ctx.columns, rows);
    const removed = deletions.length > 0 ? await ctx.db.markDeleted(manager, ctx.table, ctx.columns, deletions, ctx.hardDeletes) : 0;
    await ctx.states.save(manager, next, ctx.owner, ctx.now());
    return { counts, deleted: removed };
  });
  ctx.state = next;
  ctx.counts.inserted += added.inserted;
  ctx.counts.updated += added.updated;
  ctx.counts.unchanged += added.unchanged;
  ctx.counts.deleted += deleted;
}

/**
 * `syncModules()`: mirrors Zoho CRM modules into SQL tables and keeps them current. Per module:
 * take its lease (one worker at a time), widen its table from the field metadata, then run the
 * initial load (bulk read, or REST pages when bulk is not allowed) or an incremental pull of
 * changes and deletions — every batch committed with its checkpoint. Modules run one after
 * another; a failed module does not stop the others, and the run rejects at the end naming it.
 */
import { randomUUID } from "node:crypto";
import { hostname, tmpdir } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { DataSource } from "typeorm";
import { fieldsOf } from "../codegen/fetch-metadata.js";
import { ZohoConfigError, ZohoSyncError } from "../errors.js";
import { bulkLoad } from "./bulk-load.js";
import { columnsFor } from "./columns.js";
import { newestDeletion, pullDeletions, pullRecords } from "./incremental.js";
import { MirrorDb } from "./mirror-db.js";
import { summarize, type ModuleSummary, type SyncEvent, type SyncMode, type SyncSummary } from "./progress.js";
import { commit, type SyncClient, type SyncContext } from "./sync-context.js";
import { LeaseLost, SyncStateStore } from "./sync-state.js";

export interface SyncModulesOptions {
  /** The client (or a `crm.forUser(email)` view) whose user reads the modules. */
  crm: SyncClient;
  /** An initialized TypeORM DataSource: MySQL/MariaDB, PostgreSQL or SQLite (better-sqlite3). */
  dataSource: DataSource;
  /** Module API names, e.g. `["Leads", "Contacts", "Deals"]`. */
  modules: readonly string[];
  /** Prefix of the tables (`zoho_leads`...) and of the state table (`zoho_sync_state`). Default `"zoho_"`. */
  tablePrefix?: string | undefined;
  /** Delete rows of records deleted in Zoho instead of setting `deleted_at`. Default false. */
  hardDeletes?: boolean | undefined;
  /** How a module's first run loads it: `"auto"` (bulk read, REST when not allowed), `"bulk"` or `"rest"`. Default `"auto"`. */
  initialLoad?: "auto" | "bulk" | "rest" | undefined;
  /** Rows a bulk-load transaction commits at once. Default 1000. */
  batchSize?: number | undefined;
  /** How long a module's lease lasts unless renewed (a dead worker's lapses after it). Default 60 000 ms. */
  leaseMs?: number | undefined;
  /** This worker's name in the lease rows. Default host:pid:random. */
  workerId?: string | undefined;
  /** How long a bulk read job may take before the run gives up (the next run resumes it). Default 30 min. */
  bulkTimeoutMs?: number | undefined;
  /** Bulk job polling interval: from `minMs`, growing to `maxMs`. Default 2 s to 30 s. */
  bulkPoll?: { minMs: number; maxMs: number } | undefined;
  /** Where bulk-read ZIP files are kept while they load. Default the OS temp directory. */
  tempDir?: string | undefined;
  /** Called with each progress event. */
  onProgress?: ((event: SyncEvent) => void) | undefined;
  /** Stops the run between commits (what is committed stays). */
  signal?: AbortSignal | undefined;
}

type Resolved = Required<Omit<SyncModulesOptions, "onProgress" | "signal" | "workerId">> &
  Pick<SyncModulesOptions, "onProgress" | "signal"> & { workerId: string };

function positive(value: number | undefined, fallback: number, key: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new ZohoConfigError(`syncModules: ${key} must be a positive number (got ${String(value)}).`, { code: "SYNC_OPTIONS", keys: [key] });
  return value;
}

function resolve(options: SyncModulesOptions): Resolved {
  if (!options || typeof options !== "object") throw new ZohoConfigError("syncModules: pass { crm, dataSource, modules }.", { code: "SYNC_OPTIONS", keys: [] });
  if (!options.crm || typeof options.crm.GET !== "function")
    throw new ZohoConfigError("syncModules: crm must be a zcrm-typed client (createZohoCRM).", { code: "SYNC_OPTIONS", keys: ["crm"] });
  if (!options.dataSource?.isInitialized) {
    throw new ZohoConfigError("syncModules: dataSource must be an initialized TypeORM DataSource (await dataSource.initialize()).", {
      code: "SYNC_OPTIONS",
      keys: ["dataSource"],
    });
  }
  const modules = options.modules;
  if (!Array.isArray(modules) || modules.length === 0 || modules.some((m) => typeof m !== "string" || m === "")) {
    throw new ZohoConfigError('syncModules: modules must be a non-empty list of module API names, e.g. ["Leads", "Contacts"].', {
      code: "SYNC_OPTIONS",
      keys: ["modules"],
    });
  }
  const initialLoad = options.initialLoad ?? "auto";
  if (!["auto", "bulk", "rest"].includes(initialLoad))
    throw new ZohoConfigError('syncModules: initialLoad must be "auto", "bulk" or "rest".', { code: "SYNC_OPTIONS", keys: ["initialLoad"] });
  const bulkPoll = options.bulkPoll ?? { minMs: 2000, maxMs: 30_000 };
  return {
    crm: options.crm,
    dataSource: options.dataSource,
    modules: [...new Set(modules)],
    tablePrefix: options.tablePrefix ?? "zoho_",
    hardDeletes: options.hardDeletes ?? false,
    initialLoad,
    batchSize: Math.floor(positive(options.batchSize, 1000, "batchSize")),
    leaseMs: positive(options.leaseMs, 60_000, "leaseMs"),
    workerId: options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    bulkTimeoutMs: positive(options.bulkTimeoutMs, 30 * 60_000, "bulkTimeoutMs"),
    bulkPoll: { minMs: positive(bulkPoll.minMs, 2000, "bulkPoll.minMs"), maxMs: positive(bulkPoll.maxMs, 30_000, "bulkPoll.maxMs") },
    tempDir: options.tempDir ?? tmpdir(),
    onProgress: options.onProgress,
    signal: options.signal,
  };
}

/** Syncs one module under its lease. */
async function syncModule(o: Resolved, db: MirrorDb, states: SyncStateStore, module: string, emit: (e: SyncEvent) => void): Promise<ModuleSummary> {
  const started = Date.now();
  const summary = (mode: ModuleSummary["mode"], ctx?: SyncContext, columnsAdded: string[] = []): ModuleSummary => ({
    module,
    mode,
    inserted: ctx?.counts.inserted ?? 0,
    updated: ctx?.counts.updated ?? 0,
    deleted: ctx?.counts.deleted ?? 0,
    unchanged: ctx?.counts.unchanged ?? 0,
    columnsAdded,
    ms: Date.now() - started,
  });
  if (!(await states.acquire(module, o.workerId, o.leaseMs, Date.now()))) {
    emit({ type: "module-skipped", module, reason: "another worker holds its lease" });
    return summary("skipped");
  }
  const lease = new AbortController();
  const renew = setInterval(
    () => {
      states.renew(module, o.workerId, o.leaseMs, Date.now()).then(
        (held) => held || lease.abort(new LeaseLost(module)),
        () => undefined, // a failed renewal is retried at the next tick; the commit checks the lease anyway
      );
    },
    Math.max(50, Math.floor(o.leaseMs / 3)),
  );
  renew.unref();
  const signal = o.signal ? AbortSignal.any([o.signal, lease.signal]) : lease.signal;
  let ctx: SyncContext | undefined;
  try {
    const columns = columnsFor(await fieldsOf(o.crm, module, " (is the module name right? API names are case-sensitive, e.g. Leads)"));
    const table = db.tableOf(module);
    const { added } = await db.ensureTable(table, columns);
    if (added.length > 0) emit({ type: "columns-added", module, columns: added });
    ctx = {
      crm: o.crm,
      db,
      states,
      module,
      table,
      columns,
      state: await states.read(module),
      owner: o.workerId,
      leaseMs: o.leaseMs,
      hardDeletes: o.hardDeletes,
      batchSize: o.batchSize,
      bulkTimeoutMs: o.bulkTimeoutMs,
      bulkPoll: o.bulkPoll,
      tempDir: o.tempDir,
      counts: { inserted: 0, updated: 0, unchanged: 0, deleted: 0 },
      signal,
      emit,
      now: () => Date.now(),
      sleep: (ms) => sleep(ms, undefined, { signal }),
    };
    let mode: SyncMode = "incremental";
    if (ctx.state.phase === "bulk") {
      const fresh = !ctx.state.bulkJobId && ctx.state.bulkPage === 1 && ctx.state.bulkRows === 0 && !ctx.state.bulkStartedAt;
      // Deletions before the load began are already absent from what it loads.
      if (fresh) await commit(ctx, [], { ...ctx.state, deletedSince: await newestDeletion(ctx) });
      mode = o.initialLoad === "rest" ? "rest" : "bulk";
      if (mode === "bulk") {
        emit({ type: "module-start", module, mode });
        const outcome = await bulkLoad(ctx);
        if (!outcome.ok) {
          if (o.initialLoad === "bulk")
            throw new ZohoSyncError(`${module}: ${outcome.reason}; grant that scope, or use initialLoad "auto" or "rest".`, {
              code: "SYNC_BULK_NOT_ALLOWED",
              module,
            });
          mode = "rest";
          emit({ type: "module-start", module, mode, reason: `${outcome.reason}; loading through REST pages instead` });
        }
      } else emit({ type: "module-start", module, mode });
      if (mode === "rest") await commit(ctx, [], { ...ctx.state, phase: "incremental", cursorTime: null, cursorId: null });
    } else emit({ type: "module-start", module, mode });
    await pullRecords(ctx, mode === "rest" ? "rest" : "incremental");
    await pullDeletions(ctx);
    const done = summary(mode, ctx, added);
    emit({ type: "module-done", summary: done });
    return done;
  } catch (error) {
    const reason = lease.signal.aborted || error instanceof LeaseLost ? new LeaseLost(module) : error;
    if (reason instanceof LeaseLost) {
      throw new ZohoSyncError(`${module}: ${reason.message}; its changes since the last commit were not applied, and the worker holding it now carries on.`, {
        code: "SYNC_LEASE_LOST",
        module,
      });
    }
    throw error;
  } finally {
    clearInterval(renew);
    await states.release(module, o.workerId).catch(() => undefined);
  }
}

/** Mirrors `modules` into `dataSource`; resolves to what changed. */
export async function syncModules(options: SyncModulesOptions): Promise<SyncSummary> {
  const o = resolve(options);
  const started = Date.now();
  const db = new MirrorDb(o.dataSource, o.tablePrefix);
  const states = new SyncStateStore(db);
  await states.ensureTable();
  const emit = (event: SyncEvent) => {
    try {
      o.onProgress?.(event);
    } catch {
      // A throwing progress callback must not break the sync.
    }
  };
  const results: ModuleSummary[] = [];
  const failures: Array<{ module: string; error: unknown }> = [];
  for (const module of o.modules) {
    o.signal?.throwIfAborted();
    try {
      results.push(await syncModule(o, db, states, module, emit));
    } catch (error) {
      if (o.signal?.aborted) throw error;
      failures.push({ module, error });
      emit({ type: "module-failed", module, message: error instanceof Error ? error.message : String(error) });
    }
  }
  const summary = summarize(results, Date.now() - started);
  if (failures.length > 0) {
    const first = failures[0]!;
    const error = new ZohoSyncError(
      `Syncing ${failures.map((f) => f.module).join(", ")} failed (${failures.map((f) => (f.error instanceof Error ? f.error.message : String(f.error))).join("; ")}). What was committed stays; run the sync again to resume.`,
      { code: first.error instanceof ZohoSyncError ? first.error.code : "SYNC_FAILED", module: first.module, cause: first.error },
    );
    Object.defineProperty(error, "summary", { value: summary, enumerable: false });
    throw error;
  }
  return summary;
}

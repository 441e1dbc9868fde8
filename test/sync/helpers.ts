/**
 * Sync test set-up: an emulator (manual clock), a client, and a mirror database — SQLite in a temp
 * directory, or MariaDB / PostgreSQL with a table prefix of its own — plus `mirror()`, the rows as
 * the tests compare them with the emulator's state, and a clock ticker that lets bulk jobs finish.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataSource } from "typeorm";
import { expect } from "vitest";
import type { Field } from "../../src/codegen/field-types.js";
import { columnsFor, syncModules, type ColumnDef, type SyncModulesOptions } from "../../src/sync/index.js";
import { epochOf } from "../../src/sync/mirror-db.js";
import { rowOf } from "../../src/sync/row-values.js";
import { startHarness, type Harness } from "../emulator/helpers.js";
import { MARIADB, POSTGRES, uniqueSuffix } from "../helpers/databases.js";

const BULK_POLL_STEP_MS = 600;

export type DbKind = "sqlite" | "mariadb" | "postgres";

export function dataSourceOptions(kind: DbKind, dir: string): Record<string, unknown> {
  if (kind === "sqlite") return { type: "better-sqlite3", database: join(dir, "mirror.sqlite") };
  if (kind === "mariadb") return { type: "mariadb", ...MARIADB, poolSize: 3 };
  return { type: "postgres", ...POSTGRES, poolSize: 3 };
}

export interface SyncHarness {
  h: Harness;
  ds: DataSource;
  prefix: string;
  dir: string;
  /** Runs a sync of `modules` with the test's defaults (fast bulk polling, the prefix). */
  sync(modules: string[], extra?: Partial<SyncModulesOptions>): ReturnType<typeof syncModules>;
  /** The mirror's rows of a module, by id. */
  mirror(module: string): Promise<Map<string, Record<string, unknown>>>;
  /**
   * Asserts the mirror holds exactly the emulator's live records of `module` — ids, and every typed
   * column's value (lookup names only where a REST read filled them: bulk CSV carries ids) — and
   * that the records deleted since they were mirrored are marked deleted (or gone, hard deletes).
   */
  expectExact(module: string): Promise<void>;
  close(): Promise<void>;
}

export async function startSyncHarness(kind: DbKind, emulatorOptions: Parameters<typeof startHarness>[0] = {}): Promise<SyncHarness> {
  const h = await startHarness(emulatorOptions);
  const dir = mkdtempSync(join(tmpdir(), "zcrm-sync-"));
  const ds = new DataSource(dataSourceOptions(kind, dir) as never);
  await ds.initialize();
  const prefix = `s${uniqueSuffix()}_`;
  // Bulk jobs finish on the emulator's clock: each poll of a job moves it on (counts, not speed).
  let polls = 0;
  const ticker = setInterval(() => {
    const now = h.emulator.stats.perOperation.getBulkReadJobDetails ?? 0;
    if (now > polls) h.emulator.state.advanceClock(BULK_POLL_STEP_MS * (now - polls));
    polls = now;
  }, 1);
  const harness: SyncHarness = {
    h,
    ds,
    prefix,
    dir,
    sync: (modules, extra = {}) =>
      syncModules({ crm: h.crm, dataSource: ds, modules, tablePrefix: prefix, bulkPoll: { minMs: 1, maxMs: 5 }, tempDir: dir, ...extra }),
    async mirror(module) {
      const rows = (await ds.createQueryBuilder().select("*").from(`${prefix}${module.toLowerCase()}`, "t").getRawMany()) as Array<Record<string, unknown>>;
      return new Map(rows.map((r) => [String(r.id), r]));
    },
    async expectExact(module) {
      const rows = await harness.mirror(module);
      const fieldsReply = await h.crm.GET("/crm/v2/settings/fields", { params: { query: { module } } });
      const columns = columnsFor((fieldsReply.data as { fields: Field[] }).fields);
      const live = h.emulator.state.records(module) as Array<Record<string, unknown>>;
      const liveRows = [...rows.values()].filter((r) => r.deleted_at === null || r.deleted_at === undefined);
      expect(liveRows.map((r) => String(r.id)).sort()).toEqual(live.map((r) => String(r.id)).sort());
      for (const record of live) {
        const row = rows.get(String(record.id))!;
        const want = rowOf(record, columns, { fromCsv: false, syncedAt: new Date(0) });
        for (const column of columns) {
          if (column.field === undefined || (column.kind === "lookup_name" && row[column.name] === null)) continue;
          expect(normalise(column, row[column.name]), `${module} ${String(record.id)} ${column.name}`).toEqual(normalise(column, want[column.name]));
        }
      }
      for (const entry of h.emulator.state.deleted(module)) {
        const row = rows.get(entry.id);
        if (row) expect(row.deleted_at, `${module} ${entry.id} deleted`).not.toBeNull();
      }
    },
    async close() {
      clearInterval(ticker);
      await ds.destroy().catch(() => undefined);
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** A column value as each database hands it back, in one comparable form. */
function normalise(column: ColumnDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (column.kind) {
    case "integer":
    case "number":
      return Number(value);
    case "boolean":
      return value === true || value === 1 || value === "1" || value === "true";
    case "datetime":
      return epochOf(value);
    case "date":
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
    case "json":
      return typeof value === "string" ? JSON.parse(value) : value;
    default:
      return String(value);
  }
}

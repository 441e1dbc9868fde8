/**
 * The mirror's table code on each database: wide batches beyond a statement's parameter limit,
 * unchanged-by-content, a record listed twice, columns added and never dropped, soft and hard
 * deletes, and a deletion older than the record's last change left alone.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Field } from "../../src/codegen/field-types.js";
import { columnsFor } from "../../src/sync/columns.js";
import { MirrorDb } from "../../src/sync/mirror-db.js";
import { rowOf } from "../../src/sync/row-values.js";
import { describeDb, mariadbAvailable, postgresAvailable, uniqueSuffix } from "../helpers/databases.js";
import { dataSourceOptions, type DbKind } from "./helpers.js";

const field = (api_name: string, data_type: string): Field => ({ api_name, data_type }) as Field;
const WIDE = [
  field("Modified_Time", "datetime"),
  field("Owner", "ownerlookup"),
  field("Tags", "multiselectpicklist"),
  field("Amount", "currency"),
  field("Done", "boolean"),
];
for (let i = 0; i < 40; i++) WIDE.push(field(`Text_${i}`, "text"));

function mirrorSuite(kind: DbKind): void {
  let ds: DataSource;
  let db: MirrorDb;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "zcrm-mirror-"));
    ds = await new DataSource(dataSourceOptions(kind, dir) as never).initialize();
    db = new MirrorDb(ds, `m${uniqueSuffix()}_`);
  });
  afterAll(async () => {
    await ds?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const record = (id: number, text: string, modified = "2026-03-01T10:15:00+05:30") => {
    const r: Record<string, unknown> = { id: String(id), Modified_Time: modified, Owner: { id: "9", name: "Ann" }, Tags: ["a", "b"], Amount: 12.5, Done: true };
    for (let i = 0; i < 40; i++) r[`Text_${i}`] = `${text}-${i}`;
    return r;
  };

  it("writes 2 000 rows of 50 columns in one call (past one statement's parameter limit), then tells unchanged from edited by content", async () => {
    const table = db.tableOf("Wide");
    const columns = columnsFor(WIDE);
    expect(await db.ensureTable(table, columns)).toEqual({ created: true, added: [] });
    const syncedAt = new Date();
    const rows = Array.from({ length: 2000 }, (_, i) => rowOf(record(i + 1, "v1"), columns, { fromCsv: false, syncedAt }));
    const first = await ds.transaction((m) => db.upsert(m, table, columns, rows));
    expect(first).toEqual({ inserted: 2000, updated: 0, unchanged: 0 });
    // Same Modified_Time, different content (two edits in one second), and a record listed twice.
    const again = [
      rowOf(record(1, "v1"), columns, { fromCsv: false, syncedAt }),
      rowOf(record(2, "v2"), columns, { fromCsv: false, syncedAt }),
      rowOf(record(2, "v3"), columns, { fromCsv: false, syncedAt }),
    ];
    expect(await ds.transaction((m) => db.upsert(m, table, columns, again))).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
    const [row] = (await ds.createQueryBuilder().select("*").from(table, "t").where("t.id = :id", { id: "2" }).getRawMany()) as Array<Record<string, unknown>>;
    expect(row!.Text_0).toBe("v3-0");
    expect(row!.Owner_id).toBe("9");
    expect(row!.Owner_name).toBe("Ann");
  });

  it("adds the columns of new fields and keeps those of removed ones", async () => {
    const table = db.tableOf("Grow");
    await db.ensureTable(table, columnsFor([field("Modified_Time", "datetime"), field("Old", "text")]));
    const grown = await db.ensureTable(table, columnsFor([field("Modified_Time", "datetime"), field("New_Score", "integer")]));
    expect(grown).toEqual({ created: false, added: ["New_Score"] });
    const runner = ds.createQueryRunner();
    const names = (await runner.getTable(table))!.columns.map((c) => c.name);
    await runner.release();
    expect(names).toEqual(expect.arrayContaining(["Old", "New_Score"]));
  });

  it("soft-deletes, hard-deletes, and leaves a record changed after the deletion time alone", async () => {
    const table = db.tableOf("Gone");
    const columns = columnsFor(WIDE);
    await db.ensureTable(table, columns);
    const syncedAt = new Date();
    await ds.transaction((m) =>
      db.upsert(
        m,
        table,
        columns,
        [1, 2, 3].map((id) => rowOf(record(id, "x", "2026-03-01T10:00:00Z"), columns, { fromCsv: false, syncedAt })),
      ),
    );
    const at = new Date("2026-03-01T11:00:00Z");
    expect(await ds.transaction((m) => db.markDeleted(m, table, columns, [{ id: "1", at }], false))).toBe(1);
    expect(await ds.transaction((m) => db.markDeleted(m, table, columns, [{ id: "1", at }], false))).toBe(0); // already marked
    expect(await ds.transaction((m) => db.markDeleted(m, table, columns, [{ id: "2", at }], true))).toBe(1);
    expect(await ds.transaction((m) => db.markDeleted(m, table, columns, [{ id: "3", at: new Date("2026-03-01T09:00:00Z") }], false))).toBe(0);
    const rows = (await ds.createQueryBuilder().select(["t.id AS id", "t.deleted_at AS deleted_at"]).from(table, "t").orderBy("t.id").getRawMany()) as Array<{
      id: string;
      deleted_at: unknown;
    }>;
    expect(rows.map((r) => [r.id, r.deleted_at !== null])).toEqual([
      ["1", true],
      ["3", false],
    ]);
  });
}

describe("mirror tables on SQLite", () => mirrorSuite("sqlite"));
describeDb("mirror tables on MariaDB", await mariadbAvailable(), () => mirrorSuite("mariadb"));
describeDb("mirror tables on PostgreSQL", await postgresAvailable(), () => mirrorSuite("postgres"));

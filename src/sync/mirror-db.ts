/**
 * The mirror's tables in the user's database, through TypeORM's schema API (one code path for
 * MySQL/MariaDB, PostgreSQL and SQLite): a table per module created or widened from its columns
 * (new fields add columns; nothing is ever dropped), upserts by `id` that tell inserted, updated and
 * unchanged records apart, and deletions (soft, `deleted_at`, or hard).
 */
import { Table, TableColumn, TableIndex, type DataSource, type EntityManager } from "typeorm";
import { ZohoConfigError } from "../errors.js";
import { OWN_COLUMNS, type ColumnDef, type ColumnKind } from "./columns.js";
import type { Row } from "./row-values.js";

export type Dialect = "mysql" | "postgres" | "sqlite";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Values one statement may bind, under every supported database's limit. */
const MAX_PARAMETERS = 30_000;

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export function dialectOf(dataSource: DataSource): Dialect {
  const type = dataSource.options.type;
  if (type === "mysql" || type === "mariadb") return "mysql";
  if (type === "postgres") return "postgres";
  if (type === "better-sqlite3") return "sqlite";
  throw new ZohoConfigError(`syncModules: unsupported database type ${JSON.stringify(type)}; use MySQL/MariaDB, PostgreSQL or SQLite (better-sqlite3).`, {
    code: "SYNC_UNSUPPORTED_DATABASE",
    keys: ["dataSource"],
  });
}

export class MirrorDb {
  readonly dialect: Dialect;

  constructor(
    readonly dataSource: DataSource,
    readonly prefix: string,
  ) {
    if (prefix !== "" && !IDENTIFIER.test(prefix)) {
      throw new ZohoConfigError(`syncModules: tablePrefix must be letters, digits and _ (got ${JSON.stringify(prefix)}).`, {
        code: "SYNC_OPTIONS",
        keys: ["tablePrefix"],
      });
    }
    this.dialect = dialectOf(dataSource);
  }

  /** The table of a module: the prefix and the module's API name, lower-cased. */
  tableOf(module: string): string {
    const name = `${this.prefix}${module.toLowerCase()}`;
    if (!IDENTIFIER.test(name))
      throw new ZohoConfigError(`syncModules: ${JSON.stringify(module)} is not a module API name.`, { code: "SYNC_OPTIONS", keys: ["modules"] });
    return name;
  }

  q(name: string): string {
    return this.dataSource.driver.escape(name);
  }

  #typeOf(kind: ColumnKind): Partial<TableColumn> {
    switch (kind) {
      case "integer":
        return { type: "bigint" };
      case "number":
        return { type: this.dialect === "postgres" ? "double precision" : this.dialect === "mysql" ? "double" : "real" };
      case "boolean":
        return { type: "boolean" };
      case "date":
        return { type: "date" };
      case "datetime":
        return this.dialect === "postgres" ? { type: "timestamptz" } : this.dialect === "mysql" ? { type: "datetime", precision: 3 } : { type: "datetime" };
      case "json":
        return { type: this.dialect === "postgres" ? "jsonb" : this.dialect === "mysql" ? "json" : "text" };
      case "lookup_id":
        return { type: "varchar", length: "64" };
      default:
        return { type: "text" };
    }
  }

  #column(column: ColumnDef): TableColumn {
    if (column.name === "id") return new TableColumn({ name: "id", type: "varchar", length: "64", isPrimary: true });
    return new TableColumn({ name: column.name, ...this.#typeOf(column.kind), isNullable: true } as TableColumn);
  }

  #placeholder(index: number): string {
    return this.dialect === "postgres" ? `$${index + 1}` : "?";
  }

  /** A value as the driver binds it: better-sqlite3 takes neither booleans nor dates (stored as TypeORM does, UTC text). */
  #param(value: unknown): unknown {
    if (value === undefined) return null;
    if (this.dialect !== "sqlite") return value;
    if (typeof value === "boolean") return value ? 1 : 0;
    if (value instanceof Date) return value.toISOString().slice(0, 23).replace("T", " ");
    return value;
  }

  #upsertHead(table: string, names: readonly string[]): string {
    return `INSERT INTO ${this.q(table)} (${names.map((n) => this.q(n)).join(", ")})`;
  }

  #upsertTail(names: readonly string[]): string {
    const others = names.filter((n) => n !== "id");
    if (this.dialect === "mysql") return `ON DUPLICATE KEY UPDATE ${others.map((n) => `${this.q(n)} = VALUES(${this.q(n)})`).join(", ")}`;
    return `ON CONFLICT (${this.q("id")}) DO UPDATE SET ${others.map((n) => `${this.q(n)} = excluded.${this.q(n)}`).join(", ")}`;
  }

  /** Creates the module's table, or adds the columns it lacks (named in `added`). */
  async ensureTable(table: string, columns: readonly ColumnDef[]): Promise<{ created: boolean; added: string[] }> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const existing = await runner.getTable(table);
      if (!existing) {
        await runner.createTable(new Table({ name: table, columns: columns.map((c) => this.#column(c)) }), true);
        const modified = columns.find((c) => c.field === "Modified_Time");
        if (modified) await runner.createIndex(table, new TableIndex({ name: `${table}_modified_idx`, columnNames: [modified.name] })).catch(() => undefined);
        return { created: true, added: [] };
      }
      const have = new Set(existing.columns.map((c) => c.name.toLowerCase()));
      const missing = columns.filter((c) => !have.has(c.name.toLowerCase()));
      for (const column of missing) await runner.addColumn(table, this.#column(column));
      return { created: false, added: missing.map((c) => c.name) };
    } finally {
      await runner.release();
    }
  }

  /**
   * Writes `rows` (each with `id`) inside the caller's transaction. A row whose record hashes the
   * same as the stored one (and is not deleted there) is unchanged and not rewritten — by content,
   * not `Modified_Time`: two edits in one second share it. A record listed twice counts once.
   */
  async upsert(manager: EntityManager, table: string, columns: readonly ColumnDef[], rows: readonly Row[]): Promise<UpsertCounts> {
    const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
    if (rows.length === 0) return counts;
    const latest = new Map<string, Row>();
    for (const row of rows) latest.set(String(row.id), row);
    const stored = new Map<string, { hash: unknown; deleted: boolean }>();
    const ids = [...latest.keys()];
    const found: Array<{ id: string; h: unknown; d: unknown }> = [];
    for (let start = 0; start < ids.length; start += MAX_PARAMETERS) {
      const part = ids.slice(start, start + MAX_PARAMETERS);
      const sql = `SELECT ${this.q("id")} AS ${this.q("id")}, ${this.q(OWN_COLUMNS.recordHash)} AS ${this.q("h")}, ${this.q(OWN_COLUMNS.deletedAt)} AS ${this.q("d")} FROM ${this.q(table)} WHERE ${this.q("id")} IN (${part.map((_, i) => this.#placeholder(i)).join(", ")})`;
      found.push(...((await manager.query(sql, part)) as Array<{ id: string; h: unknown; d: unknown }>));
    }
    for (const row of found) stored.set(String(row.id), { hash: row.h, deleted: row.d !== null && row.d !== undefined });
    const write: Row[] = [];
    for (const [id, row] of latest) {
      const before = stored.get(id);
      if (!before) {
        counts.inserted += 1;
        write.push(row);
      } else if (!before.deleted && before.hash === row[OWN_COLUMNS.recordHash]) {
        counts.unchanged += 1;
      } else {
        counts.updated += 1;
        write.push(row);
      }
    }
    if (write.length === 0) return counts;
    // Raw statements: TypeORM's query builder spent more time naming 30 000 parameters than the
    // database spent writing. One statement binds at most MAX_PARAMETERS values (SQLite: 32 766).
    const names = columns.map((c) => c.name);
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / names.length));
    for (let start = 0; start < write.length; start += perStatement) {
      const chunk = write.slice(start, start + perStatement);
      const params: unknown[] = [];
      const tuples = chunk.map((row) => `(${names.map((n) => this.#placeholder(params.push(this.#param(row[n])) - 1)).join(", ")})`);
      await manager.query(`${this.#upsertHead(table, names)} VALUES ${tuples.join(", ")} ${this.#upsertTail(names)}`, params);
    }
    return counts;
  }

  /**
   * Marks deleted records (or removes them, `hard`). A record modified after its deletion time was
   * restored in Zoho since, and is left alone. Resolves to the rows affected.
   */
  async markDeleted(
    manager: EntityManager,
    table: string,
    columns: readonly ColumnDef[],
    deletions: ReadonlyArray<{ id: string; at: Date }>,
    hard: boolean,
  ): Promise<number> {
    const modified = columns.find((c) => c.field === "Modified_Time")?.name;
    let affected = 0;
    for (const { id, at } of deletions) {
      const query = hard
        ? manager.createQueryBuilder().delete().from(table)
        : manager
            .createQueryBuilder()
            .update(table)
            .set({ [OWN_COLUMNS.deletedAt]: at });
      query.where("id = :id", { id });
      if (!hard) query.andWhere(`${this.q(OWN_COLUMNS.deletedAt)} IS NULL`);
      if (modified) query.andWhere(`(${this.q(modified)} IS NULL OR ${this.q(modified)} <= :at)`, { at });
      const result = await query.execute();
      affected += result.affected ?? 0;
    }
    return affected;
  }
}

/** A stored or incoming date-time as epoch ms (drivers give Date objects or text). */
export function epochOf(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.getTime();
  const text = String(value);
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2} \d/.test(text) && !/[zZ+]|-\d\d:?\d\d$/.test(text.slice(10)) ? `${text.replace(" ", "T")}Z` : text);
  return Number.isNaN(ms) ? undefined : ms;
}

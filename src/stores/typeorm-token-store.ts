/**
 * Persists tokens in a SQL table through TypeORM. Options and validation live in `typeorm/options.ts`,
 * the table definition in `typeorm/entity-schema.ts`, one cross-process lock per dialect in
 * `typeorm/*-lock.ts`, and driver-error mapping in `typeorm/driver-errors.ts`.
 */
import { inspect } from "node:util";
import { DataSource } from "typeorm";
import type { DataSourceOptions, QueryRunner } from "typeorm";
import { ZohoConfigError } from "../errors.js";
import type { LockedRefresh, TokenRecord, TokenStore } from "./token-store.js";
import { KeyedMutex, assertRecord, assertSameUser, assertUser, copyRecord, positiveMs } from "./store-utils.js";
import { mapStoreError } from "./typeorm/driver-errors.js";
import { createTokenEntitySchema, tableDefinitions } from "./typeorm/entity-schema.js";
import type { HeldLock, LockSite } from "./typeorm/lock-site.js";
import { acquireMysqlLock } from "./typeorm/mysql-lock.js";
import {
  PYTHON_SDK_TABLE,
  buildDataSourceOptions,
  dialectOf,
  identifier,
  resolveColumns,
  type Dialect,
  type ResolvedColumns,
  type TypeOrmTokenStoreConnectionOptions,
  type TypeOrmTokenStoreOptions,
} from "./typeorm/options.js";
import { acquirePostgresLock } from "./typeorm/postgres-lock.js";
import { acquireSqliteLock, retrySqliteBusy } from "./typeorm/sqlite-lock.js";

export { createTokenEntitySchema, type TokenRow } from "./typeorm/entity-schema.js";
export {
  PYTHON_SDK_TABLE,
  type TypeOrmTokenStoreColumns,
  type TypeOrmTokenStoreConnectionOptions,
  type TypeOrmTokenStoreDataSourceOptions,
  type TypeOrmTokenStoreOptions,
  type TypeOrmTokenStoreTableOptions,
  type TypeOrmTokenStoreType,
} from "./typeorm/options.js";

const TYPEORM_STORE = { store: "TypeOrmTokenStore", code: "TOKEN_STORE_OPTIONS" };
const ACQUIRE: Record<Dialect, (runner: QueryRunner, user: string, site: LockSite) => Promise<HeldLock>> = {
  mysql: acquireMysqlLock,
  postgres: acquirePostgresLock,
  sqlite: acquireSqliteLock,
};

/**
 * Persists tokens in a SQL table: by default the Python SDK's
 * `oauthtokens(useridentifier, accesstoken, refreshtoken, expirytime)` table, so a Python and a
 * TypeScript app can share it. MySQL/MariaDB, PostgreSQL and SQLite (better-sqlite3).
 *
 * `withLock` is a cross-process lock per user: MySQL/MariaDB `GET_LOCK` on a dedicated connection,
 * PostgreSQL `pg_advisory_xact_lock` in a transaction, SQLite `BEGIN IMMEDIATE`. `save`/`delete`
 * take the same lock, so upserts never race into duplicate rows even without a primary key.
 */
export class TypeOrmTokenStore implements TokenStore {
  readonly dataSource: DataSource;
  /** The table as TypeORM addresses it (`db.table`, `schema.table` or `table`). */
  readonly tablePath: string;
  private readonly dialect: Dialect;
  private readonly owned: boolean;
  private readonly columns: ResolvedColumns;
  private readonly synchronize: boolean;
  private readonly lockTimeoutMs: number;
  private readonly where: string;
  private readonly tableKeys: readonly string[];
  private readonly mutex = new KeyedMutex<QueryRunner>();
  private readonly lockSite: LockSite;
  private initializing: Promise<DataSource> | undefined;
  private synchronized: Promise<void> | undefined;
  private closed = false;

  constructor(options: TypeOrmTokenStoreOptions) {
    const o = (options ?? {}) as Omit<TypeOrmTokenStoreConnectionOptions, "type" | "dataSource"> & {
      type?: unknown;
      dataSource?: unknown;
    };
    if (o.dataSource !== undefined && o.type !== undefined) {
      throw new ZohoConfigError("TypeOrmTokenStore takes either `dataSource` or connection options with `type`, not both.", {
        code: "TOKEN_STORE_OPTIONS",
        keys: ["dataSource", "type"],
      });
    }
    const tableName = identifier(o.tableName ?? PYTHON_SDK_TABLE.tableName, "tableName");
    const schema = o.schema === undefined ? undefined : identifier(o.schema, "schema");
    this.columns = resolveColumns(o.columns);
    this.synchronize = o.synchronize ?? false;
    this.lockTimeoutMs = positiveMs(o.lockTimeoutMs, 30_000, "lockTimeoutMs", TYPEORM_STORE);

    let database: string | undefined;
    if (o.dataSource !== undefined) {
      const ds = o.dataSource as DataSource;
      if (typeof ds !== "object" || ds === null || typeof ds.createQueryRunner !== "function" || typeof ds.initialize !== "function") {
        throw new ZohoConfigError("TypeOrmTokenStore: `dataSource` must be a TypeORM DataSource.", {
          code: "TOKEN_STORE_OPTIONS",
          keys: ["dataSource"],
        });
      }
      this.dataSource = ds;
      this.owned = false;
      this.dialect = dialectOf(ds.options?.type, "dataSource");
      database = o.database === undefined ? undefined : identifier(o.database, "database");
      this.where = `${ds.options.type} DataSource`;
    } else {
      if (o.type === undefined) {
        throw new ZohoConfigError("TypeOrmTokenStore needs `dataSource` (your TypeORM DataSource) or `type` with connection options.", {
          code: "TOKEN_STORE_OPTIONS",
          keys: ["dataSource", "type"],
        });
      }
      this.dialect = dialectOf(o.type, "type");
      const schemaEntity = { tableName, ...(schema === undefined ? {} : { schema }), columns: o.columns };
      const built = buildDataSourceOptions(o as TypeOrmTokenStoreConnectionOptions, this.dialect);
      this.dataSource = new DataSource({ ...built.options, entities: [createTokenEntitySchema(schemaEntity)] } as DataSourceOptions);
      this.owned = true;
      this.where = built.where;
    }
    if (this.dialect === "sqlite" && (schema !== undefined || database !== undefined)) {
      throw new ZohoConfigError("TypeOrmTokenStore: SQLite has no schemas or databases to name; use `tableName` only.", {
        code: "TOKEN_STORE_OPTIONS",
        keys: schema !== undefined ? ["schema"] : ["database"],
      });
    }
    if (this.dialect === "mysql" && schema !== undefined) {
      throw new ZohoConfigError("TypeOrmTokenStore: MySQL/MariaDB have no schemas inside a database; use `database` to name where the table is.", {
        code: "TOKEN_STORE_OPTIONS",
        keys: ["schema"],
      });
    }
    if (this.dialect === "postgres" && database !== undefined) {
      throw new ZohoConfigError("TypeOrmTokenStore: PostgreSQL cannot address a table in another database; connect to it and use `schema`.", {
        code: "TOKEN_STORE_OPTIONS",
        keys: ["database"],
      });
    }
    this.tablePath = [database, schema, tableName].filter((p): p is string => p !== undefined).join(".");
    this.tableKeys = ["tableName", ...(database ? ["database"] : []), ...(schema ? ["schema"] : [])];
    this.lockSite = {
      dataSource: this.dataSource,
      tablePath: this.tablePath,
      where: this.where,
      lockTimeoutMs: this.lockTimeoutMs,
      run: (op, phase) => this.run(op, [], phase),
      mapError: (error) => this.mapError(error, []),
    };
  }

  /** Printing the store shows where the tokens are, never the connection's password nor the tokens. */
  [inspect.custom](): string {
    return `TypeOrmTokenStore { where: ${inspect(this.where)}, table: ${inspect(this.tablePath)}, password: ${this.hasPassword() ? "'[REDACTED]'" : "undefined"} }`;
  }

  /** `JSON.stringify(store)`: the same safe view. */
  toJSON(): Record<string, unknown> {
    return { where: this.where, table: this.tablePath };
  }

  private hasPassword(): boolean {
    const options = this.dataSource.options as { password?: unknown; url?: unknown };
    return options.password !== undefined || (typeof options.url === "string" && /:[^/@]+@/.test(options.url));
  }

  // --- TokenStore ------------------------------------------------------------------------------

  async get(user: string): Promise<TokenRecord | undefined> {
    assertUser(user);
    const held = this.mutex.heldContext(this.lockKey(user));
    if (held) return this.readRow(held.context, user);
    const ds = await this.ready();
    const runner = ds.createQueryRunner();
    try {
      return await this.retryBusy(() => this.readRow(runner, user), user);
    } finally {
      await runner.release();
    }
  }

  async save(record: TokenRecord): Promise<void> {
    assertRecord(record);
    const copy = copyRecord(record);
    await this.locked(copy.user, (runner) => this.writeRow(runner, copy));
  }

  async delete(user: string): Promise<void> {
    assertUser(user);
    await this.locked(user, (runner) => this.deleteRow(runner, user));
  }

  /**
   * Runs `fn` holding this user's cross-process lock, with the row as read inside the lock;
   * persists what `fn` returns and resolves to the record now stored. Errors from `fn` release the
   * lock (rolling back) and propagate.
   */
  async withLock(user: string, fn: LockedRefresh): Promise<TokenRecord | undefined> {
    assertUser(user);
    return this.locked(user, async (runner) => {
      const current = await this.readRow(runner, user);
      const next = await fn(current === undefined ? undefined : copyRecord(current));
      if (next === undefined) return current;
      assertRecord(next);
      assertSameUser(user, next);
      const copy = copyRecord(next);
      await this.writeRow(runner, copy);
      return copyRecord(copy);
    });
  }

  /** The users with a row in the table. */
  async users(): Promise<string[]> {
    const ds = await this.ready();
    const runner = ds.createQueryRunner();
    try {
      const result = await this.retryBusy(
        () => this.sql(runner, `SELECT ${this.q(this.columns.user)} AS ${this.q("u")} FROM ${this.qualifiedTable()}`, {}),
        undefined,
      );
      return [...new Set(((result.records ?? []) as { u: unknown }[]).map((row) => String(row.u)))].sort();
    } finally {
      await runner.release();
    }
  }

  /** Destroys the DataSource when the store built it; a DataSource you passed is left open. */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.owned) return;
    await this.initializing?.catch(() => undefined);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  /**
   * Creates the table if it does not exist, with the Python SDK's column definitions
   * (`varchar(100)` ×3, `bigint`) plus a primary key on the user column (and the `apiDomain`
   * column, `varchar(255)`, when configured — added to an existing table that lacks it).
   */
  async ensureTable(): Promise<void> {
    const ds = await this.initialized();
    const runner = ds.createQueryRunner();
    try {
      await this.retryBusy(() => this.createTableIfMissing(runner), undefined);
    } finally {
      await runner.release();
    }
  }

  // --- internals --------------------------------------------------------------------------------

  private q(name: string): string {
    return this.dataSource.driver.escape(name);
  }

  private qualifiedTable(): string {
    return this.tablePath
      .split(".")
      .map((part) => this.q(part))
      .join(".");
  }

  /**
   * `user column = :user`, compared exactly. MySQL/MariaDB compare a varchar by its collation —
   * usually case- and trailing-space-insensitive — so `VICTIM@EXAMPLE.COM` would read and overwrite
   * `victim@example.com`'s row while locking a different name; a BINARY comparison makes the row
   * the same identity as the lock (which hashes the exact string). PostgreSQL and SQLite compare
   * exactly already.
   */
  private userMatches(): string {
    return this.dialect === "mysql" ? `${this.q(this.columns.user)} = BINARY :user` : `${this.q(this.columns.user)} = :user`;
  }

  private lockKey(user: string): string {
    // SQLite: one connection and one writer per database, so every locked operation is serialised.
    return this.dialect === "sqlite" ? "*" : user;
  }

  private async initialized(): Promise<DataSource> {
    if (this.closed) {
      throw new ZohoConfigError("This TypeOrmTokenStore was closed; create a new one.", { code: "TOKEN_STORE_CLOSED", keys: [] });
    }
    if (this.dataSource.isInitialized) return this.dataSource;
    this.initializing ??= this.dataSource.initialize().catch((error: unknown) => {
      this.initializing = undefined;
      throw this.mapError(error, [], "connect");
    });
    return this.initializing;
  }

  private async ready(): Promise<DataSource> {
    const ds = await this.initialized();
    if (this.synchronize) {
      this.synchronized ??= this.ensureTable().catch((error: unknown) => {
        this.synchronized = undefined;
        throw error;
      });
      await this.synchronized;
    }
    return ds;
  }

  private async createTableIfMissing(runner: QueryRunner): Promise<void> {
    const c = this.columns;
    const definitions = tableDefinitions(c, (name) => this.q(name));
    await this.run(() => runner.query(`CREATE TABLE IF NOT EXISTS ${this.qualifiedTable()} (${definitions.join(", ")})`), []);
    if (c.apiDomain !== undefined && !(await this.run(() => runner.hasColumn(this.tablePath, c.apiDomain as string), []))) {
      try {
        await runner.query(`ALTER TABLE ${this.qualifiedTable()} ADD COLUMN ${this.q(c.apiDomain)} varchar(255)`);
      } catch (error) {
        // Another process may have added it meanwhile.
        if (!(await this.run(() => runner.hasColumn(this.tablePath, c.apiDomain as string), []))) throw this.mapError(error, []);
      }
    }
  }

  /**
   * Runs one statement: identifiers escaped by the driver (and validated at construction), values
   * only as `:named` parameters that TypeORM's driver turns into bound placeholders. Plain SQL
   * rather than the query builder, which would resolve an entity registered for the same table
   * and then demand its property names.
   */
  private async sql(runner: QueryRunner, text: string, parameters: Record<string, unknown>, secrets: readonly string[] = []) {
    const [query, values] = this.dataSource.driver.escapeQueryWithParameters(text, parameters);
    return this.run(() => runner.query(query, values, true), secrets);
  }

  private async readRow(runner: QueryRunner, user: string): Promise<TokenRecord | undefined> {
    const c = this.columns;
    const selected = [
      `${this.q(c.accessToken)} AS ${this.q("a")}`,
      `${this.q(c.refreshToken)} AS ${this.q("r")}`,
      `${this.q(c.expiresAt)} AS ${this.q("e")}`,
      ...(c.apiDomain === undefined ? [] : [`${this.q(c.apiDomain)} AS ${this.q("d")}`]),
    ];
    const result = await this.sql(
      runner,
      `SELECT ${selected.join(", ")} FROM ${this.qualifiedTable()} WHERE ${this.userMatches()} ORDER BY ${this.q(c.expiresAt)} DESC LIMIT 1`,
      { user },
    );
    const row = (result.records as { a: unknown; r: unknown; e: unknown; d?: unknown }[] | undefined)?.[0];
    if (row === undefined) return undefined;
    const expiresAt = Number(row.e);
    const record: TokenRecord = {
      user,
      accessToken: row.a === null || row.a === undefined ? "" : String(row.a),
      refreshToken: row.r === null || row.r === undefined ? "" : String(row.r),
      expiresAt: Number.isFinite(expiresAt) ? expiresAt : 0,
    };
    if (row.d !== null && row.d !== undefined && row.d !== "") record.apiDomain = String(row.d);
    return record;
  }

  private async deleteRow(runner: QueryRunner, user: string): Promise<void> {
    await this.sql(runner, `DELETE FROM ${this.qualifiedTable()} WHERE ${this.userMatches()}`, { user });
  }

  /** Upsert by user: UPDATE; when it matched nothing and no row exists, INSERT. Called under the user's lock. */
  private async writeRow(runner: QueryRunner, record: TokenRecord): Promise<void> {
    const c = this.columns;
    const secrets = [record.accessToken, record.refreshToken];
    // TypeORM's SQLite driver inlines JS numbers into the SQL text; a BigInt stays a bound parameter.
    const expiry = this.dialect === "sqlite" ? BigInt(Math.round(record.expiresAt)) : Math.round(record.expiresAt);
    const values: [column: string, parameter: string, value: unknown][] = [
      [c.accessToken, "accessToken", record.accessToken],
      [c.refreshToken, "refreshToken", record.refreshToken],
      [c.expiresAt, "expiresAt", expiry],
      ...(c.apiDomain === undefined ? [] : [[c.apiDomain, "apiDomain", record.apiDomain ?? null] as [string, string, unknown]]),
    ];
    const parameters: Record<string, unknown> = { user: record.user };
    for (const [, name, value] of values) parameters[name] = value;
    const table = this.qualifiedTable();
    const userColumn = this.q(c.user);

    const upsert = async (): Promise<void> => {
      const updated = await this.sql(
        runner,
        `UPDATE ${table} SET ${values.map(([column, name]) => `${this.q(column)} = :${name}`).join(", ")} WHERE ${this.userMatches()}`,
        parameters,
        secrets,
      );
      if ((updated.affected ?? 0) > 0) return;
      // A no-op UPDATE can report 0 rows on MySQL without CLIENT_FOUND_ROWS: check before inserting.
      const existing = await this.sql(runner, `SELECT ${userColumn} AS ${this.q("u")} FROM ${table} WHERE ${this.userMatches()} LIMIT 1`, {
        user: record.user,
      });
      if ((existing.records?.length ?? 0) > 0) return;
      await this.sql(
        runner,
        `INSERT INTO ${table} (${[userColumn, ...values.map(([column]) => this.q(column))].join(", ")}) ` +
          `VALUES (${[":user", ...values.map(([, name]) => `:${name}`)].join(", ")})`,
        parameters,
        secrets,
      );
    };

    if (this.dialect !== "mysql" || runner.isTransactionActive) return upsert();
    // MySQL: the named lock is held on this connection; make the upsert itself atomic too.
    await this.run(() => runner.startTransaction(), []);
    try {
      await upsert();
      await this.run(() => runner.commitTransaction(), []);
    } catch (error) {
      await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  }

  /** Serialises per user in this process, then takes the cross-process lock, then runs `work`. */
  private async locked<T>(user: string, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const key = this.lockKey(user);
    if (this.mutex.heldContext(key)) return this.mutex.run(key, work);
    const ds = await this.ready();
    return this.mutex.run(key, work, () => this.acquire(ds, user));
  }

  private async acquire(ds: DataSource, user: string): Promise<HeldLock> {
    const runner = ds.createQueryRunner("master");
    try {
      return await ACQUIRE[this.dialect](runner, user, this.lockSite);
    } catch (error) {
      await runner.release().catch(() => undefined);
      throw error;
    }
  }

  /** SQLite answers SQLITE_BUSY when another process writes; wait asynchronously (bounded) and retry. */
  private retryBusy<T>(op: () => Promise<T>, user: string | undefined): Promise<T> {
    return this.dialect === "sqlite" ? retrySqliteBusy(op, user, this.lockSite) : op();
  }

  /** Runs a database call, turning driver errors into typed errors without query parameters (tokens). */
  private async run<T>(op: () => Promise<T>, secrets: readonly string[], phase: "query" | "connect" = "query"): Promise<T> {
    try {
      return await op();
    } catch (error) {
      throw this.mapError(error, secrets, phase);
    }
  }

  private mapError(error: unknown, secrets: readonly string[], phase: "query" | "connect" = "query"): Error {
    return mapStoreError(error, { where: this.where, tablePath: this.tablePath, tableKeys: this.tableKeys }, { secrets, phase });
  }
}

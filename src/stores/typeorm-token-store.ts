import { createHash } from "node:crypto";
import { DataSource, EntitySchema } from "typeorm";
import type { DataSourceOptions, QueryRunner } from "typeorm";
import { ZohoConfigError, ZohoNetworkError } from "../errors.js";
import type { LockedRefresh, TokenRecord, TokenStore } from "./token-store.js";
import { KeyedMutex, assertRecord, assertSameUser, assertUser, backoffMs, copyRecord, lockTimeoutError, sanitizedCause, sleep } from "./store-utils.js";

/** Database engines the TypeORM store supports. */
export type TypeOrmTokenStoreType = "mysql" | "mariadb" | "postgres" | "better-sqlite3";

/** Column names; defaults are the Python SDK's (`useridentifier`, `accesstoken`, `refreshtoken`, `expirytime`). */
export interface TypeOrmTokenStoreColumns {
  user?: string;
  accessToken?: string;
  refreshToken?: string;
  /** Epoch milliseconds, `bigint`. */
  expiresAt?: string;
  /**
   * Column for the token response's `api_domain`. The Python SDK's table has none, so by default
   * the API domain is not persisted; name a column (e.g. `"apidomain"`) to keep it.
   */
  apiDomain?: string | null;
}

/** Where the tokens live and how the store behaves, for both ways of building the store. */
export interface TypeOrmTokenStoreTableOptions {
  /** Default `oauthtokens` (the Python SDK's table). */
  tableName?: string;
  /** PostgreSQL schema holding the table (default: the connection's search_path). */
  schema?: string;
  columns?: TypeOrmTokenStoreColumns;
  /**
   * Create the table (Python SDK definitions, plus a primary key on the user column) when missing,
   * on first use. Default false: creating tables is opt-in. Never alters an existing table, except
   * to add the configured `columns.apiDomain` column when it is missing. See also `ensureTable()`.
   */
  synchronize?: boolean;
  /** How long `withLock`/`save`/`delete` wait for another process's lock on the same user. Default 30 000 ms. */
  lockTimeoutMs?: number;
}

/** Use your own TypeORM `DataSource` (initialized or not); the store never destroys it. */
export interface TypeOrmTokenStoreDataSourceOptions extends TypeOrmTokenStoreTableOptions {
  dataSource: DataSource;
  /** MySQL/MariaDB database holding the table, when it is not the connection's (e.g. `zohooauth`). */
  database?: string;
  type?: undefined;
}

/** Let the store build (and own) its DataSource. */
export interface TypeOrmTokenStoreConnectionOptions extends TypeOrmTokenStoreTableOptions {
  type: TypeOrmTokenStoreType;
  /** Connection URL (MySQL/PostgreSQL); alternative to host/port/username/password/database. */
  url?: string;
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  /**
   * MySQL/MariaDB: the database (default `zohooauth`, the Python SDK's). PostgreSQL: the database
   * (default: the driver's). better-sqlite3: the database file path (required; `:memory:` works).
   */
  database?: string;
  ssl?: boolean | Record<string, unknown>;
  poolSize?: number;
  connectTimeoutMs?: number;
  /** better-sqlite3 busy timeout per attempt; lock waits beyond it are retried asynchronously. Default 50 ms. */
  busyTimeoutMs?: number;
  /** Passed to TypeORM (`logging`). Default false. Parameters include tokens: do not enable in production. */
  logging?: boolean;
  /** Driver-specific options (TypeORM `extra`). */
  extra?: Record<string, unknown>;
  dataSource?: undefined;
}

export type TypeOrmTokenStoreOptions = TypeOrmTokenStoreDataSourceOptions | TypeOrmTokenStoreConnectionOptions;

/** The Python SDK's table: `zohooauth.oauthtokens`. */
export const PYTHON_SDK_TABLE = {
  database: "zohooauth",
  tableName: "oauthtokens",
  columns: { user: "useridentifier", accessToken: "accesstoken", refreshToken: "refreshtoken", expiresAt: "expirytime" },
} as const;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const TYPES: readonly TypeOrmTokenStoreType[] = ["mysql", "mariadb", "postgres", "better-sqlite3"];

type Dialect = "mysql" | "postgres" | "sqlite";

interface ResolvedColumns {
  user: string;
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  apiDomain: string | undefined;
}

/** The row shape of {@link createTokenEntitySchema}. */
export interface TokenRow {
  user: string;
  accessToken: string | null;
  refreshToken: string | null;
  /** bigint: drivers return it as a string. */
  expiresAt: string | number | null;
  apiDomain?: string | null;
}

function identifier(value: unknown, key: string): string {
  if (typeof value !== "string" || !IDENTIFIER.test(value)) {
    throw new ZohoConfigError(
      `TypeOrmTokenStore: \`${key}\` must be a plain SQL identifier matching ${String(IDENTIFIER)} (letters, digits, _ and $; not starting with a digit).`,
      { code: "TOKEN_STORE_IDENTIFIER", keys: [key] },
    );
  }
  return value;
}

function resolveColumns(columns: TypeOrmTokenStoreColumns | undefined): ResolvedColumns {
  const c = columns ?? {};
  const d = PYTHON_SDK_TABLE.columns;
  const resolved: ResolvedColumns = {
    user: identifier(c.user ?? d.user, "columns.user"),
    accessToken: identifier(c.accessToken ?? d.accessToken, "columns.accessToken"),
    refreshToken: identifier(c.refreshToken ?? d.refreshToken, "columns.refreshToken"),
    expiresAt: identifier(c.expiresAt ?? d.expiresAt, "columns.expiresAt"),
    apiDomain: c.apiDomain === undefined || c.apiDomain === null ? undefined : identifier(c.apiDomain, "columns.apiDomain"),
  };
  const names = Object.values(resolved)
    .filter((n): n is string => n !== undefined)
    .map((n) => n.toLowerCase());
  if (new Set(names).size !== names.length) {
    throw new ZohoConfigError("TypeOrmTokenStore: `columns` must name a different column for each field.", {
      code: "TOKEN_STORE_IDENTIFIER",
      keys: ["columns"],
    });
  }
  return resolved;
}

/**
 * A TypeORM `EntitySchema` (no decorators) describing the token table, for applications that want
 * it in their own DataSource's `entities` / migrations. The store itself does not need it to be
 * registered: it queries the table by name, so it also works with tables TypeORM does not know.
 */
export function createTokenEntitySchema(
  options: { tableName?: string; schema?: string; database?: string; columns?: TypeOrmTokenStoreColumns } = {},
): EntitySchema<TokenRow> {
  const tableName = identifier(options.tableName ?? PYTHON_SDK_TABLE.tableName, "tableName");
  const columns = resolveColumns(options.columns);
  return new EntitySchema<TokenRow>({
    name: `ZcrmOAuthToken_${[options.database, options.schema, tableName].filter(Boolean).join("_")}`,
    tableName,
    ...(options.schema === undefined ? {} : { schema: identifier(options.schema, "schema") }),
    ...(options.database === undefined ? {} : { database: identifier(options.database, "database") }),
    columns: {
      user: { name: columns.user, type: "varchar", length: 100, primary: true },
      accessToken: { name: columns.accessToken, type: "varchar", length: 100, nullable: true },
      refreshToken: { name: columns.refreshToken, type: "varchar", length: 100, nullable: true },
      expiresAt: { name: columns.expiresAt, type: "bigint", nullable: true },
      ...(columns.apiDomain === undefined ? {} : { apiDomain: { name: columns.apiDomain, type: "varchar" as const, length: 255, nullable: true } }),
    },
  });
}

function driverCode(error: unknown): string {
  const e = (error ?? {}) as { code?: unknown; driverError?: { code?: unknown } };
  return String(e.driverError?.code ?? e.code ?? "");
}

function isSqliteBusy(error: unknown): boolean {
  const code = driverCode(error);
  return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED");
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "EAI_AGAIN",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_CON_COUNT_ERROR",
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08006",
  "53300",
]);

/**
 * Persists tokens in a SQL table through TypeORM: by default the Python SDK's
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
    this.lockTimeoutMs = positive(o.lockTimeoutMs, 30_000, "lockTimeoutMs");

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
    const definitions = [
      `${this.q(c.user)} varchar(100) NOT NULL`,
      `${this.q(c.accessToken)} varchar(100)`,
      `${this.q(c.refreshToken)} varchar(100)`,
      `${this.q(c.expiresAt)} bigint`,
      ...(c.apiDomain === undefined ? [] : [`${this.q(c.apiDomain)} varchar(255)`]),
      `PRIMARY KEY (${this.q(c.user)})`,
    ];
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
      `SELECT ${selected.join(", ")} FROM ${this.qualifiedTable()} WHERE ${this.q(c.user)} = :user ORDER BY ${this.q(c.expiresAt)} DESC LIMIT 1`,
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
    await this.sql(runner, `DELETE FROM ${this.qualifiedTable()} WHERE ${this.q(this.columns.user)} = :user`, { user });
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
        `UPDATE ${table} SET ${values.map(([column, name]) => `${this.q(column)} = :${name}`).join(", ")} WHERE ${userColumn} = :user`,
        parameters,
        secrets,
      );
      if ((updated.affected ?? 0) > 0) return;
      // A no-op UPDATE can report 0 rows on MySQL without CLIENT_FOUND_ROWS: check before inserting.
      const existing = await this.sql(runner, `SELECT ${userColumn} AS ${this.q("u")} FROM ${table} WHERE ${userColumn} = :user LIMIT 1`, {
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

  private async acquire(ds: DataSource, user: string): Promise<{ context: QueryRunner; release: (failed: boolean) => Promise<void> }> {
    const runner = ds.createQueryRunner("master");
    try {
      if (this.dialect === "mysql") return await this.acquireMysql(runner, user);
      if (this.dialect === "postgres") return await this.acquirePostgres(runner, user);
      return await this.acquireSqlite(runner, user);
    } catch (error) {
      await runner.release().catch(() => undefined);
      throw error;
    }
  }

  private async acquireMysql(runner: QueryRunner, user: string) {
    await this.run(() => runner.connect(), [], "connect");
    const database = this.tablePath.includes(".") ? this.tablePath.split(".")[0] : String((this.dataSource.driver as { database?: string }).database ?? "");
    const table = this.tablePath.split(".").pop() as string;
    // Named locks are server-wide and at most 64 characters: hash database + table + user.
    const name = `zcrm:${createHash("sha256").update(`${database}\u0000${table}\u0000${user}`).digest("hex").slice(0, 48)}`;
    const seconds = Math.max(1, Math.ceil(this.lockTimeoutMs / 1000));
    const rows = (await this.run(() => runner.query("SELECT GET_LOCK(?, ?) AS acquired", [name, seconds]), [])) as { acquired: unknown }[];
    const acquired = rows[0]?.acquired;
    if (acquired === null || acquired === undefined || Number(acquired) !== 1) {
      throw lockTimeoutError(`MySQL GET_LOCK on ${this.tablePath}`, user, seconds * 1000, "retry later, or raise lockTimeoutMs.");
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

  private async acquirePostgres(runner: QueryRunner, user: string) {
    await this.run(() => runner.connect(), [], "connect");
    await this.run(() => runner.startTransaction(), []);
    try {
      await this.run(() => runner.query("SELECT set_config('lock_timeout', $1, true)", [`${Math.ceil(this.lockTimeoutMs)}ms`]), []);
      await runner.query("SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))", [`zcrm:${this.tablePath}`, user]);
    } catch (error) {
      await runner.rollbackTransaction().catch(() => undefined);
      if (driverCode(error) === "55P03") {
        throw lockTimeoutError(`PostgreSQL advisory lock on ${this.tablePath}`, user, this.lockTimeoutMs, "retry later, or raise lockTimeoutMs.");
      }
      throw this.mapError(error, []);
    }
    return {
      context: runner,
      release: async (failed: boolean) => {
        try {
          if (failed) await runner.rollbackTransaction().catch(() => undefined);
          else await this.run(() => runner.commitTransaction(), []);
        } finally {
          await runner.release().catch(() => undefined);
        }
      },
    };
  }

  private async acquireSqlite(runner: QueryRunner, user: string) {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        await runner.query("BEGIN IMMEDIATE");
        break;
      } catch (error) {
        if (!isSqliteBusy(error)) throw this.mapError(error, []);
        const waited = Date.now() - started;
        if (waited >= this.lockTimeoutMs) {
          throw lockTimeoutError(`SQLite write lock on ${this.where}`, user, waited, "retry later, or raise lockTimeoutMs.");
        }
        await sleep(Math.min(backoffMs(attempt, 5, 100), this.lockTimeoutMs - waited));
      }
    }
    return {
      context: runner,
      release: async (failed: boolean) => {
        try {
          if (failed) {
            await runner.query("ROLLBACK").catch(() => undefined);
            return;
          }
          try {
            await this.retryBusy(() => runner.query("COMMIT"), user);
          } catch (error) {
            await runner.query("ROLLBACK").catch(() => undefined);
            throw error;
          }
        } finally {
          await runner.release().catch(() => undefined);
        }
      },
    };
  }

  /** SQLite answers SQLITE_BUSY when another process writes; wait asynchronously (bounded) and retry. */
  private async retryBusy<T>(op: () => Promise<T>, user: string | undefined): Promise<T> {
    if (this.dialect !== "sqlite") return op();
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await op();
      } catch (error) {
        const cause = (error as { cause?: unknown }).cause ?? error;
        if (!isSqliteBusy(cause) && !isSqliteBusy(error)) throw error;
        const waited = Date.now() - started;
        if (waited >= this.lockTimeoutMs) {
          throw lockTimeoutError(`SQLite database ${this.where} is busy`, user, waited, "retry later, or raise lockTimeoutMs.");
        }
        await sleep(Math.min(backoffMs(attempt, 5, 100), this.lockTimeoutMs - waited));
      }
    }
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
    if (error instanceof ZohoConfigError || error instanceof ZohoNetworkError) return error;
    const code = driverCode(error);
    const cause = sanitizedCause(error, secrets);
    const message = cause.message;
    const at = `${this.where}, table ${this.tablePath}`;
    if (NETWORK_CODES.has(code) || /ECONNREFUSED|Connection terminated|connect ETIMEDOUT|timeout expired/i.test(message)) {
      return new ZohoNetworkError(`The token store database is unreachable (${at}): ${message}. Check that the server runs and host/port are right.`, {
        code: "TOKEN_STORE_UNREACHABLE",
        cause,
      });
    }
    const config = (c: string, what: string, keys: readonly string[]): ZohoConfigError =>
      new ZohoConfigError(`Token store (${at}): ${what} — ${message}`, { code: c, keys, cause });
    if (code === "ER_NO_SUCH_TABLE" || code === "42P01" || (code.startsWith("SQLITE_ERROR") && /no such table/i.test(message))) {
      return config(
        "TOKEN_TABLE_MISSING",
        "the token table does not exist; create it (ensureTable(), or `synchronize: true`, or the Python SDK's CREATE TABLE)",
        this.tableKeys,
      );
    }
    if (code === "ER_BAD_FIELD_ERROR" || code === "42703" || (code.startsWith("SQLITE_ERROR") && /no such column|has no column/i.test(message))) {
      return config("TOKEN_TABLE_MISMATCH", "the token table lacks a configured column; check `columns`", ["columns"]);
    }
    if (code === "ER_BAD_DB_ERROR" || code === "3D000" || code === "3F000") {
      return config("TOKEN_STORE_DATABASE_MISSING", "the database or schema does not exist; create it first", ["database", "schema"]);
    }
    if (
      ["ER_ACCESS_DENIED_ERROR", "ER_DBACCESS_DENIED_ERROR", "ER_TABLEACCESS_DENIED_ERROR", "28P01", "28000", "42501"].includes(code) ||
      code.startsWith("SQLITE_READONLY") ||
      code.startsWith("SQLITE_CANTOPEN") ||
      code.startsWith("SQLITE_PERM")
    ) {
      return config("TOKEN_STORE_ACCESS_DENIED", "access denied; check the credentials and privileges (or file permissions)", ["username", "password"]);
    }
    return config(
      phase === "connect" ? "TOKEN_STORE_CONNECT_FAILED" : "TOKEN_STORE_QUERY_FAILED",
      phase === "connect" ? "could not connect" : "a query failed",
      phase === "connect" ? ["type", "host", "port", "database"] : this.tableKeys,
    );
  }
}

function dialectOf(type: unknown, key: string): Dialect {
  if (type === "mysql" || type === "mariadb") return "mysql";
  if (type === "postgres") return "postgres";
  if (type === "better-sqlite3") return "sqlite";
  throw new ZohoConfigError(
    `TypeOrmTokenStore: unsupported database type ${JSON.stringify(String(type))}; use one of ${TYPES.map((t) => `"${t}"`).join(", ")}.`,
    { code: "TOKEN_STORE_UNSUPPORTED_TYPE", keys: [key === "dataSource" ? "dataSource" : "type"] },
  );
}

function positive(value: number | undefined, fallback: number, key: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ZohoConfigError(`TypeOrmTokenStore: \`${key}\` must be a positive number of milliseconds.`, {
      code: "TOKEN_STORE_OPTIONS",
      keys: [key],
    });
  }
  return value;
}

function buildDataSourceOptions(o: TypeOrmTokenStoreConnectionOptions, dialect: Dialect): { options: Record<string, unknown>; where: string } {
  const common = { synchronize: false, logging: o.logging ?? false, ...(o.extra === undefined ? {} : { extra: o.extra }) };
  if (dialect === "sqlite") {
    if (typeof o.database !== "string" || o.database === "") {
      throw new ZohoConfigError("TypeOrmTokenStore: for better-sqlite3, `database` is the database file path and is required.", {
        code: "TOKEN_STORE_OPTIONS",
        keys: ["database"],
      });
    }
    const busy = Math.max(0, Math.floor(positive(o.busyTimeoutMs ?? 50, 50, "busyTimeoutMs")));
    return {
      where: o.database,
      options: {
        ...common,
        type: "better-sqlite3",
        database: o.database,
        // Generous while opening (switching to WAL needs a moment of exclusivity), short afterwards:
        // better-sqlite3 waits synchronously, so lock waits are retried asynchronously instead.
        timeout: 5000,
        prepareDatabase: (db: { pragma: (source: string) => unknown }) => {
          if (o.database !== ":memory:") db.pragma("journal_mode = WAL");
          db.pragma(`busy_timeout = ${busy}`);
        },
      },
    };
  }
  const database = o.database === undefined ? (dialect === "mysql" ? PYTHON_SDK_TABLE.database : undefined) : identifierOrName(o.database);
  const host = o.host ?? (o.url === undefined ? "127.0.0.1" : undefined);
  const where = o.url !== undefined ? `${o.type} (url)` : `${o.type} ${host}:${o.port ?? (dialect === "mysql" ? 3306 : 5432)}/${database ?? ""}`;
  const options: Record<string, unknown> = {
    ...common,
    type: o.type,
    ...(o.url === undefined ? {} : { url: o.url }),
    ...(host === undefined ? {} : { host }),
    ...(o.port === undefined ? {} : { port: o.port }),
    ...(o.username === undefined ? {} : { username: o.username }),
    ...(o.password === undefined ? {} : { password: o.password }),
    ...(database === undefined ? {} : { database }),
    ...(o.ssl === undefined ? {} : { ssl: o.ssl }),
    ...(o.poolSize === undefined ? {} : { poolSize: o.poolSize }),
  };
  if (o.connectTimeoutMs !== undefined) {
    if (dialect === "mysql") options.connectTimeout = o.connectTimeoutMs;
    else options.connectTimeoutMS = o.connectTimeoutMs;
  }
  return { options, where };
}

function identifierOrName(database: string): string {
  // Database names travel as connection parameters, not SQL text, but keep them to the same safe set.
  return identifier(database, "database");
}

/**
 * The TypeORM token store's options: the two ways to build it (your DataSource, or connection
 * options), the table and column names (the Python SDK's by default), and their validation.
 */
import type { DataSource } from "typeorm";
import { ZohoConfigError } from "../../errors.js";
import { positiveMs } from "../store-utils.js";

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

export type Dialect = "mysql" | "postgres" | "sqlite";

export interface ResolvedColumns {
  user: string;
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  apiDomain: string | undefined;
}

export function identifier(value: unknown, key: string): string {
  if (typeof value !== "string" || !IDENTIFIER.test(value)) {
    throw new ZohoConfigError(
      `TypeOrmTokenStore: \`${key}\` must be a plain SQL identifier matching ${String(IDENTIFIER)} (letters, digits, _ and $; not starting with a digit).`,
      { code: "TOKEN_STORE_IDENTIFIER", keys: [key] },
    );
  }
  return value;
}

export function resolveColumns(columns: TypeOrmTokenStoreColumns | undefined): ResolvedColumns {
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

export function dialectOf(type: unknown, key: string): Dialect {
  if (type === "mysql" || type === "mariadb") return "mysql";
  if (type === "postgres") return "postgres";
  if (type === "better-sqlite3") return "sqlite";
  throw new ZohoConfigError(
    `TypeOrmTokenStore: unsupported database type ${JSON.stringify(String(type))}; use one of ${TYPES.map((t) => `"${t}"`).join(", ")}.`,
    { code: "TOKEN_STORE_UNSUPPORTED_TYPE", keys: [key === "dataSource" ? "dataSource" : "type"] },
  );
}

export function buildDataSourceOptions(o: TypeOrmTokenStoreConnectionOptions, dialect: Dialect): { options: Record<string, unknown>; where: string } {
  const common = { synchronize: false, logging: o.logging ?? false, ...(o.extra === undefined ? {} : { extra: o.extra }) };
  if (dialect === "sqlite") {
    if (typeof o.database !== "string" || o.database === "") {
      throw new ZohoConfigError("TypeOrmTokenStore: for better-sqlite3, `database` is the database file path and is required.", {
        code: "TOKEN_STORE_OPTIONS",
        keys: ["database"],
      });
    }
    const busy = Math.max(0, Math.floor(positiveMs(o.busyTimeoutMs ?? 50, 50, "busyTimeoutMs", { store: "TypeOrmTokenStore", code: "TOKEN_STORE_OPTIONS" })));
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

/**
 * Driver errors (mysql2, pg, better-sqlite3, via TypeORM) as the SDK's typed errors: an unreachable
 * server is a `ZohoNetworkError`, a missing table or column, a missing database or a refused login
 * a `ZohoConfigError` naming the options to fix. Query parameters (tokens) never reach the message.
 */
import { ZohoConfigError, ZohoError, ZohoNetworkError } from "../../errors.js";
import { safeCause } from "../../safe-cause.js";

export function driverCode(error: unknown): string {
  const e = (error ?? {}) as { code?: unknown; driverError?: { code?: unknown } };
  return String(e.driverError?.code ?? e.code ?? "");
}

export function isSqliteBusy(error: unknown): boolean {
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
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08006",
]);

/** The server is up but refuses more connections (MySQL ER_CON_COUNT_ERROR, PostgreSQL 53300). */
const TOO_MANY_CONNECTIONS = new Set(["ER_CON_COUNT_ERROR", "53300"]);

/** TypeORM's driver names in its "package has not been found installed" message → the npm package. */
const DRIVER_PACKAGES: ReadonlyArray<readonly [RegExp, string]> = [
  [/sqlite/i, "better-sqlite3"],
  [/postgres/i, "pg"],
  [/mysql|maria/i, "mysql2"],
];

const ACCESS_DENIED = new Set(["ER_ACCESS_DENIED_ERROR", "ER_DBACCESS_DENIED_ERROR", "ER_TABLEACCESS_DENIED_ERROR", "28P01", "28000", "42501"]);

export interface StoreErrorContext {
  /** Where the store connects, without credentials (`mysql 127.0.0.1:3306/zohooauth`). */
  where: string;
  tablePath: string;
  /** The options that name the table (`tableName`, `database`, `schema`). */
  tableKeys: readonly string[];
}

export function mapStoreError(error: unknown, context: StoreErrorContext, options: { secrets?: readonly string[]; phase?: "query" | "connect" } = {}): Error {
  if (error instanceof ZohoError) return error;
  // TypeORM: "<driver> package has not been found installed" (mysql2, pg or better-sqlite3 missing).
  if ((error as { name?: unknown } | null)?.name === "DriverPackageNotInstalledError") {
    const driver = DRIVER_PACKAGES.find(([pattern]) => pattern.test(String((error as Error).message)))?.[1] ?? "the database driver";
    return new ZohoConfigError(
      `Token store (${context.where}): the database driver package is not installed. Install it: npm install ${driver}${driver === "better-sqlite3" ? " (an optional package of zcrm-typed, left out by --omit=optional)" : ""}.`,
      { code: "TOKEN_STORE_DRIVER_MISSING", keys: ["type"] },
    );
  }
  const phase = options.phase ?? "query";
  const code = driverCode(error);
  const cause = safeCause(error, { secrets: options.secrets }) ?? new Error("unknown error");
  const message = cause.message;
  const at = `${context.where}, table ${context.tablePath}`;
  if (TOO_MANY_CONNECTIONS.has(code)) {
    return new ZohoNetworkError(
      `The token store database refused a connection (${at}): ${message}. The server's connection limit is reached: lower \`poolSize\` in this and other processes, or raise the server's max_connections.`,
      { code: "TOKEN_STORE_TOO_MANY_CONNECTIONS", cause },
    );
  }
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
      context.tableKeys,
    );
  }
  if (code === "ER_DUP_ENTRY" || code === "23505" || code.startsWith("SQLITE_CONSTRAINT")) {
    return config(
      "TOKEN_USER_CONFLICT",
      "the table already holds a user that differs from this one only in letter case or trailing spaces, which its user column's collation treats as the same key; tokens are matched exactly, so nothing was overwritten. Use the user's exact email, or give the column a binary collation",
      ["user"],
    );
  }
  if (code === "ER_BAD_FIELD_ERROR" || code === "42703" || (code.startsWith("SQLITE_ERROR") && /no such column|has no column/i.test(message))) {
    return config("TOKEN_TABLE_MISMATCH", "the token table lacks a configured column; check `columns`", ["columns"]);
  }
  if (code === "ER_BAD_DB_ERROR" || code === "3D000" || code === "3F000") {
    return config("TOKEN_STORE_DATABASE_MISSING", "the database or schema does not exist; create it first", ["database", "schema"]);
  }
  if (ACCESS_DENIED.has(code) || code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_PERM")) {
    return config("TOKEN_STORE_ACCESS_DENIED", "access denied; check the credentials and privileges (or file permissions)", ["username", "password"]);
  }
  return config(
    phase === "connect" ? "TOKEN_STORE_CONNECT_FAILED" : "TOKEN_STORE_QUERY_FAILED",
    phase === "connect" ? "could not connect" : "a query failed",
    phase === "connect" ? ["type", "host", "port", "database"] : context.tableKeys,
  );
}

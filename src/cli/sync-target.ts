/**
 * `zcrm sync --to <url>`: the mirror database as a URL — `sqlite:<path>`, `mysql://`,
 * `mariadb://`, `postgres://` / `postgresql://` — turned into an initialized TypeORM DataSource.
 * TypeORM and the drivers are optional packages: a missing one is a configuration error naming
 * the package to install. The password never appears in a message (`redactedUrl`).
 */
import path from "node:path";
import type { DataSource } from "typeorm";
import { ZohoConfigError } from "../errors.js";
import { missingPackage, optionalPackageError } from "../optional-package.js";

export interface SyncTarget {
  /** TypeORM's `type`. */
  type: "better-sqlite3" | "mysql" | "mariadb" | "postgres";
  /** The packages it needs besides typeorm. */
  driver: "better-sqlite3" | "mysql2" | "pg";
  options: Record<string, unknown>;
  /** The URL for messages: password replaced with `***`. */
  redacted: string;
  /** The password, so output can be scrubbed of it. */
  password: string | undefined;
}

const SCHEMES = "sqlite:<path>, mysql://, mariadb://, postgres:// or postgresql://";

function bad(message: string): ZohoConfigError {
  return new ZohoConfigError(`--to: ${message}`, { code: "SYNC_TARGET", keys: ["to"] });
}

/** The URL with its password (if any) replaced, for messages. */
export function redactedUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, "$1***@");
}

/** Where the password may come from instead of the URL (command lines show up in process lists). */
export const SYNC_PASSWORD_ENV = "ZCRM_SYNC_DB_PASSWORD";

/** Parses `--to`; relative SQLite paths are resolved against `cwd`; a password missing from the URL comes from `env`. */
export function parseSyncTarget(text: string, cwd: string, env: NodeJS.ProcessEnv = {}): SyncTarget {
  const redacted = redactedUrl(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad(`"${redacted}" is not a database URL; use ${SCHEMES} (e.g. sqlite:./crm.sqlite or mysql://user@127.0.0.1:3306/crm).`);
  }
  const scheme = url.protocol.replace(/:$/, "").toLowerCase();
  if (scheme === "sqlite") {
    const file = decodeURIComponent(url.pathname);
    if (file === "" || file === "/") throw bad("sqlite:<path> needs a file path, e.g. sqlite:./crm.sqlite.");
    return {
      type: "better-sqlite3",
      driver: "better-sqlite3",
      options: { type: "better-sqlite3", database: path.resolve(cwd, file) },
      redacted,
      password: undefined,
    };
  }
  const kinds: Record<string, { type: SyncTarget["type"]; driver: SyncTarget["driver"]; port: number }> = {
    mysql: { type: "mysql", driver: "mysql2", port: 3306 },
    mariadb: { type: "mariadb", driver: "mysql2", port: 3306 },
    postgres: { type: "postgres", driver: "pg", port: 5432 },
    postgresql: { type: "postgres", driver: "pg", port: 5432 },
  };
  const kind = kinds[scheme];
  if (!kind) throw bad(`unsupported scheme "${scheme}:"; use ${SCHEMES}.`);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!url.hostname) throw bad(`${redacted} names no host, e.g. ${scheme}://user@127.0.0.1/crm.`);
  if (!database || database.includes("/")) throw bad(`${redacted} names no database; add it as the path, e.g. ${scheme}://user@${url.host}/crm.`);
  const password = url.password ? decodeURIComponent(url.password) : env[SYNC_PASSWORD_ENV] || undefined;
  return {
    type: kind.type,
    driver: kind.driver,
    options: {
      type: kind.type,
      host: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port ? Number(url.port) : kind.port,
      username: decodeURIComponent(url.username) || undefined,
      password: password ?? "",
      database,
      poolSize: 4,
    },
    redacted,
    password,
  };
}

async function loadOptional<T>(name: string, target: SyncTarget): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    const missing = missingPackage(error);
    if (!missing) throw error;
    throw optionalPackageError({
      feature: `zcrm sync --to ${target.redacted.split(":")[0]}:`,
      packages: ["typeorm", target.driver],
      missing,
      alternative: `choose another --to database (${SCHEMES})`,
      keys: ["to"],
    });
  }
}

/** Opens the target database (the drivers are checked first, so a missing one is named). */
export async function openSyncTarget(target: SyncTarget): Promise<DataSource> {
  const { DataSource } = await loadOptional<typeof import("typeorm")>("typeorm", target);
  await loadOptional(target.driver, target);
  const dataSource = new DataSource(target.options as never);
  try {
    await dataSource.initialize();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ZohoConfigError(
      `Cannot open the mirror database ${target.redacted} (${reason}); check --to, and that the database exists and accepts this user.`,
      {
        code: "SYNC_TARGET_UNAVAILABLE",
        keys: ["to"],
      },
    );
  }
  return dataSource;
}

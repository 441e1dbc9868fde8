/**
 * Real-database test support. Probes answer quickly whether MariaDB / PostgreSQL are reachable;
 * `describeDb` runs a suite when they are, skips it with a visible message locally when they are
 * not, and FAILS it in CI (`CI=true`), where the databases are required.
 *
 * Use with top-level await so vitest knows before collecting:
 *   const maria = await mariadbAvailable();
 *   describeDb("TypeOrmTokenStore on MariaDB", maria, () => { ... });
 */
import { describe, it } from "vitest";
import mysql from "mysql2/promise";
import pg from "pg";

export interface DbProbe {
  /** "MariaDB" or "PostgreSQL". */
  name: string;
  ok: boolean;
  /** host:port probed. */
  address: string;
  /** Why it is unreachable. */
  reason?: string;
}

export const MARIADB = {
  host: process.env.ZCRM_TEST_MARIADB_HOST ?? "127.0.0.1",
  port: Number(process.env.ZCRM_TEST_MARIADB_PORT ?? 3306),
  username: process.env.ZCRM_TEST_MARIADB_USER ?? "root",
  password: process.env.ZCRM_TEST_MARIADB_PASSWORD ?? "",
  database: "test",
} as const;

export const POSTGRES = {
  host: process.env.ZCRM_TEST_PG_HOST ?? "127.0.0.1",
  port: Number(process.env.ZCRM_TEST_PG_PORT ?? 5432),
  username: process.env.ZCRM_TEST_PG_USER ?? "postgres",
  password: process.env.ZCRM_TEST_PG_PASSWORD ?? "",
  database: "test",
} as const;

const PROBE_TIMEOUT_MS = 15_000; // a busy machine connects slowly; in CI a failed probe fails the suite

export async function mariadbAvailable(): Promise<DbProbe> {
  const address = `${MARIADB.host}:${MARIADB.port}`;
  try {
    const connection = await mysql.createConnection({
      host: MARIADB.host,
      port: MARIADB.port,
      user: MARIADB.username,
      password: MARIADB.password,
      database: MARIADB.database,
      connectTimeout: PROBE_TIMEOUT_MS,
    });
    try {
      await connection.query("SELECT 1");
    } finally {
      await connection.end();
    }
    return { name: "MariaDB", ok: true, address };
  } catch (error) {
    return { name: "MariaDB", ok: false, address, reason: error instanceof Error ? error.message : String(error) };
  }
}

export async function postgresAvailable(): Promise<DbProbe> {
  const address = `${POSTGRES.host}:${POSTGRES.port}`;
  const client = new pg.Client({
    host: POSTGRES.host,
    port: POSTGRES.port,
    user: POSTGRES.username,
    password: POSTGRES.password,
    database: POSTGRES.database,
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
  });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return { name: "PostgreSQL", ok: true, address };
  } catch (error) {
    return { name: "PostgreSQL", ok: false, address, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `describe` that needs a database: runs, skips visibly (local), or fails (CI) per the probe. */
export function describeDb(name: string, probe: DbProbe, fn: () => void): void {
  if (probe.ok) {
    describe(name, fn);
    return;
  }
  const why = `${probe.name} is required in CI but not reachable at ${probe.address}${probe.reason ? ` (${probe.reason})` : ""}`;
  if (process.env.CI === "true") {
    describe(name, () => {
      it(`needs ${probe.name}`, () => {
        throw new Error(`${why}. Start it before the tests (npm run db:up).`);
      });
    });
    return;
  }
  console.warn(
    `\n[zcrm-typed tests] SKIPPING "${name}": ${probe.name} not reachable at ${probe.address}` +
      (probe.reason ? ` (${probe.reason})` : "") +
      ".\n  Start local databases with: npm run db:up   (CI=true makes this a failure)\n",
  );
  describe.skip(name, fn);
}

/** A random suffix for per-file table / database names. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * The behaviour every TypeOrmTokenStore backend must have, run against real databases by
 * typeorm-mariadb / typeorm-postgres / typeorm-sqlite .test.ts.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { itFull } from "../helpers/quick.js";
import { DataSource } from "typeorm";
import { TypeOrmTokenStore } from "../../src/stores/typeorm-token-store.js";
import type { TypeOrmTokenStoreOptions } from "../../src/stores/typeorm-token-store.js";
import type { TokenRecord } from "../../src/stores/token-store.js";
import { ZohoConfigError } from "../../src/errors.js";
import { uniqueSuffix } from "../helpers/databases.js";
import { runLockWorkers } from "./fixtures/run-workers.js";

export interface ContractContext {
  /** Connection options (with `type`) that each store / worker process uses to build its own DataSource. */
  connection: () => Record<string, unknown>;
  /** Parameter placeholder for raw SQL. */
  placeholder: (index: number) => string;
  /** Whether the database rejects strings longer than varchar(100) (SQLite does not). */
  enforcesLength: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function record(user: string, n: number, extra: Partial<TokenRecord> = {}): TokenRecord {
  return {
    user,
    accessToken: `1000.access${n}.${"a".repeat(32)}`,
    refreshToken: `1000.refresh${n}.${"b".repeat(32)}`,
    expiresAt: 1_767_225_600_000 + n,
    ...extra,
  };
}

export function typeormStoreContract(ctx: ContractContext): void {
  const table = `oauthtokens_t${uniqueSuffix()}`;
  const apiTable = `${table}_api`;
  let admin: DataSource;
  const stores: TypeOrmTokenStore[] = [];
  const store = (extra: Partial<TypeOrmTokenStoreOptions> & Record<string, unknown> = {}): TypeOrmTokenStore => {
    const s = new TypeOrmTokenStore({ ...ctx.connection(), tableName: table, ...extra } as TypeOrmTokenStoreOptions);
    stores.push(s);
    return s;
  };
  const q = (name: string) => admin.driver.escape(name);
  const countRows = async (tableName: string, user: string): Promise<number> => {
    const rows = (await admin.query(`SELECT COUNT(*) AS n FROM ${q(tableName)} WHERE ${q("useridentifier")} = ${ctx.placeholder(1)}`, [user])) as {
      n: unknown;
    }[];
    return Number(rows[0]?.n);
  };

  beforeAll(async () => {
    admin = new DataSource(ctx.connection() as never);
    await admin.initialize();
    await store().ensureTable();
  });

  afterAll(async () => {
    for (const s of stores) await s.close().catch(() => undefined);
    if (admin?.isInitialized) {
      for (const t of [table, apiTable, `${table}_sync`]) await admin.query(`DROP TABLE IF EXISTS ${q(t)}`);
      await admin.destroy();
    }
  });

  it("one identity per exact user string: a different letter case or a trailing space never reads or overwrites another user's row", async () => {
    const s = store();
    await s.save(record("victim@example.com", 41));
    for (const impostor of ["VICTIM@EXAMPLE.COM", "victim@example.com ", "Victim@example.com"]) {
      expect(await s.get(impostor), impostor).toBeUndefined();
      // Either its own row (a case-sensitive column) or refused (a case-insensitive key): never an overwrite.
      const saved = await s.save(record(impostor, 42)).catch((e: unknown) => e);
      if (saved !== undefined) expect(saved).toMatchObject({ name: "ZohoConfigError", code: "TOKEN_USER_CONFLICT" });
      else expect(await s.get(impostor)).toEqual(record(impostor, 42));
      expect(await s.withLock(impostor, async () => undefined).catch(() => undefined)).not.toEqual(record("victim@example.com", 41));
      await s.delete(impostor);
      expect(await s.get("victim@example.com")).toEqual(record("victim@example.com", 41));
    }
  });

  it("round-trips save / get / update / delete, one row per user", async () => {
    const s = store();
    expect(await s.get("rt@example.com")).toBeUndefined();
    await s.save(record("rt@example.com", 1));
    expect(await s.get("rt@example.com")).toEqual(record("rt@example.com", 1));
    await s.save(record("rt@example.com", 2));
    const got = await s.get("rt@example.com");
    expect(got).toEqual(record("rt@example.com", 2));
    expect(typeof got?.expiresAt).toBe("number");
    expect(await countRows(table, "rt@example.com")).toBe(1);
    await s.save(record("rt@example.com", 2)); // identical values: still one row
    expect(await countRows(table, "rt@example.com")).toBe(1);
    await s.save(record("other@example.com", 3));
    await s.delete("rt@example.com");
    expect(await s.get("rt@example.com")).toBeUndefined();
    expect(await s.get("other@example.com")).toEqual(record("other@example.com", 3));
    await s.delete("nobody@example.com");
  });

  it("keeps values as bound parameters (quotes and SQL in values are data)", async () => {
    const s = store();
    const user = `o'brien"; DROP TABLE ${table}; --@example.com`;
    await s.save(record(user, 7, { accessToken: "it's'; DELETE FROM x; --" }));
    expect((await s.get(user))?.accessToken).toBe("it's'; DELETE FROM x; --");
    await s.delete(user);
    expect(await s.get(user)).toBeUndefined();
  });

  it("does not persist apiDomain without an apiDomain column; does with columns.apiDomain", async () => {
    const plain = store();
    await plain.save(record("api@example.com", 1, { apiDomain: "https://www.zohoapis.eu" }));
    expect((await plain.get("api@example.com"))?.apiDomain).toBeUndefined();

    const withApi = store({ tableName: apiTable, columns: { apiDomain: "apidomain" }, synchronize: true });
    await withApi.save(record("api@example.com", 1, { apiDomain: "https://www.zohoapis.eu" }));
    expect(await withApi.get("api@example.com")).toEqual(record("api@example.com", 1, { apiDomain: "https://www.zohoapis.eu" }));
    await withApi.save(record("api@example.com", 2));
    expect((await withApi.get("api@example.com"))?.apiDomain).toBeUndefined();
  });

  it("ensureTable adds a configured apiDomain column to an existing table", async () => {
    const sync = `${table}_sync`;
    await store({ tableName: sync }).ensureTable();
    const s = store({ tableName: sync, columns: { apiDomain: "apidomain" } });
    await s.ensureTable();
    await s.save(record("sync@example.com", 1, { apiDomain: "https://www.zohoapis.in" }));
    expect((await s.get("sync@example.com"))?.apiDomain).toBe("https://www.zohoapis.in");
    await s.ensureTable(); // idempotent
  });

  it("reports a missing table as a typed config error", async () => {
    const s = store({ tableName: `missing_${uniqueSuffix()}` });
    const error = await s.get("x@example.com").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoConfigError);
    expect((error as ZohoConfigError).code).toBe("TOKEN_TABLE_MISSING");
    const saveError = await s.save(record("x@example.com", 1)).catch((e: unknown) => e);
    expect((saveError as ZohoConfigError).code).toBe("TOKEN_TABLE_MISSING");
    expect(JSON.stringify(saveError) + String(saveError) + String((saveError as Error).cause)).not.toContain("access1");
  });

  it("never puts token values into thrown errors", async () => {
    if (!ctx.enforcesLength) return;
    const s = store();
    const secret = `1000.SECRET${"x".repeat(200)}`;
    const error = await s.save(record("long@example.com", 1, { accessToken: secret })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoConfigError);
    const everything = [String(error), JSON.stringify(error), String((error as Error).cause), JSON.stringify((error as Error).cause)].join(" ");
    expect(everything).not.toContain("SECRET");
    expect(everything).not.toContain("refresh1");
  });

  it("withLock passes the current record, persists the result, leaves the store alone on undefined", async () => {
    const s = store();
    const seen: (TokenRecord | undefined)[] = [];
    const first = await s.withLock("wl@example.com", async (current) => {
      seen.push(current);
      return record("wl@example.com", 1);
    });
    expect(first).toEqual(record("wl@example.com", 1));
    const second = await s.withLock("wl@example.com", async (current) => {
      seen.push(current);
      return undefined;
    });
    expect(seen).toEqual([undefined, record("wl@example.com", 1)]);
    expect(second).toEqual(record("wl@example.com", 1));
    expect(await s.get("wl@example.com")).toEqual(record("wl@example.com", 1));
  });

  it("withLock: an error in fn propagates, persists nothing and releases the lock", async () => {
    const s = store({ lockTimeoutMs: 5000 });
    await s.save(record("err@example.com", 1));
    await expect(
      s.withLock("err@example.com", async () => {
        throw new Error("refresh failed");
      }),
    ).rejects.toThrow("refresh failed");
    // Another store (own connection / process-like) gets the lock: a leaked one would end in
    // TOKEN_STORE_LOCK_TIMEOUT, however fast or slow the machine.
    const other = store({ lockTimeoutMs: 20_000 });
    await other.withLock("err@example.com", async (current) => ({ ...current!, accessToken: "after" }));
    expect((await s.get("err@example.com"))?.accessToken).toBe("after");
  });

  it("withLock is re-entrant: save / get for the locked user inside fn do not deadlock", async () => {
    const s = store({ lockTimeoutMs: 20_000 });
    const result = await s.withLock("re@example.com", async () => {
      await s.save(record("re@example.com", 5));
      expect((await s.get("re@example.com"))?.accessToken).toBe(record("re@example.com", 5).accessToken);
      await s.save(record("re-other@example.com", 6));
      return record("re@example.com", 6);
    });
    expect(result).toEqual(record("re@example.com", 6));
    expect(await s.get("re-other@example.com")).toEqual(record("re-other@example.com", 6));
  });

  it("200 concurrent withLock calls in one process lose no update", async () => {
    const s = store();
    const user = "inproc@example.com";
    await Promise.all(
      Array.from({ length: 200 }, () =>
        s.withLock(user, async (current) => {
          const n = current ? Number(current.accessToken.replace("count:", "")) : 0;
          await Promise.resolve();
          return { user, accessToken: `count:${n + 1}`, refreshToken: "r", expiresAt: 1 };
        }),
      ),
    );
    expect((await s.get(user))?.accessToken).toBe("count:200");
    expect(await countRows(table, user)).toBe(1);
  });

  it("two stores with separate DataSources in one process lose no update", async () => {
    const a = store();
    const b = store();
    const user = "twods@example.com";
    const bump = (s: TypeOrmTokenStore) =>
      s.withLock(user, async (current) => {
        const n = current ? Number(current.accessToken.replace("count:", "")) : 0;
        await sleep(1);
        return { user, accessToken: `count:${n + 1}`, refreshToken: "r", expiresAt: 1 };
      });
    await Promise.all(Array.from({ length: 20 }, (_, i) => bump(i % 2 ? a : b)));
    expect((await a.get(user))?.accessToken).toBe("count:20");
  });

  itFull("withLock excludes other OS processes: 3 workers x 12 increments = 36", async () => {
    const user = "multiproc@example.com";
    const results = await runLockWorkers(3, {
      store: "typeorm",
      options: { ...ctx.connection(), tableName: table },
      user,
      iterations: 12,
    });
    for (const r of results) expect(r.stderr, r.stderr).toBe("");
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    expect((await store().get(user))?.accessToken).toBe("count:36");
    expect(await countRows(table, user)).toBe(1);
  });

  it("close() leaves a DataSource the caller passed open", async () => {
    const ds = new DataSource(ctx.connection() as never);
    const s = new TypeOrmTokenStore({ dataSource: ds, tableName: table });
    await s.save(record("ds@example.com", 1)); // initializes the caller's DataSource
    expect(ds.isInitialized).toBe(true);
    await s.close();
    expect(ds.isInitialized).toBe(true);
    await ds.destroy();
  });
}

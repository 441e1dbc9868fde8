import { describe, expect, it } from "vitest";
import { TypeOrmTokenStore, createTokenEntitySchema } from "../../src/stores/typeorm-token-store.js";
import { ZohoConfigError, ZohoNetworkError } from "../../src/errors.js";
import { mapStoreError } from "../../src/stores/typeorm/driver-errors.js";
import { thrown } from "../helpers/thrown.js";

const configError = (fn: () => unknown) => thrown(ZohoConfigError, fn);

const sqlite = { type: "better-sqlite3", database: ":memory:" } as const;

describe("TypeOrmTokenStore configuration errors", () => {
  it.each([
    [{ tableName: "oauthtokens; DROP TABLE x" }, "tableName"],
    [{ tableName: "1tokens" }, "tableName"],
    [{ tableName: 'a"b' }, "tableName"],
    [{ columns: { user: "user identifier" } }, "columns.user"],
    [{ columns: { accessToken: "access`token" } }, "columns.accessToken"],
    [{ columns: { refreshToken: "" } }, "columns.refreshToken"],
    [{ columns: { expiresAt: "exp-time" } }, "columns.expiresAt"],
    [{ columns: { apiDomain: "api.domain" } }, "columns.apiDomain"],
  ])("rejects the identifier in %j", (extra, key) => {
    const error = configError(() => new TypeOrmTokenStore({ ...sqlite, ...extra } as never));
    expect(error.code).toBe("TOKEN_STORE_IDENTIFIER");
    expect(error.keys).toEqual([key]);
  });

  it("rejects bad schema / database names", () => {
    expect(configError(() => new TypeOrmTokenStore({ type: "postgres", schema: "public;--" })).keys).toEqual(["schema"]);
    expect(configError(() => new TypeOrmTokenStore({ type: "mysql", database: "zoho-oauth" })).keys).toEqual(["database"]);
  });

  it("rejects duplicate column names", () => {
    expect(configError(() => new TypeOrmTokenStore({ ...sqlite, columns: { accessToken: "useridentifier" } })).keys).toEqual(["columns"]);
  });

  it("rejects an unknown or missing type, and both dataSource and type", () => {
    const unknown = configError(() => new TypeOrmTokenStore({ type: "oracle" } as never));
    expect(unknown.code).toBe("TOKEN_STORE_UNSUPPORTED_TYPE");
    expect(unknown.keys).toEqual(["type"]);
    expect(unknown.message).toContain('"better-sqlite3"');
    expect(configError(() => new TypeOrmTokenStore({} as never)).keys).toEqual(["dataSource", "type"]);
    const fakeDs = { options: { type: "sqlite" }, initialize: () => undefined, createQueryRunner: () => undefined };
    expect(configError(() => new TypeOrmTokenStore({ dataSource: fakeDs as never })).keys).toEqual(["dataSource"]);
    expect(configError(() => new TypeOrmTokenStore({ dataSource: fakeDs, type: "postgres" } as never)).keys).toEqual(["dataSource", "type"]);
    expect(configError(() => new TypeOrmTokenStore({ dataSource: {} as never })).keys).toEqual(["dataSource"]);
  });

  it("requires a file for better-sqlite3 and refuses names SQLite cannot use", () => {
    expect(configError(() => new TypeOrmTokenStore({ type: "better-sqlite3" })).keys).toEqual(["database"]);
    expect(configError(() => new TypeOrmTokenStore({ ...sqlite, schema: "main" })).keys).toEqual(["schema"]);
    expect(configError(() => new TypeOrmTokenStore({ type: "mysql", schema: "x" })).keys).toEqual(["schema"]);
    expect(configError(() => new TypeOrmTokenStore({ ...sqlite, lockTimeoutMs: 0 })).keys).toEqual(["lockTimeoutMs"]);
  });

  it("never puts the password into errors (unreachable server)", async () => {
    const store = new TypeOrmTokenStore({ type: "postgres", host: "127.0.0.1", port: 1, password: "hunter2-SECRET", connectTimeoutMs: 1000 });
    const error = await store.get("x@example.com").catch((e: unknown) => e);
    expect((error as { code: string }).code).toBe("TOKEN_STORE_UNREACHABLE");
    expect([String(error), JSON.stringify(error), String((error as Error).cause)].join(" ")).not.toContain("SECRET");
    await store.close();
  });

  it("exports an EntitySchema with the Python SDK's table and columns", () => {
    const schema = createTokenEntitySchema();
    expect(schema.options.tableName).toBe("oauthtokens");
    expect(Object.values(schema.options.columns).map((c) => c?.name)).toEqual(["useridentifier", "accesstoken", "refreshtoken", "expirytime"]);
    expect(() => createTokenEntitySchema({ tableName: "bad name" })).toThrow(ZohoConfigError);
  });

  it("a full server (too many connections) says so and names poolSize; query parameters stay out", () => {
    const where = { where: "mariadb 127.0.0.1:3306/test", tablePath: "oauthtokens", tableKeys: ["tableName"] };
    for (const code of ["ER_CON_COUNT_ERROR", "53300"]) {
      const error = mapStoreError({ driverError: { code, message: "Too many connections" }, parameters: ["1000.secret.token"] }, where);
      expect(error).toBeInstanceOf(ZohoNetworkError);
      expect(error).toMatchObject({ code: "TOKEN_STORE_TOO_MANY_CONNECTIONS" });
      expect(error.message).toMatch(/poolSize.*max_connections/);
      expect(JSON.stringify(error) + String(error.cause)).not.toContain("1000.secret.token");
    }
  });
});

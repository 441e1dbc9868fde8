import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { TypeOrmTokenStore } from "../../src/stores/typeorm-token-store.js";
import { record, typeormStoreContract } from "./typeorm-contract.js";

const dir = mkdtempSync(join(tmpdir(), "zcrm-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("TypeOrmTokenStore on SQLite (better-sqlite3)", () => {
  typeormStoreContract({
    connection: () => ({ type: "better-sqlite3", database: join(dir, "tokens.sqlite") }),
    placeholder: () => "?",
    enforcesLength: false,
  });

  it("reads a Python SDK table created by raw SQL and updates it in place", async () => {
    const file = join(dir, "python.sqlite");
    const raw = new Database(file);
    raw.exec("CREATE TABLE oauthtokens(useridentifier varchar(100), accesstoken varchar(100), refreshtoken varchar(100), expirytime bigint)");
    raw
      .prepare("INSERT INTO oauthtokens(useridentifier, accesstoken, refreshtoken, expirytime) VALUES (?, ?, ?, ?)")
      .run("python@example.com", "1000.pyaccess.x", "1000.pyrefresh.y", 1_700_000_000_123);
    const s = new TypeOrmTokenStore({ type: "better-sqlite3", database: file });
    try {
      expect(await s.get("python@example.com")).toEqual({
        user: "python@example.com",
        accessToken: "1000.pyaccess.x",
        refreshToken: "1000.pyrefresh.y",
        expiresAt: 1_700_000_000_123,
      });
      await s.save(record("python@example.com", 4));
      const rows = raw.prepare("SELECT * FROM oauthtokens").all() as Record<string, unknown>[];
      expect(rows).toEqual([
        {
          useridentifier: "python@example.com",
          accesstoken: record("python@example.com", 4).accessToken,
          refreshtoken: record("python@example.com", 4).refreshToken,
          expirytime: record("python@example.com", 4).expiresAt,
        },
      ]);
      expect(raw.prepare("SELECT typeof(expirytime) AS t FROM oauthtokens").get()).toEqual({ t: "integer" });
    } finally {
      await s.close();
      raw.close();
    }
  });
});

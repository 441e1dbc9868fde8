import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataSource } from "typeorm";
import { TypeOrmTokenStore } from "../../src/stores/typeorm-token-store.js";
import { POSTGRES, describeDb, postgresAvailable, uniqueSuffix } from "../helpers/databases.js";
import { record, typeormStoreContract } from "./typeorm-contract.js";

const postgres = await postgresAvailable();
// Small pools: several suites (and several copies of the suite) share one server's connection limit.
const connection = () => ({ type: "postgres", ...POSTGRES, poolSize: 3 });

describeDb("TypeOrmTokenStore on PostgreSQL", postgres, () => {
  typeormStoreContract({ connection, placeholder: (i) => `$${i}`, enforcesLength: true });

  describe("the Python SDK's oauthtokens table, created by raw SQL in a zohooauth schema", () => {
    const schema = `zohooauth_test_${uniqueSuffix()}`;
    let admin: DataSource;

    beforeAll(async () => {
      admin = new DataSource(connection() as never);
      await admin.initialize();
      await admin.query(`CREATE SCHEMA "${schema}"`);
      await admin.query(
        `CREATE TABLE "${schema}".oauthtokens(useridentifier varchar(100), accesstoken varchar(100), refreshtoken varchar(100), expirytime bigint)`,
      );
      await admin.query(`INSERT INTO "${schema}".oauthtokens(useridentifier, accesstoken, refreshtoken, expirytime) VALUES ($1, $2, $3, $4)`, [
        "python@example.com",
        "1000.pyaccess.x",
        "1000.pyrefresh.y",
        1_700_000_000_123,
      ]);
    });

    afterAll(async () => {
      await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await admin?.destroy();
    });

    const count = async () => Number(((await admin.query(`SELECT COUNT(*) AS n FROM "${schema}".oauthtokens`)) as { n: unknown }[])[0]?.n);

    it("reads a row the Python SDK wrote and updates it in place", async () => {
      const s = new TypeOrmTokenStore({ ...POSTGRES, type: "postgres", schema });
      try {
        const got = await s.get("python@example.com");
        expect(got).toEqual({ user: "python@example.com", accessToken: "1000.pyaccess.x", refreshToken: "1000.pyrefresh.y", expiresAt: 1_700_000_000_123 });
        await s.withLock("python@example.com", async (current) => ({ ...current!, accessToken: "1000.tsaccess.z", expiresAt: 1_800_000_000_000 }));
        const rows = (await admin.query(`SELECT * FROM "${schema}".oauthtokens`)) as Record<string, unknown>[];
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ useridentifier: "python@example.com", accesstoken: "1000.tsaccess.z", refreshtoken: "1000.pyrefresh.y" });
        expect(Number(rows[0]?.expirytime)).toBe(1_800_000_000_000);
        await s.save(record("python@example.com", 2));
        expect(await count()).toBe(1);
        await s.delete("python@example.com");
        expect(await count()).toBe(0);
      } finally {
        await s.close();
      }
    });
  });
});

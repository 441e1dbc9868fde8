import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataSource } from "typeorm";
import { TypeOrmTokenStore } from "../../src/stores/typeorm-token-store.js";
import { MARIADB, describeDb, mariadbAvailable, uniqueSuffix } from "../helpers/databases.js";
import { record, typeormStoreContract } from "./typeorm-contract.js";

const maria = await mariadbAvailable();
// Small pools: several suites (and several copies of the suite) share one server's connection limit.
const connection = () => ({ type: "mariadb", ...MARIADB, poolSize: 3 });

describeDb("TypeOrmTokenStore on MariaDB", maria, () => {
  typeormStoreContract({ connection, placeholder: () => "?", enforcesLength: true });

  describe("the Python SDK's zohooauth.oauthtokens table, created by raw SQL", () => {
    const database = `zohooauth_test_${uniqueSuffix()}`;
    let admin: DataSource;
    const stores: TypeOrmTokenStore[] = [];

    beforeAll(async () => {
      admin = new DataSource(connection() as never);
      await admin.initialize();
      await admin.query(`CREATE DATABASE \`${database}\``);
      await admin.query(
        `CREATE TABLE \`${database}\`.oauthtokens(useridentifier varchar(100), accesstoken varchar(100), refreshtoken varchar(100), expirytime bigint)`,
      );
      await admin.query(`INSERT INTO \`${database}\`.oauthtokens(useridentifier, accesstoken, refreshtoken, expirytime) VALUES (?, ?, ?, ?)`, [
        "python@example.com",
        "1000.pyaccess.x",
        "1000.pyrefresh.y",
        1_700_000_000_123,
      ]);
    });

    afterAll(async () => {
      for (const s of stores) await s.close().catch(() => undefined);
      await admin?.query(`DROP DATABASE IF EXISTS \`${database}\``).catch(() => undefined);
      await admin?.destroy();
    });

    const rows = () =>
      admin.query(`SELECT * FROM \`${database}\`.oauthtokens WHERE useridentifier = ?`, ["python@example.com"]) as Promise<Record<string, unknown>[]>;

    const count = async () => Number(((await admin.query(`SELECT COUNT(*) AS n FROM \`${database}\`.oauthtokens`)) as { n: unknown }[])[0]?.n);

    it("reads a row the Python SDK wrote and updates it in place", async () => {
      const s = new TypeOrmTokenStore({ ...MARIADB, type: "mariadb", database });
      stores.push(s);
      expect(await s.get("python@example.com")).toEqual({
        user: "python@example.com",
        accessToken: "1000.pyaccess.x",
        refreshToken: "1000.pyrefresh.y",
        expiresAt: 1_700_000_000_123,
      });
      await s.withLock("python@example.com", async (current) => ({ ...current!, accessToken: "1000.tsaccess.z", expiresAt: 1_800_000_000_000 }));
      const after = await rows();
      expect(after).toHaveLength(1);
      expect(after[0]).toMatchObject({ accesstoken: "1000.tsaccess.z", refreshtoken: "1000.pyrefresh.y" });
      expect(Number(after[0]?.expirytime)).toBe(1_800_000_000_000);
      await s.save(record("python@example.com", 9));
      expect(await rows()).toHaveLength(1);
      expect(await count()).toBe(1);
    });

    it("addresses the table through `database` on a DataSource connected elsewhere", async () => {
      const ds = new DataSource(connection() as never); // connected to `test`
      const s = new TypeOrmTokenStore({ dataSource: ds, database });
      expect((await s.get("python@example.com"))?.accessToken).toBe(record("python@example.com", 9).accessToken);
      await s.save(record("second@example.com", 1));
      expect(await count()).toBe(2);
      await s.close();
      await ds.destroy();
    });

    it("defaults to the zohooauth database when built from options", () => {
      const s = new TypeOrmTokenStore({ type: "mysql", host: "127.0.0.1" });
      expect(s.dataSource.options.database).toBe("zohooauth");
      expect(s.tablePath).toBe("oauthtokens");
    });
  });
});

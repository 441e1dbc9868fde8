// A MySQL/MariaDB user (npm install zcrm-typed typeorm mysql2 --omit=optional): the TypeORM store
// works without better-sqlite3 ever being installed or built.
import { TypeOrmTokenStore } from "zcrm-typed/typeorm";

if (
  await import("better-sqlite3").then(
    () => true,
    () => false,
  )
)
  throw new Error("better-sqlite3 should not be installed");
const table = `smoke_${process.pid}_${Date.now().toString(36)}`;
const store = new TypeOrmTokenStore({
  type: "mariadb",
  host: process.env.DB_HOST ?? "127.0.0.1",
  port: 3306,
  username: "root",
  password: "",
  database: "test",
  tableName: table,
  synchronize: true,
  poolSize: 2,
});
await store.save({ user: "smoke@example.com", accessToken: "1000.a.b", refreshToken: "1000.c.d", expiresAt: Date.now() + 60_000 });
const back = await store.get("smoke@example.com");
await store.dataSource.query(`DROP TABLE \`${table}\``);
await store.close();
if (back?.refreshToken !== "1000.c.d") throw new Error("round trip failed");
console.log("mysql ok: TypeOrmTokenStore on MariaDB without better-sqlite3");

/**
 * `zcrm sync` against the emulator: SQLite (a relative sqlite: path) gets the tables, stdout the
 * JSON lines and a summary; a second run is incremental; a bad --to is a configuration error
 * (exit 2) that says what to write; a database password never appears in the output; MariaDB
 * through mysql://.
 */
import path from "node:path";
import Database from "better-sqlite3";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MARIADB, mariadbAvailable, uniqueSuffix, describeDb } from "../helpers/databases.js";
import { startCliFixture, type CliFixture } from "./helpers.js";

let fx: CliFixture;

beforeAll(async () => {
  fx = await startCliFixture();
  expect((await fx.login()).code).toBe(0);
});

afterAll(async () => {
  await fx?.close();
});

type Line = { type: string; [key: string]: unknown };
const lines = (stdout: string): Line[] =>
  stdout
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Line);

describe("zcrm sync", () => {
  it("mirrors Leads and Contacts into SQLite, JSON lines and a summary on stdout; a second run is incremental", async () => {
    const r = await fx.run(["sync", "--to", "sqlite:./mirror.sqlite", "--modules", "Leads,Contacts"], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const out = lines(r.stdout);
    expect(out.filter((l) => l.type === "module-start").map((l) => l.module)).toEqual(["Leads", "Contacts"]);
    expect(out.filter((l) => l.type === "module-done")).toHaveLength(2);
    const summary = out.at(-1)!;
    const leads = fx.emulator.state.records("Leads").length;
    const contacts = fx.emulator.state.records("Contacts").length;
    expect(summary).toMatchObject({ type: "summary", inserted: leads + contacts, updated: 0, deleted: 0 });
    expect(typeof summary.time).toBe("string");

    const db = new Database(path.join(fx.dir, "mirror.sqlite"), { readonly: true });
    try {
      expect((db.prepare("SELECT COUNT(*) AS n FROM zoho_leads").get() as { n: number }).n).toBe(leads);
      expect((db.prepare("SELECT COUNT(*) AS n FROM zoho_contacts").get() as { n: number }).n).toBe(contacts);
      expect((db.prepare("SELECT module, phase FROM zoho_sync_state ORDER BY module").all() as unknown[]).length).toBe(2);
    } finally {
      db.close();
    }

    const again = await fx.run(["sync", "--to", "sqlite:./mirror.sqlite", "--modules", "Leads,Contacts"], { timeoutMs: 120_000 });
    expect(again.code, again.stderr).toBe(0);
    const second = lines(again.stdout);
    expect(second.filter((l) => l.type === "module-start").map((l) => l.mode)).toEqual(["incremental", "incremental"]);
    expect(second.at(-1)).toMatchObject({ type: "summary", inserted: 0, updated: 0, deleted: 0 });
  });

  it("a --to that is not a supported database URL is a configuration error (exit 2) naming the schemes", async () => {
    const scheme = await fx.run(["sync", "--to", "redis://127.0.0.1/0", "--modules", "Leads"]);
    expect(scheme.code).toBe(2);
    expect(scheme.stderr).toContain('unsupported scheme "redis:"');
    expect(scheme.stderr).toContain("sqlite:<path>, mysql://, mariadb://, postgres://");
    const plain = await fx.run(["sync", "--to", "./crm.sqlite", "--modules", "Leads"]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain("is not a database URL");
    const noDb = await fx.run(["sync", "--to", "postgres://user@127.0.0.1", "--modules", "Leads"]);
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toContain("names no database");
  });

  it("never prints the password of the --to URL", async () => {
    const secret = "S3cret-Passw0rd";
    for (const extra of [[], ["--verbose"]]) {
      const r = await fx.run([...extra, "sync", "--to", `mysql://root:${secret}@127.0.0.1:1/test`, "--modules", "Leads"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("mysql://root:***@127.0.0.1:1/test");
      expect(r.stdout + r.stderr).not.toContain(secret);
    }
    const bad = await fx.run(["sync", "--to", `ftp://root:${secret}@127.0.0.1/x`, "--modules", "Leads"]);
    expect(bad.code).toBe(2);
    expect(bad.stdout + bad.stderr).not.toContain(secret);
  });

  it("--listen and friends need --watch; --modules is required", async () => {
    const r = await fx.run(["sync", "--to", "sqlite:./x.sqlite", "--modules", "Leads", "--listen", "127.0.0.1:9999"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("only apply with --watch");
    const missing = await fx.run(["sync", "--to", "sqlite:./x.sqlite"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("--modules");
    const listen = await fx.run(["sync", "--to", "sqlite:./x.sqlite", "--modules", "Leads", "--watch", "--listen", "nope"]);
    expect(listen.code).toBe(1);
    expect(listen.stderr).toContain("--listen must be host:port");
  });
});

const maria = await mariadbAvailable();
describeDb("zcrm sync to MariaDB", maria, () => {
  it("mirrors Leads through mysql://", async () => {
    const prefix = `cli${uniqueSuffix()}_`;
    const auth = MARIADB.password ? `${MARIADB.username}:${encodeURIComponent(MARIADB.password)}` : MARIADB.username;
    const r = await fx.run(["sync", "--to", `mysql://${auth}@${MARIADB.host}:${MARIADB.port}/test`, "--modules", "Leads", "--prefix", prefix], {
      timeoutMs: 120_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const leads = fx.emulator.state.records("Leads").length;
    expect(lines(r.stdout).at(-1)).toMatchObject({ type: "summary", inserted: leads });
    const connection = await mysql.createConnection({
      host: MARIADB.host,
      port: MARIADB.port,
      user: MARIADB.username,
      password: MARIADB.password,
      database: "test",
    });
    try {
      const [rows] = await connection.query(`SELECT COUNT(*) AS n FROM \`${prefix}leads\``);
      expect(Number((rows as Array<{ n: unknown }>)[0]!.n)).toBe(leads);
    } finally {
      await connection.query(`DROP TABLE IF EXISTS \`${prefix}leads\`, \`${prefix}sync_state\``).catch(() => undefined);
      await connection.end();
    }
  });
});

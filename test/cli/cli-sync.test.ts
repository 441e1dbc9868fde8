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
    const fromEnv = await fx.run(["--verbose", "sync", "--to", "mysql://root@127.0.0.1:1/test", "--modules", "Leads"], {
      env: { ZCRM_SYNC_DB_PASSWORD: secret },
    });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stdout + fromEnv.stderr).not.toContain(secret);
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

describe("zcrm sync --watch (a child process)", () => {
  it("mirrors a change after its notification, and SIGTERM disables the channel and exits 0", async () => {
    const { spawn } = await import("node:child_process");
    const { REPO } = await import("./helpers.js");
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env))
      if (!key.startsWith("ZCRM_") && key !== "NODE_OPTIONS" && !key.startsWith("VITEST")) env[key] = value;
    const args = [
      ...fx.args,
      "sync",
      "--to",
      `sqlite:${path.join(fx.dir, "watched.sqlite")}`,
      "--modules",
      "Leads",
      "--watch",
      "--listen",
      "127.0.0.1:0",
      "--initial-load",
      "rest",
    ];
    const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/main.ts"), ...args], {
      cwd: REPO, // where `--import tsx` resolves
      env: { ...env, ...fx.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    const { waitUntil } = await import("../helpers/wait.js");
    const seen = (pred: (l: Line) => boolean) => lines(stdout.slice(0, stdout.lastIndexOf("\n") + 1)).some(pred);
    try {
      await waitUntil(() => seen((l) => l.type === "note" && String(l.message).startsWith("Watching")), { what: "the watcher", timeoutMs: 60_000 });
      expect(seen((l) => l.type === "watch-channel" && l.action === "enabled")).toBe(true);
      // Another zcrm on the same token file creates a lead: the watcher is notified and pulls it.
      const made = await fx.run(["records", "create", "Leads", "--data", JSON.stringify({ Last_Name: "Watched by CLI", Company: "W" })]);
      expect(made.code, made.stderr).toBe(0);
      await waitUntil(() => seen((l) => l.type === "watch-run-done" && l.reason === "notification"), { what: "the notified run" });
      expect(seen((l) => l.type === "watch-notified" && l.module === "Leads")).toBe(true);
      const db = new Database(path.join(fx.dir, "watched.sqlite"), { readonly: true });
      try {
        expect(db.prepare("SELECT COUNT(*) AS n FROM zoho_leads WHERE Last_Name = ?").get("Watched by CLI")).toEqual({ n: 1 });
      } finally {
        db.close();
      }
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited, stderr).toBe(0);
    expect(lines(stdout).at(-1)).toMatchObject({ type: "note", message: expect.stringContaining("Stopped watching") });
    expect(lines(stdout).some((l) => l.type === "watch-channel" && l.action === "disabled")).toBe(true);
  }, 90_000);
});

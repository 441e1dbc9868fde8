import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { itFull } from "../helpers/quick.js";
import { FileTokenStore, TOKEN_FILE_NAME } from "../../src/stores/file-token-store.js";
import type { TokenRecord } from "../../src/stores/token-store.js";
import { ZohoAuthError, ZohoConfigError } from "../../src/errors.js";
import { runFixture, runLockWorkers, spawnFixture } from "./fixtures/run-workers.js";

const root = mkdtempSync(join(tmpdir(), "zcrm-file-store-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(mkdtempSync(join(root, `case${n++}-`)), "tokens.json");
const rec = (user: string, i = 1, extra: Partial<TokenRecord> = {}): TokenRecord => ({
  user,
  accessToken: `1000.access${i}`,
  refreshToken: `1000.refresh${i}`,
  expiresAt: 1_767_225_600_000 + i,
  ...extra,
});
const mode = (path: string) => statSync(path).mode & 0o777;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("FileTokenStore", () => {
  it("round-trips records, including apiDomain, in a JSON file with mode 0600", async () => {
    const path = fresh();
    const store = new FileTokenStore({ path });
    expect(await store.get("a@example.com")).toBeUndefined();
    await store.save(rec("a@example.com", 1, { apiDomain: "https://www.zohoapis.eu" }));
    await store.save(rec("b@example.com", 2));
    expect(await store.get("a@example.com")).toEqual(rec("a@example.com", 1, { apiDomain: "https://www.zohoapis.eu" }));
    await store.save(rec("a@example.com", 3));
    expect(await store.get("a@example.com")).toEqual(rec("a@example.com", 3));
    await store.delete("b@example.com");
    expect(await store.get("b@example.com")).toBeUndefined();
    expect(mode(path)).toBe(0o600);
    const parsed = JSON.parse(readFileSync(path, "utf8"));
    expect(parsed).toMatchObject({ format: "zcrm-typed/tokens", version: 1, tokens: { "a@example.com": rec("a@example.com", 3) } });
    // no lock or temp files left behind
    expect(readdirSync(join(path, "..")).sort()).toEqual(["tokens.json"]);
  });

  it("returns copies: mutating a returned or saved record does not change the store", async () => {
    const store = new FileTokenStore({ path: fresh() });
    const r = rec("c@example.com");
    await store.save(r);
    r.accessToken = "changed";
    const got = await store.get("c@example.com");
    got!.refreshToken = "changed";
    expect(await store.get("c@example.com")).toEqual(rec("c@example.com"));
  });

  it("directory form writes zcrm_oauthtokens.json (the Python SDK's token_persistence_path)", async () => {
    const dir = mkdtempSync(join(root, "dir-"));
    const store = new FileTokenStore({ directory: dir });
    expect(store.path).toBe(join(dir, TOKEN_FILE_NAME));
    await store.save(rec("d@example.com"));
    expect(existsSync(join(dir, "zcrm_oauthtokens.json"))).toBe(true);
    expect(await new FileTokenStore({ path: join(dir, TOKEN_FILE_NAME) }).get("d@example.com")).toEqual(rec("d@example.com"));
  });

  it("tightens a pre-existing token file with a wider mode to 0600", async () => {
    const path = fresh();
    await new FileTokenStore({ path }).save(rec("e@example.com"));
    chmodSync(path, 0o644);
    expect(await new FileTokenStore({ path }).get("e@example.com")).toEqual(rec("e@example.com"));
    expect(mode(path)).toBe(0o600);
    chmodSync(path, 0o666);
    await new FileTokenStore({ path }).save(rec("e@example.com", 2));
    expect(mode(path)).toBe(0o600);
  });

  it("a corrupt file gives TOKEN_FILE_CORRUPT naming the path, and is never overwritten", async () => {
    const path = fresh();
    writeFileSync(path, "{ this is not json", { mode: 0o600 });
    const before = statSync(path);
    const store = new FileTokenStore({ path });
    const getError = await store.get("f@example.com").catch((e: unknown) => e);
    expect(getError).toBeInstanceOf(ZohoConfigError);
    expect((getError as ZohoConfigError).code).toBe("TOKEN_FILE_CORRUPT");
    expect((getError as ZohoConfigError).keys).toEqual(["path"]);
    expect((getError as Error).message).toContain(path);
    const saveError = await store.save(rec("f@example.com")).catch((e: unknown) => e);
    expect((saveError as ZohoConfigError).code).toBe("TOKEN_FILE_CORRUPT");
    await expect(store.delete("f@example.com")).rejects.toMatchObject({ code: "TOKEN_FILE_CORRUPT" });
    await expect(store.withLock("f@example.com", async () => rec("f@example.com"))).rejects.toMatchObject({ code: "TOKEN_FILE_CORRUPT" });
    expect(readFileSync(path, "utf8")).toBe("{ this is not json");
    expect(statSync(path).mtimeMs).toBe(before.mtimeMs);

    writeFileSync(path, JSON.stringify({ some: "other json" }));
    await expect(store.get("f@example.com")).rejects.toMatchObject({ code: "TOKEN_FILE_CORRUPT" });
    writeFileSync(path, JSON.stringify({ format: "zcrm-typed/tokens", version: 1, tokens: { "g@example.com": { user: "g@example.com" } } }));
    await expect(store.save(rec("f@example.com"))).rejects.toMatchObject({ code: "TOKEN_FILE_CORRUPT" });
  });

  it("rejects bad options with typed config errors", () => {
    expect(() => new FileTokenStore({} as never)).toThrow(ZohoConfigError);
    try {
      new FileTokenStore({ path: "/tmp/a.json", directory: "/tmp" } as never);
      expect.unreachable();
    } catch (error) {
      expect((error as ZohoConfigError).keys).toEqual(["path", "directory"]);
    }
    expect(() => new FileTokenStore({ path: "" })).toThrow(ZohoConfigError);
    expect(() => new FileTokenStore({ path: "/tmp/x.json", lockTimeoutMs: -1 })).toThrow(/lockTimeoutMs/);
  });

  it("rejects invalid records without echoing token values", async () => {
    const store = new FileTokenStore({ path: fresh() });
    const error = await store.save({ user: "h@example.com", accessToken: "SECRET-VALUE", refreshToken: 5 as never, expiresAt: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "TOKEN_RECORD_INVALID", keys: ["refreshToken"] });
    expect(String(error)).not.toContain("SECRET");
  });

  it("withLock: 200 concurrent calls in one process lose no update; fn errors propagate and release", async () => {
    const store = new FileTokenStore({ path: fresh() });
    const user = "count@example.com";
    await Promise.all(
      Array.from({ length: 200 }, () =>
        store.withLock(user, async (current) => ({ ...rec(user), accessToken: `count:${current ? Number(current.accessToken.slice(6)) + 1 : 1}` })),
      ),
    );
    expect((await store.get(user))?.accessToken).toBe("count:200");
    await expect(store.withLock(user, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect((await store.withLock(user, async () => undefined))?.accessToken).toBe("count:200");
    // re-entrant: save inside fn for the same user does not deadlock
    const out = await store.withLock(user, async () => {
      await store.save(rec(user, 9));
      return rec(user, 10);
    });
    expect(out).toEqual(rec(user, 10));
  });

  it("takes over a lock left by a dead process, and one whose heartbeat stopped", async () => {
    const path = fresh();
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, hostname: hostname(), nonce: "x", createdAt: Date.now() }));
    // Neither timeout can expire during the test: only the dead-pid check can free the lock.
    const store = new FileTokenStore({ path, lockTimeoutMs: 600_000, staleLockMs: 600_000 });
    await store.save(rec("i@example.com"));
    expect(existsSync(`${path}.lock`)).toBe(false);

    // live pid (ours), but not refreshed for longer than staleLockMs
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: process.pid, hostname: hostname(), nonce: "y", createdAt: 0 }));
    const old = new Date(Date.now() - 10_000);
    utimesSync(`${path}.lock`, old, old);
    await new FileTokenStore({ path, lockTimeoutMs: 600_000, staleLockMs: 5000 }).save(rec("i@example.com", 2));
    expect(await store.get("i@example.com")).toEqual(rec("i@example.com", 2));
  });

  it("waits for a live lock, bounded: TOKEN_STORE_LOCK_TIMEOUT", async () => {
    const path = fresh();
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: process.pid, hostname: hostname(), nonce: "z", createdAt: Date.now() }));
    const store = new FileTokenStore({ path, lockTimeoutMs: 300 });
    // A live holder keeps its lock fresh (heartbeat), so it is never taken as stale.
    const heartbeat = setInterval(() => utimesSync(`${path}.lock`, new Date(), new Date()), 10);
    const error = await store
      .save(rec("j@example.com"))
      .catch((e: unknown) => e)
      .finally(() => clearInterval(heartbeat));
    expect(error).toBeInstanceOf(ZohoAuthError);
    expect((error as ZohoAuthError).code).toBe("TOKEN_STORE_LOCK_TIMEOUT");
    expect(existsSync(`${path}.lock`)).toBe(true); // not ours: left alone
  });

  itFull("two processes writing different users at once: both users present", async () => {
    const path = fresh();
    const startAt = Date.now() + 2000;
    const users = (p: string) => Array.from({ length: 5 }, (_, i) => `${p}${i}@example.com`);
    const results = await Promise.all([
      runFixture("file-writer.ts", { path, users: users("left"), rounds: 8, startAt }),
      runFixture("file-writer.ts", { path, users: users("right"), rounds: 8, startAt }),
    ]);
    for (const r of results) expect(r.stderr, r.stderr).toBe("");
    const parsed = JSON.parse(readFileSync(path, "utf8")) as { tokens: Record<string, TokenRecord> };
    expect(Object.keys(parsed.tokens).sort()).toEqual([...users("left"), ...users("right")].sort());
    for (const r of Object.values(parsed.tokens)) expect(r.accessToken).toBe("access-7");
    expect(mode(path)).toBe(0o600);
  });

  itFull("withLock excludes other OS processes: 3 workers x 10 increments = 30", async () => {
    const path = fresh();
    const results = await runLockWorkers(3, { store: "file", options: { path }, user: "multi@example.com", iterations: 10 });
    for (const r of results) expect(r.stderr, r.stderr).toBe("");
    expect((await new FileTokenStore({ path }).get("multi@example.com"))?.accessToken).toBe("count:30");
  });

  itFull("a writer killed with SIGKILL mid-write leaves the previous file valid", async () => {
    const path = fresh();
    const store = new FileTokenStore({ path });
    await store.save(rec("keep@example.com"));
    const child = spawnFixture("sigkill-writer.ts", { path, sizeMb: 16 });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => d.toString().includes("writing") && resolve());
      child.on("exit", () => reject(new Error(`writer exited early: ${stderr}`)));
    });
    // Kill while a temporary file is being written (it exists only between open and rename): the
    // writer is stopped (SIGSTOP) and killed only once a temp file is seen while it stands still.
    const dir = join(path, "..");
    const hasTmp = () => readdirSync(dir).some((f) => f.endsWith(".tmp"));
    for (;;) {
      while (!hasTmp()) await sleep(1);
      child.kill("SIGSTOP");
      if (hasTmp()) break;
      child.kill("SIGCONT");
    }
    const exited = new Promise((r) => child.on("exit", r));
    child.kill("SIGKILL");
    await exited;
    expect(readdirSync(dir).some((f) => f.endsWith(".tmp"))).toBe(true); // it really died mid-write
    const text = readFileSync(path, "utf8");
    const parsed = JSON.parse(text) as { tokens: Record<string, TokenRecord> };
    expect(parsed.tokens["keep@example.com"]).toEqual(rec("keep@example.com"));
    // The dead writer's lock (and temp file) do not block the next writer: with no timeout that can
    // expire during the test, only the dead-owner check can let it through.
    await new FileTokenStore({ path, lockTimeoutMs: 600_000, staleLockMs: 600_000 }).save(rec("after@example.com"));
    expect(await store.get("keep@example.com")).toEqual(rec("keep@example.com"));
    expect(readdirSync(join(path, "..")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

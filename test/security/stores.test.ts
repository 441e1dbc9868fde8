/**
 * Token stores under hostile or broken conditions: a crashed writer's lock, a symlink planted at the
 * token file, user names that are object keys, a default store that cannot be created.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createZohoCRM } from "../../src/client.js";
import { startEmulator } from "../../src/emulator/index.js";
import { ZohoConfigError } from "../../src/errors.js";
import { FileTokenStore } from "../../src/stores/file-token-store.js";
import type { TokenRecord } from "../../src/stores/token-store.js";

const dir = mkdtempSync(path.join(tmpdir(), "zcrm-security-stores-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => path.join(dir, `tokens-${++n}.json`);
const rec = (user: string, i = 1): TokenRecord => ({
  user,
  accessToken: `1000.access.${i}`,
  refreshToken: `1000.refresh.${i}`,
  expiresAt: 1_767_225_600_000 + i,
});

describe("FileTokenStore: a crashed writer's lock", () => {
  it("an empty lock file (a writer that died creating it) does not block: the next save succeeds with the default timeouts", async () => {
    const file = fresh();
    writeFileSync(`${file}.lock`, "");
    const old = new Date(Date.now() - 5_000);
    utimesSync(`${file}.lock`, old, old);
    const store = new FileTokenStore({ path: file }); // default lockTimeoutMs 30 s: a wait that long would fail the test
    await store.save(rec("a@example.com"));
    expect(await store.get("a@example.com")).toEqual(rec("a@example.com"));
  });

  it("locks are created complete: the owner's pid and host are in the file from the start", async () => {
    const file = fresh();
    const store = new FileTokenStore({ path: file });
    let seen: unknown;
    await store.withLock("b@example.com", async () => {
      const lock = readdirLock(file);
      seen = JSON.parse(readFileSync(lock, "utf8"));
      return rec("b@example.com");
    });
    expect(seen).toMatchObject({ pid: process.pid, hostname: expect.any(String) });
  });

  it("lockTimeoutMs stays larger than the stale-lock age: a lock nobody refreshes is taken over before waiting gives up", async () => {
    const file = fresh();
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.pid, hostname: "another-host", nonce: "n", createdAt: Date.now() }));
    const store = new FileTokenStore({ path: file, lockTimeoutMs: 2_000, staleLockMs: 60_000 }); // stale age lowered to 1 s
    await store.save(rec("c@example.com"));
    expect(await store.get("c@example.com")).toEqual(rec("c@example.com"));
  });
});

/** The per-user lock file of `file` held right now. */
function readdirLock(file: string): string {
  const dirName = path.dirname(file);
  const base = path.basename(file);
  const names = readdirSync(dirName);
  const lock = names.find((name) => name.startsWith(`${base}.`) && name.endsWith(".lock") && name !== `${base}.lock`);
  if (!lock) throw new Error("no user lock file");
  return path.join(dirName, lock);
}

describe("FileTokenStore: a symlink at the token file is refused", () => {
  it("neither read (nor chmod-ed through) nor replaced: the link's target is untouched", async () => {
    const target = path.join(dir, "victim-target.json");
    writeFileSync(target, '{"not":"tokens"}', { mode: 0o644 });
    const link = fresh();
    symlinkSync(target, link);
    const store = new FileTokenStore({ path: link });
    for (const attempt of [() => store.get("x@example.com"), () => store.save(rec("x@example.com"))]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ZohoConfigError);
      expect(error).toMatchObject({ code: "TOKEN_FILE_SYMLINK" });
    }
    expect(statSync(target).mode & 0o777).toBe(0o644);
    expect(readFileSync(target, "utf8")).toBe('{"not":"tokens"}');
  });
});

describe("FileTokenStore: user names are plain keys", () => {
  it("__proto__, constructor and toString are users like any other", async () => {
    const store = new FileTokenStore({ path: fresh() });
    expect(await store.get("constructor")).toBeUndefined();
    expect(await store.get("toString")).toBeUndefined();
    for (const user of ["__proto__", "constructor"]) await store.save(rec(user, user.length));
    expect(await store.get("__proto__")).toEqual(rec("__proto__", "__proto__".length));
    expect(await store.get("constructor")).toEqual(rec("constructor", "constructor".length));
    expect(await store.get("hasOwnProperty")).toBeUndefined();
    await store.delete("__proto__");
    expect(await store.get("__proto__")).toBeUndefined();
    expect(await new FileTokenStore({ path: store.path }).get("constructor")).toEqual(rec("constructor", "constructor".length));
  });
});

describe("the default store's failure is typed and retryable", () => {
  it("a directory that cannot hold .zcrm: a ZohoConfigError naming it and the cwd/tokenStore options; once fixed, the next call works", async () => {
    const emulator = await startEmulator({ port: 0, clock: "manual", log: () => {} });
    const cwd = mkdtempSync(path.join(dir, "cwd-"));
    writeFileSync(path.join(cwd, ".zcrm"), "a file where the store's directory should be");
    const crm = createZohoCRM({ clientId: emulator.clientId, clientSecret: emulator.clientSecret, accountsUrl: emulator.url, cwd });
    try {
      const error = await crm.auth.status("someone@example.com").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ZohoConfigError);
      expect(error).toMatchObject({ code: "DEFAULT_STORE_UNAVAILABLE", keys: ["cwd", "tokenStore"] });
      expect((error as Error).message).toContain(path.join(cwd, ".zcrm"));
      // Tokens Zoho issues meanwhile cannot be kept: revoked again, and the error says why.
      const spent = await crm.auth.exchangeGrantToken(emulator.mintGrantCode()).catch((e: unknown) => e);
      expect(spent).toMatchObject({ name: "ZohoAuthError", code: "GRANT_SPENT" });
      expect((spent as Error).message).toContain(path.join(cwd, ".zcrm"));
      rmSync(path.join(cwd, ".zcrm"));
      const status = await crm.auth.exchangeGrantToken(emulator.mintGrantCode());
      expect(existsSync(path.join(cwd, ".zcrm", "tokens.sqlite"))).toBe(true);
      expect((await crm.forUser(status.user).GET("/crm/v2/org", {})).response.status).toBe(200);
    } finally {
      await crm.close();
      await emulator.close();
    }
  });
});

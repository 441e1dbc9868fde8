import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createZohoCRM } from "../../src/client.js";
import { startEmulator } from "../../src/emulator/index.js";
import { createDefaultTokenStore, defaultTokenStorePath } from "../../src/stores/default-store.js";
import { TypeOrmTokenStore } from "../../src/stores/typeorm-token-store.js";
import { runFixture } from "./fixtures/run-workers.js";

const root = mkdtempSync(join(tmpdir(), "zcrm-default-store-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("createDefaultTokenStore", () => {
  it("creates .zcrm (0700) and tokens.sqlite (0600) with its table: zero set-up", async () => {
    const store = await createDefaultTokenStore({ cwd: root });
    try {
      await store.save({ user: "d@example.com", accessToken: "a", refreshToken: "r", expiresAt: 1_767_225_600_000 });
      expect(await store.get("d@example.com")).toEqual({ user: "d@example.com", accessToken: "a", refreshToken: "r", expiresAt: 1_767_225_600_000 });
    } finally {
      await store.close?.();
    }
    const file = defaultTokenStorePath(root);
    expect(file).toBe(join(root, ".zcrm", "tokens.sqlite"));
    expect(statSync(join(root, ".zcrm")).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(join(root, ".zcrm", ".gitignore"))).toBe(true);

    const again = await createDefaultTokenStore({ cwd: root });
    expect((await again.get("d@example.com"))?.accessToken).toBe("a");
    await again.close?.();
  });

  it("the package entry does not load TypeORM; the default store loads it on demand", async () => {
    const result = await runFixture("import-package-entry.ts", join(root, "lazy"), 60_000, ["--import", "./test/stores/fixtures/register-no-typeorm.mjs"]);
    expect(result.stderr).toBe("");
    const out = JSON.parse(result.stdout) as { names: string[]; lazy: string };
    expect(out.names).toEqual(expect.arrayContaining(["createZohoCRM", "MemoryTokenStore", "FileTokenStore"]));
    expect(out.names).not.toContain("TypeOrmTokenStore");
    expect(out.lazy).toBe("typeorm-on-demand");
  });

  it("keeps the token's api_domain: a second process on the same default store calls the host the grant named", async () => {
    const emulator = await startEmulator({ port: 0, clock: "manual", log: () => {} });
    const cwd = join(root, "api-domain");
    try {
      // Process 1: `zcrm auth exchange` against a non-default host (here the emulator).
      const first = createZohoCRM({ clientId: emulator.clientId, clientSecret: emulator.clientSecret, accountsUrl: emulator.url, cwd });
      const status = await first.auth.exchangeGrantToken(emulator.mintGrantCode());
      expect(status.apiDomain).toBe(emulator.url);
      await first.close();
      // Process 2: same default store, no apiBaseUrl: the stored api_domain is the host.
      const second = createZohoCRM({ clientId: emulator.clientId, clientSecret: emulator.clientSecret, accountsUrl: emulator.url, cwd, user: status.user });
      const { response } = await second.GET("/crm/v2/org", {});
      expect(response.status).toBe(200);
      expect(new URL(response.url).origin).toBe(emulator.url);
      await second.close();
    } finally {
      await emulator.close();
    }
  });

  it("an older default store file without the apidomain column gains it", async () => {
    const cwd = join(root, "older");
    mkdirSync(join(cwd, ".zcrm"), { recursive: true });
    const older = new TypeOrmTokenStore({ type: "better-sqlite3", database: defaultTokenStorePath(cwd), synchronize: true }); // no apidomain column
    await older.save({ user: "o@example.com", accessToken: "a", refreshToken: "r", expiresAt: 1 });
    await older.close();
    const store = await createDefaultTokenStore({ cwd });
    try {
      await store.save({ user: "o@example.com", accessToken: "a2", refreshToken: "r", expiresAt: 2, apiDomain: "https://www.zohoapis.eu" });
      expect(await store.get("o@example.com")).toMatchObject({ accessToken: "a2", apiDomain: "https://www.zohoapis.eu" });
    } finally {
      await store.close?.();
    }
  });
});

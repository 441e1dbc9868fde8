import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDefaultTokenStore, defaultTokenStorePath } from "../../src/stores/default-store.js";
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
});

import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCustomTokenStore } from "../../src/stores/load-custom-store.js";
import { ZohoConfigError } from "../../src/errors.js";
import { FIXTURES, REPO_ROOT } from "./fixtures/run-workers.js";

const modulePath = join(FIXTURES, "custom-stores.mjs");

async function configError(p: Promise<unknown>): Promise<ZohoConfigError> {
  const error = await p.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ZohoConfigError);
  return error as ZohoConfigError;
}

describe("loadCustomTokenStore (persistence_handler_path + persistence_handler_class)", () => {
  it("instantiates an exported class and the store works", async () => {
    const store = await loadCustomTokenStore({ modulePath, exportName: "GoodStore" });
    expect((store as unknown as { kind: string }).kind).toBe("class");
    await store.save({ user: "u@example.com", accessToken: "a", refreshToken: "r", expiresAt: 1 });
    expect(await store.get("u@example.com")).toMatchObject({ accessToken: "a" });
  });

  it("resolves a relative path against cwd and uses the default export by default", async () => {
    const store = await loadCustomTokenStore({ modulePath: relative(REPO_ROOT, modulePath), cwd: REPO_ROOT });
    expect((store as unknown as { kind: string }).kind).toBe("class");
  });

  it("accepts a plain object export and a factory function", async () => {
    expect(((await loadCustomTokenStore({ modulePath, exportName: "objectStore" })) as unknown as { kind: string }).kind).toBe("object");
    expect(((await loadCustomTokenStore({ modulePath, exportName: "makeStore" })) as unknown as { kind: string }).kind).toBe("factory");
  });

  it("a missing export names persistence_handler_class and lists the exports", async () => {
    const error = await configError(loadCustomTokenStore({ modulePath, exportName: "NoSuchHandler" }));
    expect(error.keys).toEqual(["persistence_handler_class"]);
    expect(error.code).toBe("CUSTOM_STORE_EXPORT_MISSING");
    expect(error.message).toContain("GoodStore");
  });

  it("a missing module names persistence_handler_path", async () => {
    const error = await configError(loadCustomTokenStore({ modulePath: join(FIXTURES, "nope.mjs"), exportName: "X" }));
    expect(error.keys).toEqual(["persistence_handler_path"]);
    expect(error.code).toBe("CUSTOM_STORE_NOT_FOUND");
    expect((await configError(loadCustomTokenStore({ modulePath: "" }))).keys).toEqual(["persistence_handler_path"]);
  });

  it("objects without get/save/delete (or with a non-function withLock) are refused", async () => {
    for (const exportName of ["MissingDelete", "notAStore", "badLock"]) {
      const error = await configError(loadCustomTokenStore({ modulePath, exportName }));
      expect(error.keys).toEqual(["persistence_handler_path", "persistence_handler_class"]);
      expect(error.code).toBe("CUSTOM_STORE_INVALID");
    }
    const error = await configError(loadCustomTokenStore({ modulePath, exportName: "MissingDelete" }));
    expect(error.message).toContain("delete");
  });
});

import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fromZcrmsdkConfig, zcrmsdkPersistence, type ZcrmsdkConfig } from "../../src/zcrmsdk-config.js";
import { FileTokenStore } from "../../src/stores/file-token-store.js";
import { LazyTokenStore } from "../../src/stores/lazy-token-store.js";
import { createZohoCRM } from "../../src/client.js";
import { ZohoConfigError } from "../../src/errors.js";
import { thrown } from "../helpers/thrown.js";

const BASE: ZcrmsdkConfig = { client_id: "1000.ID", client_secret: "python-secret-123456", redirect_uri: "https://example.com/cb" };

const configError = (fn: () => unknown) => thrown(ZohoConfigError, fn);

describe("fromZcrmsdkConfig", () => {
  it("maps the Python SDK's keys as-is", () => {
    const options = fromZcrmsdkConfig({
      ...BASE,
      currentUserEmail: "py@example.com",
      token_persistence_path: "/tmp/zcrm-tokens",
      sandbox: "true",
      access_type: "offline",
      accounts_url: "https://accounts.zoho.eu",
      apiBaseUrl: "www.zohoapis.eu",
      apiVersion: "v2",
      applicationLogFilePath: "/tmp/zcrm-logs",
    });
    expect(options).toMatchObject({
      clientId: "1000.ID",
      clientSecret: "python-secret-123456",
      redirectUri: "https://example.com/cb",
      user: "py@example.com",
      environment: "sandbox",
      accountsUrl: "https://accounts.zoho.eu",
      apiBaseUrl: "https://sandbox.zohoapis.eu",
      apiVersion: "v2",
      logFilePath: "/tmp/zcrm-logs",
    });
    expect(options.tokenStore).toBeInstanceOf(FileTokenStore);
    // The result is accepted by createZohoCRM.
    expect(() => createZohoCRM(options)).not.toThrow();
  });

  it("sandbox accepts booleans and strings", () => {
    const opts = { ...BASE, token_persistence_path: "/tmp/x" };
    expect(fromZcrmsdkConfig({ ...opts, sandbox: true }).environment).toBe("sandbox");
    expect(fromZcrmsdkConfig({ ...opts, sandbox: "False" }).environment).toBe("production");
    expect(fromZcrmsdkConfig({ ...opts }).environment).toBe("production");
    expect(configError(() => fromZcrmsdkConfig({ ...opts, sandbox: "yes" })).keys).toEqual(["sandbox"]);
  });

  it("persistence precedence: file path wins, then custom handler, then MySQL", () => {
    const all = {
      ...BASE,
      token_persistence_path: "/tmp/t",
      persistence_handler_class: "Store",
      persistence_handler_path: "./store.js",
      mysql_username: "root",
      mysql_password: "",
    };
    expect(zcrmsdkPersistence(all)).toBe("file");
    expect(zcrmsdkPersistence({ ...all, token_persistence_path: "" })).toBe("custom");
    expect(zcrmsdkPersistence({ ...BASE, mysql_username: "root" })).toBe("mysql");
    expect(fromZcrmsdkConfig({ ...all, token_persistence_path: undefined }).tokenStore).toBeInstanceOf(LazyTokenStore);
    expect(fromZcrmsdkConfig({ ...BASE, mysql_username: "root", mysql_password: "" }).tokenStore).toBeInstanceOf(LazyTokenStore);
  });

  it("reports every missing mandatory key for MySQL persistence in one error", () => {
    const error = configError(() => fromZcrmsdkConfig({}));
    expect(error.code).toBe("INVALID_ZCRMSDK_CONFIG");
    expect(error.keys).toEqual(["client_id", "client_secret", "redirect_uri", "mysql_username", "mysql_password"]);
    for (const key of error.keys) expect(error.message).toContain(key);
    expect(error.message).toMatch(/mysql persistence/);
  });

  it("a custom handler needs both its path and its class", () => {
    expect(configError(() => fromZcrmsdkConfig({ ...BASE, persistence_handler_class: "Store" })).keys).toEqual(["persistence_handler_path"]);
    expect(configError(() => fromZcrmsdkConfig({ ...BASE, persistence_handler_path: "./s.js" })).keys).toEqual(["persistence_handler_class"]);
  });

  it.each([
    [{ mysql_username: "root", mysql_password: "", mysql_port: "port" }, "mysql_port"],
    [{ token_persistence_path: "/t", access_type: "forever" }, "access_type"],
    [{ token_persistence_path: "/t", apiVersion: "v3" }, "apiVersion"],
  ])("rejects a bad value %j naming %s", (extra, key) => {
    const error = configError(() => fromZcrmsdkConfig({ ...BASE, ...extra }));
    expect(error.keys).toEqual([key]);
    expect(error.message).toContain(key);
  });

  it("rejects a non-dictionary and never prints the secret", () => {
    expect(configError(() => fromZcrmsdkConfig(null as never)).code).toBe("INVALID_ZCRMSDK_CONFIG");
    const error = configError(() => fromZcrmsdkConfig({ ...BASE, token_persistence_path: "/t", sandbox: "maybe" }));
    expect(error.message).not.toContain("python-secret-123456");
  });

  it("loads a custom persistence handler by module path and class name", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "zcrm-custom-"));
    await writeFile(
      path.join(dir, "my-store.mjs"),
      `export class PyStyleStore {
        rows = new Map();
        async get(user) { return this.rows.get(user); }
        async save(record) { this.rows.set(record.user, record); }
        async delete(user) { this.rows.delete(user); }
      }`,
    );
    const options = fromZcrmsdkConfig({ ...BASE, persistence_handler_path: "my-store.mjs", persistence_handler_class: "PyStyleStore" }, { cwd: dir });
    const record = { user: "c@d.ef", accessToken: "a", refreshToken: "r", expiresAt: 1 };
    await options.tokenStore!.save(record);
    expect(await options.tokenStore!.get("c@d.ef")).toEqual(record);
    const missing = fromZcrmsdkConfig({ ...BASE, persistence_handler_path: "my-store.mjs", persistence_handler_class: "Nope" }, { cwd: dir });
    await expect(missing.tokenStore!.get("c@d.ef")).rejects.toMatchObject({
      name: "ZohoConfigError",
      keys: expect.arrayContaining(["persistence_handler_class"]),
    });
  });
});

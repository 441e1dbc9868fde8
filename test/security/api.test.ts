/**
 * Tokens go only to Zoho's API host and Accounts, nothing prints a secret, and a hostile API server
 * cannot turn a call into something else — path parameters, redirects, illegal header bytes,
 * oversized answers, plain http.
 */
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createZohoCRM, type ZohoCRMClient } from "../../src/client.js";
import type { ZohoCRMOptions } from "../../src/config.js";
import { ZohoApiError, ZohoAuthError, ZohoConfigError } from "../../src/errors.js";
import { downloadFile } from "../../src/files.js";
import { Redactor } from "../../src/logging.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";
import { TypeOrmTokenStore } from "../../src/typeorm.js";
import { json, sawNothingOf, startHostile, type HostileServer } from "./hostile.js";

const USER = "victim@example.com";
const SECRET = "client-secret-never-leaves";
const ACCESS = "1000.accesssecret00002.bbbbbbbbbbbbbbbb";
const REFRESH = "1000.refreshsecret0001.aaaaaaaaaaaaaaaa";

let api: HostileServer;
let foreign: HostileServer;
const clients: ZohoCRMClient[] = [];
beforeEach(async () => {
  [api, foreign] = await Promise.all([
    startHostile("127.0.0.1", (_req, res) => json(res, 200, { org: [{ id: "1" }] })),
    startHostile("127.0.0.2", (_req, res) => json(res, 200, { data: [] })),
  ]);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {})));
  await Promise.all([api.close(), foreign.close()]);
});
const store = () => new MemoryTokenStore([{ user: USER, accessToken: ACCESS, refreshToken: REFRESH, expiresAt: Date.now() + 3_600_000, apiDomain: api.url }]);
const client = (extra: Partial<ZohoCRMOptions> = {}) => {
  const c = createZohoCRM({ clientId: "1000.CLIENT", clientSecret: SECRET, user: USER, accountsUrl: api.url, tokenStore: store(), retry: false, ...extra });
  clients.push(c);
  return c;
};

describe("path parameters cannot leave the path", () => {
  it("`..`, `.` and empty values are refused before anything is sent (no DELETE /oauth/user with the token)", async () => {
    const c = client();
    const attempts = [
      () => c.DELETE("/crm/v2/{module}/{recordId}/Attachments/{id}", { params: { path: { module: "..", recordId: "..", id: "../../oauth/user" } } }),
      () => c.GET("/crm/v2/{module}/{id}", { params: { path: { module: ".", id: "1" } } }),
      () => c.GET("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id: "" } } }),
    ];
    for (const attempt of attempts) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ZohoConfigError);
      expect(error).toMatchObject({ code: "INVALID_PATH_PARAMETER" });
      expect((error as Error).message).not.toContain(ACCESS);
    }
    expect(api.seen).toEqual([]);
  });

  it("a value with slashes stays one encoded segment", async () => {
    const c = client();
    await c.GET("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id: "../../oauth/user" } } });
    expect(api.seen.map((s) => s.path)).toEqual(["/crm/v2/Leads/..%2F..%2Foauth%2Fuser"]);
  });
});

describe("API redirects are not followed", () => {
  it("a 301 on a POST is an error, not a GET that succeeds; the Location host gets nothing", async () => {
    api.handler = (_req, res) => res.writeHead(301, { location: `${foreign.url}/crm/v2/Leads` }).end();
    const c = client();
    const { data, error, response } = await c.POST("/crm/v2/{module}", { params: { path: { module: "Leads" } }, body: { data: [{ Last_Name: "X" }] } });
    expect(data).toBeUndefined();
    expect(response.status).toBe(301);
    expect(error).toMatchObject({ code: "REDIRECT_NOT_FOLLOWED", details: { status: 301, location: `${foreign.url}/crm/v2/Leads` } });
    expect(foreign.seen).toEqual([]);
    expect(api.seen).toHaveLength(1);
  });

  it("a 307 on a GET: the token does not travel to the Location host", async () => {
    api.handler = (_req, res) => res.writeHead(307, { location: `${foreign.url}/crm/v2/org` }).end();
    const { error } = await client().GET("/crm/v2/org", {});
    expect(error).toMatchObject({ code: "REDIRECT_NOT_FOLLOWED" });
    expect(sawNothingOf(foreign, [ACCESS])).toEqual([]);
    expect(foreign.seen).toEqual([]);
  });
});

describe("plain http only on loopback", () => {
  it("accountsUrl or apiBaseUrl over http to another host is a ZohoConfigError that says why; allowInsecureHttp opts in", () => {
    for (const key of ["accountsUrl", "apiBaseUrl"] as const) {
      const error = (() => {
        try {
          createZohoCRM({ clientId: "1000.C", clientSecret: SECRET, [key]: "http://zoho-proxy.internal:8080" });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ZohoConfigError);
      expect((error as ZohoConfigError).keys).toContain(key);
      expect((error as Error).message).toMatch(/unencrypted.*allowInsecureHttp/s);
    }
    expect(() =>
      createZohoCRM({ clientId: "1000.C", clientSecret: SECRET, apiBaseUrl: "http://zoho-proxy.internal:8080", allowInsecureHttp: true }),
    ).not.toThrow();
    for (const local of ["http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9"])
      expect(() => createZohoCRM({ apiBaseUrl: local, accessToken: "t" })).not.toThrow();
  });
});

describe("nothing prints a secret", () => {
  it("util.inspect(crm), JSON.stringify(crm.config) and util.inspect(crm.config) show [REDACTED]", () => {
    const c = client({ accessToken: ACCESS });
    for (const text of [inspect(c, { depth: 6 }), JSON.stringify(c.config), inspect(c.config, { depth: 6 }), inspect({ nested: c.config })]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(ACCESS);
    }
    expect(JSON.stringify(c.config)).toContain("[REDACTED]");
  });

  it("inspecting or serialising a store shows no password and no token", async () => {
    const typeorm = new TypeOrmTokenStore({ type: "mariadb", host: "127.0.0.1", username: "root", password: "db-password-secret", database: "test" });
    const memory = store();
    for (const text of [inspect(typeorm, { depth: 8 }), JSON.stringify(typeorm), inspect(memory, { depth: 8 })]) {
      expect(text).not.toContain("db-password-secret");
      expect(text).not.toContain(ACCESS);
      expect(text).not.toContain(REFRESH);
    }
    await typeorm.close();
  });

  it("an access token with CR/LF (or other control bytes) is a typed error whose message does not contain it; nothing is sent", async () => {
    for (const bad of [`${ACCESS}\r\nX-Injected: 1`, `${ACCESS}\u0000`, `${ACCESS}\u007f`]) {
      const c = client({ accessToken: bad });
      const error = await c.GET("/crm/v2/org", {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ZohoAuthError);
      expect(error).toMatchObject({ code: "INVALID_ACCESS_TOKEN" });
      expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain(ACCESS);
    }
    expect(api.seen).toEqual([]);
  });

  it("the logger keeps error codes and blanks a grant code by value", () => {
    const redactor = new Redactor();
    redactor.add("1000.grantcodevalue.0000");
    const value = redactor.value({
      code: "INVALID_TOKEN",
      error: { code: "ECONNREFUSED" },
      form: { code: "1000.grantcodevalue.0000" },
      url: "/x?code=1000.grantcodevalue.0000",
    });
    expect(value).toEqual({ code: "INVALID_TOKEN", error: { code: "ECONNREFUSED" }, form: { code: "[REDACTED]" }, url: "/x?code=[REDACTED]" });
  });
});

describe("response size caps", () => {
  const huge = (bytes: number, contentLength: boolean) => (_req: unknown, res: import("node:http").ServerResponse) => {
    const body = JSON.stringify({ data: [{ id: "1", Description: "x".repeat(bytes) }], info: { more_records: false } });
    res.writeHead(200, { "content-type": "application/json", ...(contentLength ? { "content-length": String(Buffer.byteLength(body)) } : {}) });
    res.end(body);
  };

  it("a JSON answer over maxResponseBytes is a typed RESPONSE_TOO_LARGE, declared length or not", async () => {
    for (const declared of [true, false]) {
      api.handler = huge(300_000, declared);
      const error = await client({ maxResponseBytes: 100_000 })
        .GET("/crm/v2/{module}", { params: { path: { module: "Leads" } } })
        .catch((e: unknown) => e);
      expect(error, `content-length ${declared}`).toBeInstanceOf(ZohoApiError);
      expect(error).toMatchObject({ code: "RESPONSE_TOO_LARGE", status: 200 });
    }
  });

  it("file downloads stream and are not capped", async () => {
    const bytes = Buffer.alloc(300_000, 7);
    api.handler = (_req, res) =>
      res.writeHead(200, { "content-type": "application/octet-stream", "content-disposition": 'attachment; filename="big.bin"' }).end(bytes);
    const file = await downloadFile(client({ maxResponseBytes: 100_000 }), "/crm/v2/{module}/{recordId}/Attachments/{id}", {
      params: { path: { module: "Leads", recordId: "1", id: "2" } },
    });
    expect(file?.buffer.equals(bytes)).toBe(true);
  });
});

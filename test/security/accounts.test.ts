/**
 * Secrets go only to Zoho Accounts, a token request cannot hang a user, and tokens Zoho issued are
 * never silently lost — against Accounts servers that misbehave on purpose.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TokenHosts } from "../../src/auth/hosts.js";
import { createZohoCRM, type ZohoCRMClient } from "../../src/client.js";
import type { ZohoCRMOptions } from "../../src/config.js";
import { ZohoAuthError, ZohoNetworkError } from "../../src/errors.js";
import type { Logger } from "../../src/logging.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";
import type { TokenStore } from "../../src/stores/token-store.js";
import { TypeOrmTokenStore } from "../../src/typeorm.js";
import { waitUntil } from "../helpers/wait.js";
import { json, sawNothingOf, startHostile, type HostileServer } from "./hostile.js";

const USER = "victim@example.com";
const SECRET = "client-secret-never-leaves";
const REFRESH = "1000.refreshsecret0001.aaaaaaaaaaaaaaaa";
const ACCESS = "1000.accesssecret00002.bbbbbbbbbbbbbbbb";
const GRANT = "1000.grantsecret000003.cccccccccccccccc";

let accounts: HostileServer;
let foreign: HostileServer;
const clients: ZohoCRMClient[] = [];
beforeEach(async () => {
  [accounts, foreign] = await Promise.all([
    startHostile("127.0.0.1"),
    startHostile("127.0.0.2", (_req, res) => json(res, 200, { access_token: "1000.x.y", expires_in: 3600 })),
  ]);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {})));
  await Promise.all([accounts.close(), foreign.close()]);
});

const client = (extra: Partial<ZohoCRMOptions> = {}) => {
  const c = createZohoCRM({
    clientId: "1000.CLIENT",
    clientSecret: SECRET,
    user: USER,
    accountsUrl: accounts.url,
    tokenStore: new MemoryTokenStore(),
    ...extra,
  });
  clients.push(c);
  return c;
};
const expired = () => new MemoryTokenStore([{ user: USER, accessToken: ACCESS, refreshToken: REFRESH, expiresAt: Date.now() - 1000 }]);
const captureLogs = () => {
  const lines: string[] = [];
  const push = (obj: Record<string, unknown>, msg?: string) => void lines.push(JSON.stringify({ ...obj, msg }));
  const logger: Logger = { trace: push, debug: push, info: push, warn: push, error: push };
  return { lines, logger };
};

describe("token requests never follow redirects", () => {
  for (const status of [307, 308]) {
    it(`a ${status} from the token endpoint: nothing is re-posted to the Location host; a typed ZohoAuthError`, async () => {
      accounts.handler = (_req, res) => res.writeHead(status, { location: `${foreign.url}/oauth/v2/token` }).end();
      const c = client({ tokenStore: expired() });
      const refresh = await c.auth.refresh().catch((e: unknown) => e);
      expect(refresh).toBeInstanceOf(ZohoAuthError);
      expect(refresh).toMatchObject({ code: "ACCOUNTS_REDIRECT", status });
      const grant = await c.auth.exchangeGrantToken(GRANT).catch((e: unknown) => e);
      expect(grant).toMatchObject({ code: "ACCOUNTS_REDIRECT" });
      expect(foreign.seen).toEqual([]);
      expect(sawNothingOf(foreign, [SECRET, REFRESH, GRANT])).toEqual([]);
    });
  }

  it("a 302 whose body looks like tokens is not accepted: nothing is stored", async () => {
    accounts.handler = (_req, res) =>
      json(res, 302, { access_token: "1000.planted.token", refresh_token: "1000.planted.refresh", expires_in: 3600 }, { location: `${foreign.url}/x` });
    const store = new MemoryTokenStore();
    const c = client({ tokenStore: store });
    await expect(c.auth.exchangeGrantToken(GRANT)).rejects.toMatchObject({ name: "ZohoAuthError", code: "ACCOUNTS_REDIRECT", status: 302 });
    expect(await store.get(USER)).toBeUndefined();
    expect(foreign.seen).toEqual([]);
  });
});

describe("api_domain is checked before it is trusted or stored", () => {
  it("a token response naming a foreign api_domain: ignored, not stored, warned about (no token in the warning); the call goes to the data centre's host", async () => {
    accounts.handler = (req, res) => {
      if (req.path.startsWith("/oauth/v2/token"))
        return json(res, 200, { access_token: ACCESS, refresh_token: REFRESH, api_domain: foreign.url, expires_in: 3600 });
      if (req.path.startsWith("/oauth/user/info")) return json(res, 200, { Email: USER });
      json(res, 404, {});
    };
    const store = new MemoryTokenStore();
    const { lines, logger } = captureLogs();
    const c = client({ tokenStore: store, logger });
    const status = await c.auth.exchangeGrantToken(GRANT);
    expect(status.apiDomain).toBeUndefined();
    expect((await store.get(USER))?.apiDomain).toBeUndefined();
    expect(lines.some((l) => l.includes("auth.api_domain_ignored"))).toBe(true);
    for (const line of lines) expect(line).not.toContain(ACCESS);
    const error = await c.GET("/crm/v2/org", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoNetworkError);
    expect((error as ZohoNetworkError).url).toMatch(/^https:\/\/www\.zohoapis\.com\//); // the DC host (refused here: tests stay on loopback)
    expect(foreign.seen).toEqual([]);
  });

  it("which hosts pass: https Zoho API hosts of the listed data centres, or the configured Accounts/API origin", () => {
    const hosts = new TokenHosts({ accountsUrl: "http://127.0.0.1:4000", apiBaseUrl: undefined, defaultApiBaseUrl: "https://www.zohoapis.eu" });
    for (const ok of [
      "https://www.zohoapis.com",
      "https://sandbox.zohoapis.eu",
      "https://developer.zohoapis.com.au",
      "https://www.zohoapis.in/",
      "http://127.0.0.1:4000",
    ]) {
      expect(hosts.acceptsApiDomain(ok), ok).toBe(true);
    }
    for (const bad of [
      "http://www.zohoapis.com",
      "https://www.zohoapis.com.attacker.net",
      "https://zohoapis.com.evil.io",
      "https://evil.example",
      "https://www.zohoapis.com:8443",
      "https://user@www.zohoapis.com",
      "https://www.zohoapis.com/path",
      "http://127.0.0.2:4000",
      "javascript:alert(1)",
      "not a url",
    ]) {
      expect(hosts.acceptsApiDomain(bad), bad).toBe(false);
    }
  });
});

describe("the token request has one deadline, covering the body", () => {
  it("an Accounts server that sends headers and stalls: every pending call of the user rejects typed, the lock is released", async () => {
    accounts.handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"access_token":"1000.'); // and never the rest
    };
    const dir = await mkdtemp(path.join(tmpdir(), "zcrm-stall-"));
    const store = new TypeOrmTokenStore({ type: "better-sqlite3", database: path.join(dir, "t.sqlite"), synchronize: true });
    try {
      await store.save({ user: USER, accessToken: ACCESS, refreshToken: REFRESH, expiresAt: Date.now() - 1000 });
      const c = client({ tokenStore: store, timeoutMs: 300 });
      const calls = Array.from({ length: 5 }, () => c.GET("/crm/v2/org", {}).catch((e: unknown) => e));
      for (const error of await Promise.all(calls)) {
        expect(error).toBeInstanceOf(ZohoNetworkError);
        expect(error).toMatchObject({ code: "TIMEOUT" });
      }
      expect(accounts.seen).toHaveLength(1); // single-flight: one refresh for the five calls
      // The cross-process lock is free again: another store on the same database takes it at once.
      const other = new TypeOrmTokenStore({ type: "better-sqlite3", database: path.join(dir, "t.sqlite"), lockTimeoutMs: 60_000 });
      expect(await other.withLock(USER, async (current) => current)).toMatchObject({ user: USER });
      await other.close();
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a token response larger than maxResponseBytes is a typed error, read no further", async () => {
    accounts.handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once("drain", pump);
      };
      pump(); // an endless body
    };
    const c = client({ tokenStore: expired(), maxResponseBytes: 256 * 1024 });
    const error = await c.auth.refresh().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoAuthError);
    expect(error).toMatchObject({ code: "INVALID_TOKEN_RESPONSE" });
    await waitUntil(() => accounts.closedByClient === 1, { what: "the client to drop the endless body" });
  });
});

describe("a spent grant's tokens are never silently dropped", () => {
  const issuing =
    (extra: Record<string, unknown> = {}) =>
    (req: { path: string }, res: import("node:http").ServerResponse) => {
      if (req.path.startsWith("/oauth/v2/token/revoke")) return json(res, 200, { status: "success" });
      if (req.path.startsWith("/oauth/v2/token")) return json(res, 200, { access_token: ACCESS, refresh_token: REFRESH, expires_in: 3600, ...extra });
      if (req.path.startsWith("/oauth/user/info")) return json(res, 401, { error: "invalid_oauth_scope" });
      json(res, 404, {});
    };

  it("the user cannot be determined: the new refresh token is revoked at Zoho and GRANT_SPENT says a new grant is needed", async () => {
    accounts.handler = issuing();
    const store = new MemoryTokenStore();
    const c = client({ tokenStore: store, user: undefined });
    const error = await c.auth.exchangeGrantToken(GRANT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoAuthError);
    expect(error).toMatchObject({ code: "GRANT_SPENT", reauthRequired: true });
    expect((error as Error).message).toMatch(/new grant token/);
    const revoke = accounts.seen.find((s) => s.path.startsWith("/oauth/v2/token/revoke"));
    expect(revoke?.path).toContain(REFRESH);
    expect(JSON.stringify(error) + String(error) + (error as Error).message).not.toContain(REFRESH);
  });

  it("the store cannot save (retried first): revoked, GRANT_SPENT", async () => {
    accounts.handler = issuing();
    let attempts = 0;
    const broken: TokenStore = {
      get: async () => undefined,
      save: async () => {
        attempts += 1;
        throw new Error("disk full");
      },
      delete: async () => {},
    };
    const c = client({ tokenStore: broken }); // user given: Zoho cannot confirm it (no scope), it is used
    const error = await c.auth.exchangeGrantToken(GRANT).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ZohoAuthError", code: "GRANT_SPENT" });
    expect(attempts).toBe(3);
    expect(accounts.seen.some((s) => s.path.startsWith("/oauth/v2/token/revoke"))).toBe(true);
  });
});

/**
 * OAuth through the client against a scripted Zoho on loopback: grant exchange, proactive and
 * reactive refresh, single-flight, reauth errors that delete nothing, per-user scoping, redaction.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createZohoCRM, type ZohoCRMClient } from "../../src/client.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";
import { ZohoAuthError, ZohoConfigError } from "../../src/errors.js";
import type { LogFn, Logger } from "../../src/logging.js";
import type { TokenRecord, TokenStore } from "../../src/stores/token-store.js";
import { requireToken, seedTokens, startFakeZoho, type FakeZoho } from "../helpers/fake-zoho.js";

const ALICE = "alice@example.com";
const BOB = "bob@example.com";
const SECRET = "client-secret-0123456789";

let fake: FakeZoho;
let store: MemoryTokenStore;
let lines: string[];
let crm: ZohoCRMClient;

function captureLogger(): Logger {
  const log: LogFn = (obj, msg) => void lines.push(JSON.stringify({ obj, msg }));
  return { trace: log, debug: log, info: log, warn: log, error: log };
}

function client(extra: Parameters<typeof createZohoCRM>[0] = {}): ZohoCRMClient {
  return createZohoCRM({
    clientId: "1000.CLIENTID",
    clientSecret: SECRET,
    redirectUri: "http://localhost/callback",
    user: ALICE,
    accountsUrl: fake.url,
    tokenStore: store,
    logger: captureLogger(),
    logLevel: "trace",
    retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 10 },
    ...extra,
  });
}

beforeEach(async () => {
  lines = [];
  fake = await startFakeZoho();
  fake.handler = requireToken(fake, (req) => ({
    body: { users: [{ id: "1", email: fake.tokenUsers.get(req.token!) }], info: { per_page: 200, count: 1, page: 1, more_records: false } },
  }));
  store = new MemoryTokenStore();
  crm = client();
});

afterEach(async () => {
  await crm.close();
  await fake.close();
  // Nothing secret in any captured log line, at the most verbose level.
  const all = lines.join("\n");
  expect(all).not.toContain(SECRET);
  for (const token of [...fake.validTokens, ...fake.tokenRequests.map((f) => f.get("refresh_token") ?? "")].filter(Boolean)) {
    expect(all).not.toContain(token);
  }
});

const currentUser = (c: Pick<ZohoCRMClient, "GET">) => c.GET("/crm/v2/users", { params: { query: { type: "CurrentUser" } } });

describe("grant exchange", () => {
  it("exchanges a grant once, persists tokens and api_domain, then calls the API", async () => {
    fake.grants.set("grant-1", { user: ALICE, used: false });
    const status = await crm.auth.exchangeGrantToken("grant-1");
    expect(status).toMatchObject({ user: ALICE, expired: false, hasRefreshToken: true, apiDomain: fake.url });
    expect(JSON.stringify(status)).not.toMatch(/1000\./);
    const stored = await store.get(ALICE);
    expect(stored?.accessToken).toMatch(/^1000\./);
    expect(stored?.apiDomain).toBe(fake.url);
    const form = fake.tokenRequests[0]!;
    expect(Object.fromEntries(form)).toMatchObject({
      grant_type: "authorization_code",
      code: "grant-1",
      client_id: "1000.CLIENTID",
      client_secret: SECRET,
      redirect_uri: "http://localhost/callback",
    });
    const { data, error } = await currentUser(crm);
    expect(error).toBeUndefined();
    expect(data?.users?.[0]?.email).toBe(ALICE);
  });

  it("a used grant token is a ZohoAuthError that says grants are single-use", async () => {
    fake.grants.set("grant-2", { user: ALICE, used: false });
    await crm.auth.exchangeGrantToken("grant-2");
    const error = await crm.auth.exchangeGrantToken("grant-2").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoAuthError);
    expect((error as ZohoAuthError).code).toBe("invalid_code");
    expect((error as ZohoAuthError).message).toMatch(/single-use/);
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });

  it("finds the user's email through /oauth/user/info when none is configured", async () => {
    const anonymous = client({ user: undefined });
    fake.grants.set("grant-3", { user: BOB, used: false });
    const status = await anonymous.auth.exchangeGrantToken("grant-3");
    expect(status.user).toBe(BOB);
    expect((await store.get(BOB))?.refreshToken).toMatch(/^1000\./);
    // No process-wide side effect: the client still has no default user...
    await expect(currentUser(anonymous)).rejects.toMatchObject({ code: "USER_REQUIRED" });
    expect((await currentUser(anonymous.forUser(BOB))).data?.users?.[0]?.email).toBe(BOB);
    // ...unless asked for, and only when it has none.
    fake.grants.set("grant-4", { user: BOB, used: false });
    await anonymous.auth.exchangeGrantToken("grant-4", { makeDefault: true });
    expect((await currentUser(anonymous)).data?.users?.[0]?.email).toBe(BOB);
    await anonymous.close();
  });
});

describe("refresh", () => {
  it("refreshes proactively inside the skew, keeping the refresh token", async () => {
    const seeded = seedTokens(fake, ALICE);
    await store.save({ user: ALICE, ...seeded, expiresAt: Date.now() + 30_000, apiDomain: fake.url });
    const refreshed: unknown[] = [];
    const c = client({ onTokenRefreshed: (e) => void refreshed.push(e) });
    expect((await currentUser(c)).error).toBeUndefined();
    expect(fake.refreshCount).toBe(1);
    const stored = await store.get(ALICE);
    expect(stored?.accessToken).not.toBe(seeded.accessToken);
    expect(stored?.refreshToken).toBe(seeded.refreshToken);
    expect(stored!.expiresAt).toBeGreaterThan(Date.now() + 3_000_000);
    expect(refreshed).toEqual([expect.objectContaining({ user: ALICE, reason: "refresh" })]);
    await c.close();
  });

  it("500 concurrent calls with an expired token spend exactly one refresh", async () => {
    const seeded = seedTokens(fake, ALICE);
    await store.save({ user: ALICE, ...seeded, expiresAt: Date.now() - 1000, apiDomain: fake.url });
    fake.refreshDelayMs = 100;
    const c = client({ maxConcurrency: 50 });
    const results = await Promise.all(Array.from({ length: 500 }, () => currentUser(c)));
    expect(results.every((r) => r.error === undefined && r.response.status === 200)).toBe(true);
    expect(fake.refreshCount).toBe(1);
    await c.close();
  });

  it("single-flight in the process even when the custom store has no lock", async () => {
    const rows = new Map<string, TokenRecord>();
    const plain: TokenStore = {
      get: async (user) => rows.get(user),
      save: async (record) => void rows.set(record.user, { ...record }),
      delete: async (user) => void rows.delete(user),
    };
    const seeded = seedTokens(fake, ALICE);
    await plain.save({ user: ALICE, ...seeded, expiresAt: Date.now() - 1000, apiDomain: fake.url });
    fake.refreshDelayMs = 100;
    const c = client({ tokenStore: plain, maxConcurrency: 50 });
    const results = await Promise.all(Array.from({ length: 300 }, () => currentUser(c)));
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(fake.refreshCount).toBe(1);
    expect(rows.get(ALICE)?.refreshToken).toBe(seeded.refreshToken);
    await c.close();
  });

  it("a 401 INVALID_TOKEN refreshes and replays the write once with its body intact", async () => {
    const seeded = seedTokens(fake, ALICE);
    await store.save({ user: ALICE, ...seeded, expiresAt: Date.now() + 3_600_000, apiDomain: fake.url });
    fake.validTokens.delete(seeded.accessToken); // Zoho invalidated it early
    const bodies: string[] = [];
    fake.handler = requireToken(fake, (req) => {
      bodies.push(req.body);
      return { status: 201, body: { data: [{ code: "SUCCESS", details: { id: "1" }, message: "record added", status: "success" }] } };
    });
    const input = { data: [{ Last_Name: "Replay", Company: "Body Intact Ltd" }] };
    const { data, error } = await crm.POST("/crm/v2/{module}", { params: { path: { module: "Leads" } }, body: input });
    expect(error).toBeUndefined();
    expect(data?.data?.[0]?.code).toBe("SUCCESS");
    expect(fake.refreshCount).toBe(1);
    expect(fake.crmRequests).toHaveLength(2);
    expect(fake.crmRequests[0]!.body).toBe(fake.crmRequests[1]!.body);
    expect(JSON.parse(bodies[0]!)).toEqual(input);
  });

  it("never loops: a second 401 after the refresh is returned as an error", async () => {
    const seeded = seedTokens(fake, ALICE);
    await store.save({ user: ALICE, ...seeded, expiresAt: Date.now() + 3_600_000, apiDomain: fake.url });
    fake.handler = () => ({ status: 401, body: { code: "INVALID_TOKEN", details: {}, message: "invalid oauth token", status: "error" } });
    const { error, response } = await currentUser(crm);
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ code: "INVALID_TOKEN", status: "error" });
    expect(fake.refreshCount).toBe(1);
    expect(fake.crmRequests).toHaveLength(2);
  });

  it("OAUTH_SCOPE_MISMATCH is not healed by a refresh", async () => {
    const seeded = seedTokens(fake, ALICE);
    await store.save({ user: ALICE, ...seeded, expiresAt: Date.now() + 3_600_000, apiDomain: fake.url });
    fake.handler = () => ({
      status: 401,
      body: { code: "OAUTH_SCOPE_MISMATCH", details: {}, message: "invalid oauth scope to access this URL", status: "error" },
    });
    const { error } = await currentUser(crm);
    expect(error).toMatchObject({ code: "OAUTH_SCOPE_MISMATCH" });
    expect(fake.refreshCount).toBe(0);
    expect(fake.crmRequests).toHaveLength(1);
  });

  it("a revoked refresh token raises reauth-required, calls the hook and deletes nothing", async () => {
    await store.save({
      user: ALICE,
      accessToken: "1000.expiredaccess0.token000000",
      refreshToken: "1000.revokedrefresh.token000000",
      expiresAt: Date.now() - 1,
      apiDomain: fake.url,
    });
    const events: unknown[] = [];
    const c = client({ onReauthRequired: (e) => void events.push(e) });
    const error = await currentUser(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoAuthError);
    expect(error).toMatchObject({ code: "invalid_code", reauthRequired: true, user: ALICE });
    expect((error as Error).message).toMatch(/grant access again/);
    expect(events).toEqual([{ user: ALICE, code: "invalid_code" }]);
    expect(await store.get(ALICE)).toMatchObject({ refreshToken: "1000.revokedrefresh.token000000" });
    await c.close();
  });

  it("no stored tokens is a clear error naming exchangeGrantToken", async () => {
    const error = await currentUser(crm).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NO_TOKENS", reauthRequired: true });
    expect((error as Error).message).toMatch(/exchangeGrantToken/);
  });

  it("revoke() revokes at Zoho and deletes the stored tokens", async () => {
    const seeded = seedTokens(fake, ALICE);
    await store.save({ user: ALICE, ...seeded, expiresAt: Date.now() + 3_600_000 });
    await crm.auth.revoke();
    expect(await store.get(ALICE)).toBeUndefined();
  });
});

describe("many users", () => {
  it("interleaved withUser calls never carry the other user's token", async () => {
    for (const user of [ALICE, BOB]) {
      const seeded = seedTokens(fake, user);
      await store.save({ user, ...seeded, expiresAt: Date.now() + 3_600_000, apiDomain: fake.url });
    }
    const seen: Array<[string, string | undefined]> = [];
    fake.handler = requireToken(fake, (req) => {
      const owner = fake.tokenUsers.get(req.token!);
      return {
        delayMs: Math.floor(Math.random() * 5),
        body: { users: [{ id: "1", email: owner }], info: { per_page: 200, count: 1, page: 1, more_records: false } },
      };
    });
    const calls = Array.from({ length: 400 }, (_, i) => {
      const user = i % 2 === 0 ? ALICE : BOB;
      return crm.withUser(user, async () => {
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        const { data } = await currentUser(crm);
        seen.push([user, data?.users?.[0]?.email as string | undefined]);
      });
    });
    await Promise.all(calls);
    expect(seen).toHaveLength(400);
    expect(seen.filter(([asked, got]) => asked !== got)).toEqual([]);
  });

  it("a call without any user is a ZohoConfigError", async () => {
    const c = client({ user: undefined });
    const error = await currentUser(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoConfigError);
    expect((error as ZohoConfigError).message).toMatch(/withUser/);
    await c.close();
  });
});

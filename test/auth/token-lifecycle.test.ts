/**
 * Zoho allows 10 access tokens per refresh token per 10 minutes: the token manager must not spend
 * them where they cannot help. A 401 a fresh token does not fix is refreshed once, not per call; a
 * dead refresh token puts the user in "re-consent needed" (fail fast, one hook call); a short token
 * lifetime does not make every call refresh; absurd lifetimes are clamped.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expiresAtFrom } from "../../src/auth/token-response.js";
import { createZohoCRM, type ZohoCRMClient } from "../../src/client.js";
import type { ZohoCRMOptions } from "../../src/config.js";
import { ZohoAuthError } from "../../src/errors.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";
import { TypeOrmTokenStore } from "../../src/typeorm.js";
import { requireToken, seedTokens, startFakeZoho, type FakeZoho } from "../helpers/fake-zoho.js";

const USER = "life@example.com";
let fake: FakeZoho;
let store: MemoryTokenStore;
const clients: ZohoCRMClient[] = [];

beforeEach(async () => {
  fake = await startFakeZoho();
  fake.refreshDelayMs = 0;
  fake.handler = requireToken(fake, () => ({ body: { users: [{ id: "1", email: USER }], info: { per_page: 1, count: 1, page: 1, more_records: false } } }));
  store = new MemoryTokenStore();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await fake.close();
});

const client = (extra: Partial<ZohoCRMOptions> = {}) => {
  const c = createZohoCRM({
    clientId: "1000.LIFE",
    clientSecret: "life-secret-0000",
    user: USER,
    accountsUrl: fake.url,
    tokenStore: store,
    retry: false,
    ...extra,
  });
  clients.push(c);
  return c;
};
const me = (c: ZohoCRMClient) => c.GET("/crm/v2/users", { params: { query: { type: "CurrentUser" } } });
const seed = async (expiresAt = Date.now() + 3_600_000) => {
  const tokens = seedTokens(fake, USER);
  await store.save({ user: USER, ...tokens, expiresAt, apiDomain: fake.url });
  return tokens;
};

describe("a 401 that a fresh token does not fix", () => {
  it("is returned typed after one refresh; ten more calls with that token spend no refresh", async () => {
    await seed();
    fake.handler = () => ({ status: 401, body: { code: "INVALID_TOKEN", details: {}, message: "invalid oauth token", status: "error" } });
    const c = client();
    const first = await me(c);
    expect(first.response.status).toBe(401);
    expect(first.error).toMatchObject({ code: "INVALID_TOKEN" });
    expect(fake.refreshCount).toBe(1);
    for (let i = 0; i < 10; i++) expect((await me(c)).response.status).toBe(401);
    expect(fake.refreshCount).toBe(1);
    expect(fake.crmRequests).toHaveLength(12); // the call, its one replay, then one each
  });

  it("once the token changes (a new grant, a refresh elsewhere), 401s may heal again", async () => {
    await seed();
    fake.handler = () => ({ status: 401, body: { code: "INVALID_TOKEN", details: {}, message: "invalid oauth token", status: "error" } });
    const c = client();
    await me(c);
    await me(c);
    expect(fake.refreshCount).toBe(1);
    fake.handler = requireToken(fake, () => ({ body: { users: [{ id: "1", email: USER }], info: { per_page: 1, count: 1, page: 1, more_records: false } } }));
    fake.grants.set("grant-again", { user: USER, used: false });
    await c.auth.exchangeGrantToken("grant-again");
    expect((await me(c)).response.status).toBe(200);
  });
});

describe("a dead refresh token", () => {
  it("puts the user in re-consent needed: calls fail fast with REAUTH_REQUIRED, Accounts is not asked again, the hook fires once", async () => {
    const tokens = await seed(Date.now() - 1000);
    fake.tokenReplies.push({ body: { error: "invalid_code" } });
    const events: unknown[] = [];
    const c = client({ onReauthRequired: (event) => void events.push(event) });
    const first = await me(c).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ZohoAuthError);
    expect(first).toMatchObject({ code: "invalid_code", reauthRequired: true });
    const tokenCalls = fake.tokenRequests.length;
    for (let i = 0; i < 5; i++) {
      const error = await me(c).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ZohoAuthError);
      expect(error).toMatchObject({ code: "REAUTH_REQUIRED", reauthRequired: true, user: USER });
      expect((error as Error).message).not.toContain(tokens.refreshToken);
    }
    expect(fake.tokenRequests).toHaveLength(tokenCalls);
    expect(fake.crmRequests).toHaveLength(0);
    expect(events).toEqual([{ user: USER, code: "invalid_code" }]);

    // New tokens saved (a new consent, here through another client on the same store): calls work again.
    fake.grants.set("grant-new", { user: USER, used: false });
    await client().auth.exchangeGrantToken("grant-new");
    expect((await me(c)).response.status).toBe(200);
  });
});

describe("token lifetimes", () => {
  it("a 30-second token does not refresh on every call: the margin is min(refreshSkewMs, lifetime / 2)", async () => {
    fake.expiresIn = 30;
    fake.grants.set("grant-short", { user: USER, used: false });
    const c = client(); // default refreshSkewMs: 60 s, longer than the token lives
    await c.auth.exchangeGrantToken("grant-short");
    for (let i = 0; i < 5; i++) expect((await me(c)).response.status).toBe(200);
    expect(fake.refreshCount).toBe(0);
  });

  it("absurd expires_in values are clamped: never already expired, never more than a day", () => {
    const now = 1_700_000_000_000;
    for (const expires_in of [0, -5, "abc", null, Number.NaN]) expect(expiresAtFrom({ expires_in }, now)).toBe(now + 3_600_000);
    for (const expires_in of [1e12, Number.MAX_SAFE_INTEGER, 86_401]) expect(expiresAtFrom({ expires_in }, now)).toBe(now + 86_400_000);
    expect(expiresAtFrom({ expires_in: 3600 }, now)).toBe(now + 3_600_000);
  });

  it("a token response with a huge expires_in is stored in a real database column", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "zcrm-life-"));
    const sqlite = new TypeOrmTokenStore({ type: "better-sqlite3", database: path.join(dir, "t.sqlite"), synchronize: true });
    try {
      fake.tokenReplies.push({ body: { access_token: "1000.huge.lifetime", refresh_token: "1000.huge.refresh", api_domain: fake.url, expires_in: 1e300 } });
      fake.tokenUsers.set("1000.huge.lifetime", USER);
      const c = client({ tokenStore: sqlite });
      const status = await c.auth.exchangeGrantToken("any-grant");
      expect(status.expiresAt - Date.now()).toBeLessThanOrEqual(86_400_000);
      expect((await sqlite.get(USER))?.expiresAt).toBe(status.expiresAt);
    } finally {
      await sqlite.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/**
 * One owner for a call's identity (src/auth/call-auth.ts): user middleware cannot move a call or
 * switch off the 401 replay; grants are stored under the user Zoho names; iterators and views keep
 * their user; the escape hatches (auth.accessToken, crm.fetch) go through the same identity.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Middleware } from "openapi-fetch";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createZohoCRM, type ZohoCRMClient } from "../../src/client.js";
import type { ZohoCRMOptions } from "../../src/config.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { ZohoAuthError, ZohoConfigError } from "../../src/errors.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";
import { requireToken, seedTokens, startFakeZoho, type FakeZoho } from "../helpers/fake-zoho.js";

const ALICE = "alice@example.com";
const BOB = "bob@example.com";

/** A second host (127.0.0.2) that records whatever reaches it: no token may. */
async function startForeignHost(): Promise<{ url: string; hits: http.IncomingHttpHeaders[]; close(): Promise<void> }> {
  const hits: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.headers);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: [{ id: "foreign" }], info: { more_records: false } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.2", resolve));
  return {
    url: `http://127.0.0.2:${(server.address() as AddressInfo).port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A page of one user, named after the token's owner: tells which user's token a call carried. */
const whoAmI = (fake: FakeZoho) =>
  requireToken(fake, (req) => ({
    body: {
      users: [{ id: "1", email: fake.tokenUsers.get(req.token!) }],
      info: { per_page: 1, count: 1, page: Number(req.query.get("page") ?? 1), more_records: Number(req.query.get("page") ?? 1) < 3 },
    },
  }));

describe("user middleware cannot move a call or switch off the replay", () => {
  let fake: FakeZoho;
  let foreign: Awaited<ReturnType<typeof startForeignHost>>;
  beforeEach(async () => {
    [fake, foreign] = await Promise.all([startFakeZoho(), startForeignHost()]);
    fake.handler = whoAmI(fake);
  });
  afterEach(async () => {
    await Promise.all([fake.close(), foreign.close()]);
  });

  it("a middleware returning a new Request for another host: the call (and its token) still go to the API host, and a 401 is still healed", async () => {
    const store = new MemoryTokenStore();
    const seeded = seedTokens(fake, ALICE);
    await store.save({ user: ALICE, ...seeded, expiresAt: Date.now() + 3_600_000, apiDomain: fake.url });
    const crm = createZohoCRM({ clientId: "1000.ID", clientSecret: "secret-secret", user: ALICE, accountsUrl: fake.url, tokenStore: store });
    const hijack: Middleware = {
      onRequest: ({ request }) => new Request(request.url.replace(new URL(request.url).origin, foreign.url), request),
    };
    crm.use(hijack);
    fake.validTokens.clear(); // Zoho no longer accepts the stored token: 401, refresh, replay
    const { data, response } = await crm.GET("/crm/v2/users", { params: { query: { type: "CurrentUser" } } });
    expect(response.status).toBe(200);
    expect(data?.users?.[0]?.email).toBe(ALICE);
    expect(foreign.hits).toEqual([]);
    expect(fake.refreshCount).toBe(1);
    expect(fake.crmRequests.map((r) => r.path)).toEqual(["/crm/v2/users", "/crm/v2/users"]);
    await crm.close();
  });
});

describe("many users on one client", () => {
  let emulator: Emulator;
  let crm: ZohoCRMClient;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, clock: "manual", log: () => {} });
  });
  afterAll(async () => {
    await crm?.close();
    await emulator?.close();
  });
  const client = (extra: Partial<ZohoCRMOptions> = {}) =>
    createZohoCRM({
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      accountsUrl: emulator.url,
      tokenStore: new MemoryTokenStore(),
      ...extra,
    });
  const me = async (c: Pick<ZohoCRMClient, "GET">) => (await c.GET("/crm/v2/users", { params: { query: { type: "CurrentUser" } } })).data?.users?.[0]?.email;

  it("grants of two users in a row are stored under each user's own name; interleaved withUser calls see their own user", async () => {
    crm = client();
    const a = await crm.auth.exchangeGrantToken(emulator.mintGrantCode({ user: ALICE }));
    const b = await crm.auth.exchangeGrantToken(emulator.mintGrantCode({ user: BOB }));
    expect([a.user, b.user]).toEqual([ALICE, BOB]);
    expect(emulator.stats.userInfoCalls).toBe(2); // asked Zoho both times
    const seen = await Promise.all(Array.from({ length: 20 }, (_, i) => crm.withUser(i % 2 ? BOB : ALICE, () => me(crm))));
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 ? BOB : ALICE)));
    expect(await crm.auth.status(ALICE)).toMatchObject({ user: ALICE, hasRefreshToken: true });
    expect(await crm.auth.status(BOB)).toMatchObject({ user: BOB, hasRefreshToken: true });
  });

  it("a grant Zoho says belongs to someone else than the given user: GRANT_USER_MISMATCH, nothing stored, the issued refresh token revoked", async () => {
    const store = new MemoryTokenStore();
    const c = client({ tokenStore: store });
    const revokes = emulator.stats.revokes;
    const error = await c.auth.exchangeGrantToken(emulator.mintGrantCode({ user: BOB }), { user: ALICE }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoAuthError);
    expect(error).toMatchObject({ code: "GRANT_USER_MISMATCH", user: ALICE });
    expect((error as Error).message).toContain(BOB);
    expect(await store.get(ALICE)).toBeUndefined();
    expect(await store.get(BOB)).toBeUndefined();
    expect(emulator.stats.revokes).toBe(revokes + 1);
    await c.close();
  });

  it("the configured user is the expected one: a grant of another user is refused, not stored under the configured name", async () => {
    const store = new MemoryTokenStore();
    const c = client({ tokenStore: store, user: ALICE });
    await expect(c.auth.exchangeGrantToken(emulator.mintGrantCode({ user: BOB }))).rejects.toMatchObject({ code: "GRANT_USER_MISMATCH" });
    expect(await store.get(ALICE)).toBeUndefined();
    await c.close();
  });

  it("forUser(email) is a view bound to one user: calls, paginate, module API, auth", async () => {
    const bob = crm.forUser(BOB);
    expect(bob.user).toBe(BOB);
    expect(await me(bob)).toBe(BOB);
    expect(await crm.withUser(ALICE, () => me(bob))).toBe(BOB); // the view wins over an enclosing scope
    expect((await bob.auth.status())?.user).toBe(BOB);
    const leads = await bob.module("Leads").list({ perPage: 1 });
    expect(leads.records).toHaveLength(1);
    expect(() => crm.forUser("not-an-email")).toThrow(ZohoConfigError);
  });
});

describe("iterators keep the user they were created under", () => {
  let fake: FakeZoho;
  let crm: ZohoCRMClient;
  beforeAll(async () => {
    fake = await startFakeZoho();
    fake.handler = whoAmI(fake);
    const store = new MemoryTokenStore();
    for (const user of [ALICE, BOB]) await store.save({ user, ...seedTokens(fake, user), expiresAt: Date.now() + 3_600_000, apiDomain: fake.url });
    crm = createZohoCRM({ clientId: "1000.ID", clientSecret: "secret-secret", user: BOB, accountsUrl: fake.url, tokenStore: store });
  });
  afterAll(async () => {
    await crm.close();
    await fake.close();
  });
  const emails = async (iterator: AsyncIterable<{ email?: string | null }>) => {
    const out: Array<string | null | undefined> = [];
    for await (const user of iterator) out.push(user.email);
    return out;
  };

  it("paginate() created inside withUser(ALICE) and iterated outside it (default user BOB) calls as ALICE on every page", async () => {
    const records = crm.withUser(ALICE, () => crm.paginate("/crm/v2/users", { params: { query: { type: "AllUsers" } } }, { perPage: 1 }));
    const pages = crm.withUser(ALICE, () => crm.paginate.pages("/crm/v2/users", { params: { query: { type: "AllUsers" } } }, { perPage: 1 }));
    expect(await emails(records)).toEqual([ALICE, ALICE, ALICE]);
    const seen: string[] = [];
    for await (const page of pages) seen.push(...page.items.map((u) => String(u.email)));
    expect(seen).toEqual([ALICE, ALICE, ALICE]);
  });

  it("a forUser view's iterators, and an iterator without any scope, use their own user", async () => {
    expect(await emails(crm.forUser(ALICE).paginate("/crm/v2/users", { params: { query: { type: "AllUsers" } } }, { perPage: 1 }))).toEqual([
      ALICE,
      ALICE,
      ALICE,
    ]);
    expect(await emails(crm.paginate("/crm/v2/users", { params: { query: { type: "AllUsers" } } }, { perPage: 1 }))).toEqual([BOB, BOB, BOB]);
  });
});

describe("the escape hatches go through the same identity", () => {
  let emulator: Emulator;
  let crm: ZohoCRMClient;
  let foreign: Awaited<ReturnType<typeof startForeignHost>>;
  beforeAll(async () => {
    [emulator, foreign] = await Promise.all([startEmulator({ port: 0, clock: "manual", log: () => {} }), startForeignHost()]);
    crm = createZohoCRM({ clientId: emulator.clientId, clientSecret: emulator.clientSecret, accountsUrl: emulator.url, tokenStore: new MemoryTokenStore() });
    await crm.auth.exchangeGrantToken(emulator.mintGrantCode(), { makeDefault: true });
  });
  afterAll(async () => {
    await crm.close();
    await emulator.close();
    await foreign.close();
  });

  it("auth.accessToken() is a valid token, refreshed first when due (the Python SDK's get_access_token)", async () => {
    const token = await crm.auth.accessToken();
    const raw = await fetch(`${emulator.url}/crm/v2/org`, { headers: { authorization: `Zoho-oauthtoken ${token}` } });
    expect(raw.status).toBe(200);

    const fake = await startFakeZoho();
    const store = new MemoryTokenStore();
    const seeded = seedTokens(fake, ALICE);
    await store.save({ user: ALICE, ...seeded, expiresAt: Date.now() - 1, apiDomain: fake.url });
    const due = createZohoCRM({ clientId: "1000.ID", clientSecret: "secret-secret", accountsUrl: fake.url, tokenStore: store });
    const fresh = await due.auth.accessToken(ALICE);
    expect(fresh).not.toBe(seeded.accessToken);
    expect(fake.validTokens.has(fresh)).toBe(true);
    expect(await due.auth.accessToken(ALICE)).toBe(fresh);
    expect(fake.refreshCount).toBe(1);
    await due.close();
    await fake.close();
  });

  it("crm.fetch(path) is a raw call with the user's token; a 401 is healed by refresh + replay", async () => {
    const org = await crm.fetch("/crm/v2/org");
    expect(org.status).toBe(200);
    expect(((await org.json()) as { org: Array<{ id: string }> }).org[0]?.id).toBeDefined();
    emulator.state.expireAccessTokens();
    const refreshes = emulator.stats.refreshes;
    const again = await crm.fetch("/crm/v2/users?type=CurrentUser");
    expect(again.status).toBe(200);
    expect(emulator.stats.refreshes).toBe(refreshes + 1);
    const posted = await crm.fetch("/crm/v2/Leads", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: [{ Last_Name: "Raw" }] }),
    });
    expect(posted.status).toBe(201);
  });

  it("crm.fetch(url) refuses a host other than the API or Accounts host, sending nothing", async () => {
    const error = await crm.fetch(`${foreign.url}/crm/v2/org`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoConfigError);
    expect(error).toMatchObject({ code: "HOST_NOT_ALLOWED" });
    expect(foreign.hits).toEqual([]);
    expect((await crm.fetch(`${emulator.url}/crm/v2/org`)).status).toBe(200);
  });
});

/**
 * The emulator's Zoho Accounts side and CRM authentication, through the typed client and raw HTTP:
 * token shapes, single-use and expiring grants, invalid_client, user/info, revoke, the
 * 10-per-10-minutes refresh limit, 401s, and transparent refresh of expired tokens.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ZohoAuthError } from "../../src/errors.js";
import { DEFAULT_USER_EMAIL, EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, REFRESH_WINDOW_MS } from "../../src/emulator/index.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";
import { client, startHarness, type Harness } from "./helpers.js";

const TOKEN = /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/;
let h: Harness;

/** A token-endpoint call with the parameters urlencoded, in the query string, or as multipart/form-data. */
async function tokenCall(params: Record<string, string>, how: "form" | "query" | "multipart" = "form", path = "/oauth/v2/token") {
  const form = new URLSearchParams(params);
  const url = how === "query" ? `${h.emulator.url}${path}?${form}` : `${h.emulator.url}${path}`;
  const body = how === "form" ? form : how === "multipart" ? multipart(params) : undefined;
  const response = await fetch(url, { method: "POST", ...(body ? { body } : {}) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Multipart form data, as Zoho's own SDKs post token requests (fetch sets the boundary). */
function multipart(params: Record<string, string>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(params)) form.append(key, value);
  return form;
}

const grant = (code: string) => ({
  grant_type: "authorization_code",
  client_id: EMULATOR_CLIENT_ID,
  client_secret: EMULATOR_CLIENT_SECRET,
  redirect_uri: "http://x/cb",
  code,
});

beforeEach(async () => {
  h = await startHarness({}, {}, false);
});
afterEach(async () => {
  expect(h.emulator.stats.responseValidationFailures).toEqual([]);
  await h.close();
});

describe("token endpoint", () => {
  it("exchanges a grant (form body) for Zoho-shaped tokens and api_domain = the emulator", async () => {
    const { status, body } = await tokenCall(grant(h.emulator.mintGrantCode()));
    expect(status).toBe(200);
    expect(body).toEqual({
      access_token: expect.stringMatching(TOKEN),
      refresh_token: expect.stringMatching(TOKEN),
      api_domain: h.emulator.url,
      token_type: "Bearer",
      expires_in: 3600,
    });
    expect(h.emulator.stats.grantExchanges).toBe(1);
  });

  it("accepts parameters in the query string; a refresh has no refresh_token", async () => {
    const first = await tokenCall(grant(h.emulator.mintGrantCode()), "query");
    const refresh = await tokenCall(
      { grant_type: "refresh_token", client_id: EMULATOR_CLIENT_ID, client_secret: EMULATOR_CLIENT_SECRET, refresh_token: String(first.body.refresh_token) },
      "query",
    );
    expect(refresh.body).toEqual({ access_token: expect.stringMatching(TOKEN), api_domain: h.emulator.url, token_type: "Bearer", expires_in: 3600 });
    expect(h.emulator.stats.refreshes).toBe(1);
  });

  it("accepts multipart/form-data bodies (how Zoho's own SDKs post grant and refresh requests)", async () => {
    const first = await tokenCall(grant(h.emulator.mintGrantCode()), "multipart");
    expect(first.body).toMatchObject({ access_token: expect.stringMatching(TOKEN), refresh_token: expect.stringMatching(TOKEN) });
    const refresh = await tokenCall(
      { grant_type: "refresh_token", client_id: EMULATOR_CLIENT_ID, client_secret: EMULATOR_CLIENT_SECRET, refresh_token: String(first.body.refresh_token) },
      "multipart",
    );
    expect(refresh.body).toEqual({ access_token: expect.stringMatching(TOKEN), api_domain: h.emulator.url, token_type: "Bearer", expires_in: 3600 });
    expect(h.emulator.stats).toMatchObject({ grantExchanges: 1, refreshes: 1, tokenErrors: 0 });
    // The client secret is read from the multipart body too: a wrong one is still invalid_client.
    expect((await tokenCall({ ...grant(h.emulator.mintGrantCode()), client_secret: "nope" }, "multipart")).body).toEqual({ error: "invalid_client" });
  });

  it("a grant code is single-use: the second exchange is HTTP 200 {error: invalid_code}", async () => {
    const code = h.emulator.mintGrantCode();
    expect((await tokenCall(grant(code))).body.access_token).toBeDefined();
    expect(await tokenCall(grant(code))).toEqual({ status: 200, body: { error: "invalid_code" } });
    // ...and through the client it is a ZohoAuthError naming the code.
    await expect(h.crm.auth.exchangeGrantToken(code)).rejects.toMatchObject({ name: "ZohoAuthError", code: "invalid_code" });
  });

  it("a grant code expires after grantTtlSec", async () => {
    const code = h.emulator.mintGrantCode();
    h.emulator.state.advanceClock(121_000);
    expect((await tokenCall(grant(code))).body).toEqual({ error: "invalid_code" });
  });

  it("a wrong client id or secret is HTTP 200 {error: invalid_client}", async () => {
    expect(await tokenCall({ ...grant(h.emulator.mintGrantCode()), client_secret: "nope" })).toEqual({ status: 200, body: { error: "invalid_client" } });
    const wrong = client(h.emulator, new MemoryTokenStore(), { clientId: "1000.SOMEONEELSE" });
    await expect(wrong.auth.exchangeGrantToken(h.emulator.mintGrantCode())).rejects.toMatchObject({ code: "invalid_client" });
    await wrong.close();
  });

  it("the emulator-only consent shortcut POST /emulator/grant mints a code for any user", async () => {
    const response = await fetch(`${h.emulator.url}/emulator/grant`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: "new.person@example.com" }),
    });
    const { code } = (await response.json()) as { code: string };
    const other = client(h.emulator, new MemoryTokenStore(), { user: undefined });
    const status = await other.auth.exchangeGrantToken(code);
    expect(status.user).toBe("new.person@example.com"); // learnt from GET /oauth/user/info
    const me = await other.withUser(status.user, () => other.GET("/crm/v2/users", { params: { query: { type: "CurrentUser" } } }));
    expect(me.data?.users[0]?.email).toBe("new.person@example.com");
    await other.close();
  });
});

describe("user info and revoke", () => {
  it("GET /oauth/user/info names the token's user; a bad token is 401", async () => {
    const { body } = await tokenCall(grant(h.emulator.mintGrantCode()));
    const info = await fetch(`${h.emulator.url}/oauth/user/info`, { headers: { authorization: `Zoho-oauthtoken ${String(body.access_token)}` } });
    expect(await info.json()).toMatchObject({ Email: DEFAULT_USER_EMAIL, Display_Name: "Patricia Boyle", ZUID: expect.any(Number) });
    expect((await fetch(`${h.emulator.url}/oauth/user/info`, { headers: { authorization: "Zoho-oauthtoken 1000.x.y" } })).status).toBe(401);
  });

  it("revoking the refresh token kills its access tokens and further refreshes", async () => {
    await h.crm.auth.exchangeGrantToken(h.emulator.mintGrantCode());
    const stored = (await h.store.get(DEFAULT_USER_EMAIL))!;
    await h.crm.auth.revoke();
    expect(h.emulator.stats.revokes).toBe(1);
    expect((await h.raw("GET", "/crm/v2/org", { token: stored.accessToken })).json).toMatchObject({ code: "INVALID_TOKEN" });
    expect(
      (
        await tokenCall({
          grant_type: "refresh_token",
          client_id: EMULATOR_CLIENT_ID,
          client_secret: EMULATOR_CLIENT_SECRET,
          refresh_token: stored.refreshToken,
        })
      ).body,
    ).toEqual({ error: "invalid_code" });
  });
});

describe("revoke parameters", () => {
  it.each(["query", "form", "multipart"] as const)("revoke reads the token from the %s", async (how) => {
    const { body } = await tokenCall(grant(h.emulator.mintGrantCode()));
    const refreshToken = String(body.refresh_token);
    expect((await tokenCall({ token: refreshToken }, how, "/oauth/v2/token/revoke")).body).toEqual({ status: "success" });
    const refresh = { grant_type: "refresh_token", client_id: EMULATOR_CLIENT_ID, client_secret: EMULATOR_CLIENT_SECRET, refresh_token: refreshToken };
    expect((await tokenCall(refresh)).body).toEqual({ error: "invalid_code" });
  });
});

describe("refresh limit", () => {
  it("a refresh token mints at most 10 access tokens per rolling 10 minutes, then 'Access Denied'", async () => {
    await h.crm.auth.exchangeGrantToken(h.emulator.mintGrantCode());
    for (let i = 0; i < 10; i++) await h.crm.auth.refresh();
    const error = await h.crm.auth.refresh().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoAuthError);
    expect(error).toMatchObject({ code: "access_denied" });
    const raw = await tokenCall({
      grant_type: "refresh_token",
      client_id: EMULATOR_CLIENT_ID,
      client_secret: EMULATOR_CLIENT_SECRET,
      refresh_token: (await h.store.get(DEFAULT_USER_EMAIL))!.refreshToken,
    });
    expect(raw).toEqual({ status: 200, body: { error: "Access Denied", error_description: expect.any(String) } });
    expect(h.emulator.stats.accessDenied).toBe(2);
    h.emulator.state.advanceClock(REFRESH_WINDOW_MS);
    await expect(h.crm.auth.refresh()).resolves.toMatchObject({ expired: false });
    expect(h.emulator.stats.refreshes).toBe(11);
  });
});

describe("CRM authentication", () => {
  beforeEach(async () => {
    await h.crm.auth.exchangeGrantToken(h.emulator.mintGrantCode());
  });

  it("no Authorization header → 401 AUTHENTICATION_FAILURE", async () => {
    const r = await h.raw("GET", "/crm/v2/Leads", { token: null });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ code: "AUTHENTICATION_FAILURE", details: {}, message: "Authentication failed", status: "error" });
  });

  it("an unknown token → 401 INVALID_TOKEN", async () => {
    const r = await h.raw("GET", "/crm/v2/Leads", { token: "1000.00000000000000000000000000000000.00000000000000000000000000000000" });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ code: "INVALID_TOKEN", details: {}, message: "invalid oauth token", status: "error" });
    expect(h.emulator.stats.unauthorized).toBe(1);
  });

  it("a token the emulator expired → 401 INVALID_TOKEN → the client refreshes and replays once", async () => {
    h.emulator.state.expireAccessTokens();
    const { data, response } = await h.crm.GET("/crm/v2/org", {});
    expect(response.status).toBe(200);
    expect(data?.org[0]?.company_name).toBeTruthy();
    expect(h.emulator.stats.unauthorized).toBe(1);
    expect(h.emulator.stats.refreshes).toBe(1);
  });

  it("a token past its TTL is refreshed by the client before the call (no 401 at all)", async () => {
    const short = await startHarness({ accessTokenTtlSec: 60 }, { refreshSkewMs: 0 });
    // 61 s pass for both sides: the client's Date (faked; timers stay real) and the emulator's clock.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61_000);
    short.emulator.state.advanceClock(61_000);
    const { response } = await short.crm.GET("/crm/v2/users", { params: { query: { type: "CurrentUser" } } }).finally(() => vi.useRealTimers());
    expect(response.status).toBe(200);
    expect(short.emulator.stats.refreshes).toBe(1);
    expect(short.emulator.stats.unauthorized).toBe(0);
    expect(short.emulator.stats.responseValidationFailures).toEqual([]);
    await short.close();
  });

  it("scopes are enforced: a grant without ZohoCRM.coql gets OAUTH_SCOPE_MISMATCH on COQL", async () => {
    const store = new MemoryTokenStore();
    const limited = client(h.emulator, store);
    await limited.auth.exchangeGrantToken(h.emulator.mintGrantCode({ scopes: ["ZohoCRM.modules.leads.READ"] }));
    expect((await limited.GET("/crm/v2/{module}", { params: { path: { module: "Leads" } } })).response.status).toBe(200);
    const contacts = await limited.GET("/crm/v2/{module}", { params: { path: { module: "Contacts" } } });
    expect(contacts.error).toMatchObject({ code: "OAUTH_SCOPE_MISMATCH" });
    const coql = await limited.POST("/crm/v2/coql", { body: { select_query: "select Last_Name from Leads where Last_Name is not null" } });
    expect(coql.response.status).toBe(401);
    await limited.close();
  });
});

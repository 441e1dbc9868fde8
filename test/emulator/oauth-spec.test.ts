/**
 * The Zoho Accounts operations of the spec (`generateAccessToken`, `revokeToken`, `getUserInfo`)
 * called through the typed client against the emulator, whose Accounts replies are validated
 * against them (failures would land in `stats.responseValidationFailures`).
 */
import { describe, expect, it } from "vitest";
import { ACCOUNTS_OPERATIONS, checkAccountsReply } from "../../src/emulator/accounts-validation.js";
import { DEFAULT_USER_EMAIL } from "../../src/emulator/index.js";
import { SpecValidator } from "../../src/emulator/spec-validator.js";
import { createStats } from "../../src/emulator/stats.js";
import { useSharedHarness, type Harness } from "./helpers.js";

let h: Harness;

useSharedHarness((harness) => (h = harness));

const form = {
  bodySerializer: (body: unknown) => new URLSearchParams(body as Record<string, string>),
  headers: { "content-type": "application/x-www-form-urlencoded" },
};

describe("Zoho Accounts operations through the typed client", () => {
  it("generateAccessToken: grant exchange, refresh (no refresh_token), and HTTP-200 error bodies", async () => {
    const credentials = { client_id: h.emulator.clientId, client_secret: h.emulator.clientSecret };
    const code = h.emulator.mintGrantCode();
    const grant = await h.crm.POST("/oauth/v2/token", {
      body: { grant_type: "authorization_code", code, redirect_uri: "http://localhost/callback", ...credentials },
      ...form,
    });
    expect(grant.response.status).toBe(200);
    expect(grant.data).toMatchObject({ token_type: "Bearer", expires_in: 3600, api_domain: h.emulator.url });
    const tokens = grant.data as { access_token: string; refresh_token: string };
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const refreshed = await h.crm.POST("/oauth/v2/token", {
      body: { grant_type: "refresh_token", refresh_token: tokens.refresh_token, ...credentials },
      ...form,
    });
    expect(refreshed.data).toMatchObject({ access_token: expect.any(String), expires_in: 3600 });
    expect(refreshed.data).not.toHaveProperty("refresh_token");

    const reused = await h.crm.POST("/oauth/v2/token", {
      body: { grant_type: "authorization_code", code, redirect_uri: "http://localhost/callback", ...credentials },
      ...form,
    });
    expect(reused.response.status).toBe(200);
    expect(reused.data).toEqual({ error: "invalid_code" });
    const wrongClient = await h.crm.POST("/oauth/v2/token", {
      body: { grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id: "nope", client_secret: "nope" },
      ...form,
    });
    expect(wrongClient.data).toEqual({ error: "invalid_client" });

    const revoked = await h.crm.POST("/oauth/v2/token/revoke", { params: { query: { token: tokens.refresh_token } } });
    expect(revoked.data).toEqual({ status: "success" });
    const afterRevoke = await h.crm.POST("/oauth/v2/token", {
      body: { grant_type: "refresh_token", refresh_token: tokens.refresh_token, ...credentials },
      ...form,
    });
    expect(afterRevoke.data).toEqual({ error: "invalid_code" });
    expect(h.emulator.stats.revokes).toBe(1);
  });

  it("getUserInfo: the user behind the access token; 401 without one", async () => {
    const info = await h.crm.GET("/oauth/user/info", {});
    expect(info.data).toMatchObject({ Email: DEFAULT_USER_EMAIL, ZUID: expect.any(Number) });
    const anonymous = await h.raw("GET", "/oauth/user/info", { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toEqual({ error: "invalid_token" });
  });

  it("the Accounts replies are validated: operations match the spec, and a reply breaking it is recorded", () => {
    const validator = SpecValidator.load();
    for (const op of ACCOUNTS_OPERATIONS) expect(validator.operation(op.operationId)).toMatchObject({ method: op.method, path: op.path });
    const stats = createStats();
    const logs: string[] = [];
    checkAccountsReply(validator, stats, (l) => void logs.push(l), "POST", "/oauth/v2/token", { status: 200, body: { access_token: 42 } });
    checkAccountsReply(validator, stats, (l) => void logs.push(l), "POST", "/oauth/v2/token", { status: 200, body: { error: "invalid_code" } });
    checkAccountsReply(validator, stats, (l) => void logs.push(l), "GET", "/oauth/v2/token", { status: 405, body: { error: "invalid_request" } });
    expect(stats.responseValidationFailures.map((f) => f.operationId)).toEqual(["generateAccessToken"]);
    expect(logs).toHaveLength(1);
  });
});

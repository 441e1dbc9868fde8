import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseTokenResponse, expiresAtFrom } from "../../src/auth/token-response.js";
import { ZohoAuthError } from "../../src/errors.js";
import { thrown } from "../helpers/thrown.js";

const sample = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/zoho-samples/${name}`, import.meta.url), "utf8"));
const NOW = 1_700_000_000_000;

const authError = (fn: () => unknown) => thrown(ZohoAuthError, fn);

describe("token responses", () => {
  it("reads a grant response: tokens, api_domain, expires_in in seconds", () => {
    const grant = parseTokenResponse({ body: sample("oauth-token.response.json"), kind: "grant", status: 200, now: NOW });
    expect(grant.accessToken).toMatch(/\S+/);
    expect(grant.refreshToken).toMatch(/\S+/);
    expect(grant.apiDomain).toMatch(/^https:\/\//);
    expect(grant.expiresAt).toBe(NOW + 3600 * 1000);
  });

  it("a refresh response has no refresh token", () => {
    const grant = parseTokenResponse({ body: sample("oauth-refresh.response.json"), kind: "refresh", status: 200, now: NOW });
    expect(grant.refreshToken).toBeUndefined();
    expect(grant.expiresAt).toBe(NOW + 3600 * 1000);
  });

  it("legacy expires_in_sec means expires_in is milliseconds", () => {
    const body = sample("oauth-token-legacy.response.json") as Record<string, unknown>;
    expect(body.expires_in_sec).toBeDefined();
    const grant = parseTokenResponse({ body, kind: "grant", status: 200, now: NOW });
    expect(grant.expiresAt).toBe(NOW + Number(body.expires_in));
    expect(grant.expiresAt).toBe(NOW + Number(body.expires_in_sec) * 1000);
    expect(expiresAtFrom({ expires_in: 3600 }, NOW)).toBe(NOW + 3_600_000);
  });

  it.each([
    ["oauth-invalid-code.response.json", "grant", "invalid_code", false, /single-use/],
    ["oauth-invalid-code.response.json", "refresh", "invalid_code", true, /grant access again/],
    ["oauth-invalid-client.response.json", "grant", "invalid_client", false, /clientId and clientSecret/],
    ["oauth-access-denied.response.json", "refresh", "access_denied", false, /10 access tokens/],
  ] as const)("%s (%s) under HTTP 200 is a ZohoAuthError %s", (file, kind, code, reauth, advice) => {
    const error = authError(() => parseTokenResponse({ body: sample(file), kind, status: 200, now: NOW, user: "a@b.c" }));
    expect(error.code).toBe(code);
    expect(error.reauthRequired).toBe(reauth);
    expect(error.message).toMatch(advice);
    expect(error.user).toBe("a@b.c");
  });

  it("a body without access_token and without error is still a failure", () => {
    expect(authError(() => parseTokenResponse({ body: { token_type: "Bearer" }, kind: "refresh", status: 200, now: NOW })).code).toBe("INVALID_TOKEN_RESPONSE");
    expect(authError(() => parseTokenResponse({ body: "<html>", kind: "refresh", status: 502, now: NOW })).code).toBe("INVALID_TOKEN_RESPONSE");
  });
});

/**
 * Parsing of Zoho Accounts token responses. Zoho answers failures with HTTP 200 and a body like
 * `{"error":"invalid_code"}`, so "no access_token" is the failure test, never the HTTP status.
 */
import { ZohoAuthError } from "../errors.js";

export interface TokenGrant {
  accessToken: string;
  /** Present for authorization_code grants; refresh responses carry none. */
  refreshToken: string | undefined;
  expiresAt: number;
  apiDomain: string | undefined;
}

export type TokenRequestKind = "grant" | "refresh";

const ADVICE: Record<string, (kind: TokenRequestKind) => string> = {
  invalid_code: (kind) =>
    kind === "grant"
      ? "The grant token is invalid, expired or already used. Grant tokens are single-use and expire within minutes: generate a new one (Zoho API console, or the consent redirect) and exchange it at once."
      : "The refresh token is no longer valid (revoked, or evicted after 20 newer ones). The user must grant access again: exchange a new grant token with crm.auth.exchangeGrantToken().",
  invalid_client: () =>
    "Zoho Accounts does not know this client: check clientId and clientSecret, and that accountsUrl/dataCenter is the data centre where the client is registered (secrets are per data centre unless shared).",
  invalid_client_secret: () => "The client secret is wrong for this client id or data centre: copy it again from the Zoho API console.",
  invalid_redirect_uri: () => "redirectUri must equal the redirect URI registered for the client in the Zoho API console.",
  access_denied: () =>
    "Zoho Accounts throttled the token request (at most 10 access tokens per refresh token per 10 minutes). Wait a few minutes; share one database token store between processes so they refresh once, not each.",
  invalid_request: () => "Zoho Accounts rejected the token request as malformed: check clientId, clientSecret and redirectUri.",
};

function normaliseCode(raw: string): string {
  // Throttling shows up as "Access Denied" (Kaizen #43) or "access_denied" (token-validity page).
  return raw.trim().toLowerCase().replace(/\s+/g, "_");
}

export function tokenErrorFor(options: { code: string; kind: TokenRequestKind; user?: string; status?: number }): ZohoAuthError {
  const code = normaliseCode(options.code);
  const advice = ADVICE[code]?.(options.kind) ?? "Check the client credentials and data centre; if it persists, the user may need to grant access again.";
  const what = options.kind === "grant" ? "exchange the grant token" : "refresh the access token";
  return new ZohoAuthError(`Zoho Accounts refused to ${what} (${code}). ${advice}`, {
    code,
    user: options.user,
    status: options.status,
    reauthRequired: code === "invalid_code" && options.kind === "refresh",
  });
}

/** Zoho's documented access-token lifetime (one hour), and the longest we believe (a day). */
const DEFAULT_LIFETIME_MS = 3_600_000;
const MAX_LIFETIME_MS = 86_400_000;

/**
 * Reads `expires_in` (seconds) or, in the legacy format with `expires_in_sec`, `expires_in` in ms.
 * An absurd lifetime (missing, not a number, ≤ 0) is taken as Zoho's hour, and anything over a day
 * is clamped to a day: never an "already expired" token, never a value a database column can't hold.
 */
export function expiresAtFrom(body: Record<string, unknown>, now: number): number {
  const legacySeconds = Number(body.expires_in_sec);
  let lifetimeMs: number;
  if (body.expires_in_sec !== undefined && Number.isFinite(legacySeconds)) {
    const ms = Number(body.expires_in);
    lifetimeMs = Number.isFinite(ms) && ms > 0 ? ms : legacySeconds * 1000;
  } else {
    lifetimeMs = Number(body.expires_in) * 1000;
  }
  if (!Number.isFinite(lifetimeMs) || lifetimeMs <= 0) lifetimeMs = DEFAULT_LIFETIME_MS;
  return now + Math.round(Math.min(lifetimeMs, MAX_LIFETIME_MS));
}

export function parseTokenResponse(options: { body: unknown; kind: TokenRequestKind; user?: string; status: number; now: number }): TokenGrant {
  const { body, kind, user, status, now } = options;
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ZohoAuthError(
      `Zoho Accounts answered the token request with an unexpected body (HTTP ${status}); check accountsUrl points at a Zoho Accounts server.`,
      {
        code: "INVALID_TOKEN_RESPONSE",
        user,
        status,
      },
    );
  }
  const record = body as Record<string, unknown>;
  if (typeof record.error === "string" || typeof record.access_token !== "string" || record.access_token === "") {
    return throwError();
  }
  const refreshToken = typeof record.refresh_token === "string" && record.refresh_token !== "" ? record.refresh_token : undefined;
  return {
    accessToken: record.access_token,
    refreshToken,
    expiresAt: expiresAtFrom(record, now),
    apiDomain: typeof record.api_domain === "string" && record.api_domain !== "" ? record.api_domain : undefined,
  };

  function throwError(): never {
    if (typeof record.error === "string") throw tokenErrorFor({ code: record.error, kind, user, status });
    throw new ZohoAuthError(
      `Zoho Accounts answered the token request without an access token or an error (HTTP ${status}); check that accountsUrl points at a Zoho Accounts server.`,
      {
        code: "INVALID_TOKEN_RESPONSE",
        user,
        status,
      },
    );
  }
}

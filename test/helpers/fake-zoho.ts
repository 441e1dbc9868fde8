/**
 * A scripted Zoho (Accounts + CRM) on loopback for tests: counts token-endpoint calls, mints
 * tokens, and routes CRM calls to handlers the test supplies. Not the emulator: tiny and explicit.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  token: string | undefined;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Raw text instead of JSON. */
  raw?: string;
  /** Destroy the socket instead of answering. */
  reset?: boolean;
  delayMs?: number;
}

export type CrmHandler = (req: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface FakeZoho {
  url: string;
  /** grant_type=refresh_token calls seen. */
  refreshCount: number;
  grantCount: number;
  /** Refresh tokens revoked through /oauth/v2/token/revoke. */
  revoked: string[];
  /** Token-endpoint form bodies seen (for assertions on parameters). */
  tokenRequests: URLSearchParams[];
  crmRequests: FakeRequest[];
  /** Access tokens the CRM side accepts. */
  validTokens: Set<string>;
  /** Next token responses to send instead of the default success (consumed in order). */
  tokenReplies: FakeReply[];
  refreshDelayMs: number;
  /** When set, the next refresh waits for this promise instead of `refreshDelayMs` (then it is cleared). */
  refreshStall: Promise<void> | undefined;
  expiresIn: number;
  grants: Map<string, { user: string; used: boolean }>;
  /** Which user each issued access token belongs to. */
  tokenUsers: Map<string, string>;
  handler: CrmHandler;
  seedRefresh(refreshToken: string, user: string): void;
  close(): Promise<void>;
}

let counter = 0;
function mint(kind: string): string {
  counter += 1;
  return `1000.${kind}${String(counter).padStart(6, "0")}abcdef.${Math.random().toString(16).slice(2).padEnd(12, "0")}`;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Registers tokens for `user` directly (as if a grant had been exchanged earlier) and returns them. */
export function seedTokens(fake: FakeZoho, user: string): { accessToken: string; refreshToken: string } {
  const accessToken = mint("acc");
  const refreshToken = mint("ref");
  fake.validTokens.add(accessToken);
  fake.tokenUsers.set(accessToken, user);
  fake.seedRefresh(refreshToken, user);
  return { accessToken, refreshToken };
}

export async function startFakeZoho(options: { handler?: CrmHandler } = {}): Promise<FakeZoho> {
  const refreshTokens = new Map<string, string>(); // refresh token -> user
  const fake: FakeZoho = {
    url: "",
    refreshCount: 0,
    grantCount: 0,
    revoked: [],
    tokenRequests: [],
    crmRequests: [],
    validTokens: new Set(),
    tokenReplies: [],
    refreshDelayMs: 20,
    refreshStall: undefined,
    expiresIn: 3600,
    grants: new Map(),
    tokenUsers: new Map(),
    handler: options.handler ?? (() => ({ status: 200, body: { data: [], info: { per_page: 200, count: 0, page: 1, more_records: false } } })),
    seedRefresh: (refreshToken, user) => void refreshTokens.set(refreshToken, user),
    close: async () => {},
  };

  const send = async (res: http.ServerResponse, reply: FakeReply) => {
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (reply.reset) {
      res.socket?.destroy();
      return;
    }
    const text = reply.raw ?? (reply.body === undefined ? "" : JSON.stringify(reply.body));
    res.writeHead(reply.status ?? 200, { "content-type": reply.raw !== undefined ? "text/html" : "application/json;charset=UTF-8", ...reply.headers });
    res.end(text);
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const body = await readBody(req);
    if (url.pathname === "/oauth/v2/token" && req.method === "POST") {
      const form = new URLSearchParams(body);
      fake.tokenRequests.push(form);
      const scripted = fake.tokenReplies.shift();
      if (form.get("grant_type") === "refresh_token") {
        fake.refreshCount += 1;
        const stall = fake.refreshStall;
        fake.refreshStall = undefined;
        await (stall ?? new Promise((r) => setTimeout(r, fake.refreshDelayMs)));
        if (scripted) return send(res, scripted);
        const user = refreshTokens.get(form.get("refresh_token") ?? "");
        if (!user) return send(res, { status: 200, body: { error: "invalid_code" } });
        const access = mint("acc");
        fake.validTokens.add(access);
        fake.tokenUsers.set(access, user);
        return send(res, { body: { access_token: access, api_domain: fake.url, token_type: "Bearer", expires_in: fake.expiresIn } });
      }
      if (form.get("grant_type") === "authorization_code") {
        fake.grantCount += 1;
        if (scripted) return send(res, scripted);
        const grant = fake.grants.get(form.get("code") ?? "");
        if (!grant || grant.used) return send(res, { status: 200, body: { error: "invalid_code" } });
        grant.used = true;
        const access = mint("acc");
        const refresh = mint("ref");
        fake.validTokens.add(access);
        fake.tokenUsers.set(access, grant.user);
        refreshTokens.set(refresh, grant.user);
        return send(res, { body: { access_token: access, refresh_token: refresh, api_domain: fake.url, token_type: "Bearer", expires_in: fake.expiresIn } });
      }
      return send(res, { body: { error: "unsupported_grant_type" } });
    }
    if (url.pathname === "/oauth/v2/token/revoke") {
      const revoked = url.searchParams.get("token") ?? new URLSearchParams(body).get("token") ?? "";
      fake.revoked.push(revoked);
      refreshTokens.delete(revoked);
      return send(res, { body: { status: "success" } });
    }
    const auth = req.headers.authorization;
    const token = auth?.startsWith("Zoho-oauthtoken ") ? auth.slice("Zoho-oauthtoken ".length) : undefined;
    if (url.pathname === "/oauth/user/info") {
      const user = token ? fake.tokenUsers.get(token) : undefined;
      return send(res, user ? { body: { Email: user, Display_Name: user.split("@")[0], ZUID: 42 } } : { status: 401, body: { error: "invalid_token" } });
    }
    const request: FakeRequest = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, body, token };
    fake.crmRequests.push(request);
    try {
      return await send(res, await fake.handler(request));
    } catch (error) {
      return send(res, { status: 500, body: { code: "INTERNAL_ERROR", details: {}, message: String(error), status: "error" } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

/** Handler wrapper: answers 401 INVALID_TOKEN unless the request carries a token the fake issued. */
export function requireToken(fake: FakeZoho, inner: CrmHandler): CrmHandler {
  return (req) => {
    if (!req.token || !fake.validTokens.has(req.token)) {
      return { status: 401, body: { code: "INVALID_TOKEN", details: {}, message: "invalid oauth token", status: "error" } };
    }
    return inner(req);
  };
}

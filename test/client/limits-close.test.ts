/**
 * Limits, close and errors: the concurrency cap holds until a body is consumed; close() settles
 * everything; every exit is typed; Retry-After is a minimum, never cut short.
 */
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { createZohoCRM, type ZohoCRMClient } from "../../src/client.js";
import type { ZohoCRMOptions } from "../../src/config.js";
import { ZohoNetworkError } from "../../src/errors.js";
import type { Logger } from "../../src/logging.js";
import type { TokenStore } from "../../src/stores/token-store.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";
import { describeDb, uniqueSuffix } from "../helpers/databases.js";
import { REDIS_URL, redisAvailable } from "../helpers/redis.js";
import { waitUntil } from "../helpers/wait.js";

const TOKEN = "1000.limitsclosetoken.0123456789abcdef";
const PAGE = JSON.stringify({ data: [{ id: "1" }], info: { per_page: 200, count: 1, page: 1, more_records: false } });

/** A server whose handler the test scripts; counts requests and response bodies still open. */
async function startServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void) {
  let n = 0;
  const state = { requests: 0, open: 0, peakOpen: 0, overlaps: 0 };
  const server = http.createServer((req, res) => {
    state.requests = ++n;
    req.resume();
    res.on("close", () => {
      state.open -= 1;
    });
    state.open += 1;
    if (state.open > 1) state.overlaps += 1;
    state.peakOpen = Math.max(state.peakOpen, state.open);
    handler(req, res, n);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
type Server = Awaited<ReturnType<typeof startServer>>;

let server: Server | undefined;
const clients: ZohoCRMClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = undefined;
});
const client = (extra: Partial<ZohoCRMOptions> = {}) => {
  const c = createZohoCRM({ accessToken: TOKEN, apiBaseUrl: server!.url, retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 5 }, ...extra });
  clients.push(c);
  return c;
};
const list = (c: ZohoCRMClient, init: { signal?: AbortSignal } = {}) => c.GET("/crm/v2/{module}", { params: { path: { module: "Leads" } }, ...init });

/** Headers at once, then half the body, the rest only after `hold` ms: a response that stays open a while. */
const slowBody =
  (holdMs: number): Parameters<typeof startServer>[0] =>
  (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write(PAGE.slice(0, 10));
    setTimeout(() => res.end(PAGE.slice(10)), holdMs);
  };

describe("the concurrency cap holds until the body is consumed", () => {
  it("maxConcurrency 1: the server never sees two responses open at once", async () => {
    server = await startServer(slowBody(150));
    const c = client({ maxConcurrency: 1 });
    const results = await Promise.all([list(c), list(c), list(c)]);
    expect(results.map((r) => r.response.status)).toEqual([200, 200, 200]);
    expect(server.state.requests).toBe(3);
    expect(server.state.overlaps).toBe(0);
  });

  it("a body never read (parseAs: stream, cancelled) frees its slot; so does an error body", async () => {
    server = await startServer((_req, res, n) => {
      if (n === 2)
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ code: "NOT_FOUND", details: {}, message: "no", status: "error" }));
      else slowBody(20)(_req, res, n);
    });
    const c = client({ maxConcurrency: 1, retry: false });
    const streamed = await c.GET("/crm/v2/{module}", { params: { path: { module: "Leads" } }, parseAs: "stream" });
    await (streamed.data as ReadableStream).cancel();
    expect((await list(c)).response.status).toBe(404);
    expect((await list(c)).response.status).toBe(200);
  });
});

const redis = await redisAvailable();
describeDb("the Redis shared cap holds until the body is consumed", redis, () => {
  it("sharedConcurrency limit 1 (local cap 10): the server never sees two responses open at once", async () => {
    server = await startServer(slowBody(150));
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      const c = client({ maxConcurrency: 10, sharedConcurrency: { redis: connection, limit: 1, key: `zcrm-test:body:${uniqueSuffix()}` } });
      const results = await Promise.all([list(c), list(c), list(c)]);
      expect(results.map((r) => r.response.status)).toEqual([200, 200, 200]);
      expect(server.state.overlaps).toBe(0);
    } finally {
      connection.disconnect();
    }
  });
});

describe("every exit is typed", () => {
  it("a Redis failure in the shared limiter is a ZohoNetworkError naming Redis; nothing is sent", async () => {
    server = await startServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(PAGE));
    const dead = new Redis("redis://127.0.0.1:1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    dead.on("error", () => {});
    const c = client({ sharedConcurrency: { redis: dead, limit: 2 } });
    const error = await list(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoNetworkError);
    expect(error).toMatchObject({ code: "REDIS_UNAVAILABLE" });
    expect((error as Error).message).toMatch(/Redis/);
    expect(server.state.requests).toBe(0);
    dead.disconnect();
  });

  it("an abort during a backoff sleep is ZohoNetworkError ABORTED; a caller's timeout there is TIMEOUT", async () => {
    server = await startServer((_req, res) =>
      res.writeHead(503, { "content-type": "application/json" }).end('{"code":"INTERNAL_ERROR","details":{},"message":"busy","status":"error"}'),
    );
    const c = client({ retry: { limit: 3, baseDelayMs: 600_000, maxDelayMs: 600_000 } });
    const controller = new AbortController();
    const aborted = list(c, { signal: controller.signal }).catch((e: unknown) => e);
    await waitUntil(() => server!.state.requests === 1, { what: "the first attempt" });
    controller.abort();
    const error = await aborted;
    expect(error).toBeInstanceOf(ZohoNetworkError);
    expect(error).toMatchObject({ code: "ABORTED" });
    const timedOut = await list(c, { signal: AbortSignal.timeout(200) }).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(ZohoNetworkError);
    expect(timedOut).toMatchObject({ code: "TIMEOUT" });
  });

  it("a body that stalls after the headers ends with a TIMEOUT (timeoutMs covers the body), never a raw DOMException", async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(PAGE.slice(0, 10)); // and never the rest
    });
    const c = client({ timeoutMs: 300, retry: false });
    const error = await list(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoNetworkError);
    expect(error).toMatchObject({ code: "TIMEOUT" });
  });
});

describe("Retry-After is a minimum, never cut short", () => {
  const captured = () => {
    const lines: Array<Record<string, unknown>> = [];
    const push = (obj: Record<string, unknown>) => void lines.push(obj);
    const logger: Logger = { trace: push, debug: push, info: push, warn: push, error: push };
    return { lines, logger };
  };

  it("a Retry-After longer than retry.maxDelayMs is waited in full before the retry", async () => {
    server = await startServer((_req, res, n) =>
      n === 1
        ? res
            .writeHead(429, { "content-type": "application/json", "retry-after": "1" })
            .end('{"code":"TOO_MANY_REQUESTS","details":{},"message":"slow","status":"error"}')
        : res.writeHead(200, { "content-type": "application/json" }).end(PAGE),
    );
    const { lines, logger } = captured();
    const c = client({ logger, retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 10 } });
    expect((await list(c)).response.status).toBe(200);
    expect(lines.find((l) => l.event === "http.retry")).toMatchObject({ status: 429, waitMs: 1000 });
  });

  it("a Retry-After beyond retry.maxRetryAfterMs is not retried early: the 429 comes back with retryAfterMs", async () => {
    server = await startServer((_req, res) =>
      res
        .writeHead(429, { "content-type": "application/json", "retry-after": "120" })
        .end('{"code":"TOO_MANY_REQUESTS","details":{},"message":"slow","status":"error"}'),
    );
    const c = client();
    const { error, response } = await list(c);
    expect(response.status).toBe(429);
    expect(error).toMatchObject({ code: "TOO_MANY_REQUESTS", retryAfterMs: 120_000 });
    expect(server.state.requests).toBe(1);
    const paged = await (async () => {
      for await (const _ of c.paginate("/crm/v2/{module}", { params: { path: { module: "Leads" } } })) return undefined;
    })().catch((e: unknown) => e);
    expect(paged).toMatchObject({ name: "ZohoApiError", status: 429, retryAfterMs: 120_000 });
  });
});

describe("close() settles everything", () => {
  it("queued and in-flight calls reject with CLIENT_CLOSED; later calls too", async () => {
    server = await startServer(() => {}); // never answers
    const c = client({ maxConcurrency: 1 });
    const inFlight = list(c).catch((e: unknown) => e);
    const queued = list(c).catch((e: unknown) => e);
    await waitUntil(() => server!.state.requests === 1, { what: "the first call to reach the server" });
    await c.close();
    for (const error of [await inFlight, await queued, await list(c).catch((e: unknown) => e)]) {
      expect(error).toBeInstanceOf(ZohoNetworkError);
      expect(error).toMatchObject({ code: "CLIENT_CLOSED" });
    }
    expect(server.state.requests).toBe(1);
  });

  it("a store passed in stays open unless close({ store: true }) asks", async () => {
    server = await startServer(() => {});
    let closes = 0;
    const store: TokenStore = Object.assign(new MemoryTokenStore(), { close: async () => void closes++ });
    await createZohoCRM({ tokenStore: store, apiBaseUrl: server.url, clientId: "1000.ID", clientSecret: "secret-secret" }).close();
    expect(closes).toBe(0);
    await createZohoCRM({ tokenStore: store, apiBaseUrl: server.url, clientId: "1000.ID", clientSecret: "secret-secret" }).close({ store: true });
    expect(closes).toBe(1);
  });

  it("a process that called close() with a call still in flight exits on its own", async () => {
    server = await startServer(() => {}); // the in-flight call would hang forever
    const script = fileURLToPath(new URL("./fixtures/close-exits.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", script, server.url], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out.trim()).toBe("CLIENT_CLOSED");
  });
});

describe("logging", () => {
  it("an API error (4xx) is logged at warn, without the token", async () => {
    server = await startServer((_req, res) =>
      res.writeHead(400, { "content-type": "application/json" }).end('{"code":"INVALID_DATA","details":{},"message":"bad","status":"error"}'),
    );
    const warned: Array<Record<string, unknown>> = [];
    const noop = () => {};
    const logger: Logger = { trace: noop, debug: noop, info: noop, warn: (obj) => void warned.push(obj), error: noop };
    await list(client({ logger }));
    expect(warned).toEqual([expect.objectContaining({ event: "http.error_status", status: 400, method: "GET" })]);
    expect(JSON.stringify(warned)).not.toContain(TOKEN);
  });
});

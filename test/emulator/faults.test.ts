/**
 * Fault injection, each kind through the typed client (and raw HTTP where the client hides it):
 * 500/503/429/429-retry-after, socket resets before and after processing, HTML pages, truncated
 * JSON, matching, latency, the concurrency cap, token-endpoint faults and the HTTP control API.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ZohoApiError, ZohoNetworkError } from "../../src/errors.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";
import { waitUntil } from "../helpers/wait.js";
import { client, leads, startHarness, type Harness } from "./helpers.js";

let h: Harness;
const Leads = { path: { module: "Leads" } } as const;
const list = (c = h.crm) => c.GET("/crm/v2/{module}", { params: { ...Leads, query: { per_page: 5 } } });
const insert = (tag: string) => h.crm.POST("/crm/v2/{module}", { params: Leads, body: { data: leads(1, tag) } });

beforeEach(async () => {
  h = await startHarness();
  h.emulator.resetStats();
});
afterEach(async () => {
  expect(h.emulator.stats.responseValidationFailures).toEqual([]);
  await h.close();
});

describe("error answers", () => {
  it("stats.errorReplies counts the emulator's own error answers by operation, status and code; injected faults are not among them", async () => {
    h.emulator.faults.failNext({ kind: "500" });
    await h.raw("GET", "/crm/v2/org");
    await h.crm.GET("/crm/v2/{module}", { params: { path: { module: "Nope" } } });
    await h.crm.POST("/crm/v2/{module}", { params: Leads, body: { data: [{ First_Name: "no last name" }] } });
    await h.raw("GET", "/crm/v2/org", { token: null });
    expect(h.emulator.stats.errorReplies).toEqual({
      "getRecords 400 INVALID_MODULE": 1,
      "createRecords 400 MANDATORY_NOT_FOUND": 1,
      "getOrganization 401 AUTHENTICATION_FAILURE": 1,
    });
    expect(h.emulator.stats.faultsInjected).toBe(1);
  });
});

describe("failNext", () => {
  it.each(["500", "503"] as const)("%s: a GET is retried by the client and succeeds", async (kind) => {
    h.emulator.faults.failNext({ kind });
    const { response } = await list();
    expect(response.status).toBe(200);
    expect(h.emulator.stats.faultsInjected).toBe(1);
    expect(h.emulator.stats.perOperation.getRecords).toBe(2);
  });

  it("500 body is Zoho's INTERNAL_ERROR JSON", async () => {
    h.emulator.faults.failNext({ kind: "500" });
    const r = await h.raw("GET", "/crm/v2/org");
    expect(r).toMatchObject({ status: 500, json: { code: "INTERNAL_ERROR", details: {}, message: "Internal Server Error", status: "error" } });
  });

  it("429: a write is retried (Zoho refused it before processing) and applied exactly once", async () => {
    const before = h.emulator.state.count("Leads");
    h.emulator.faults.failNext({ kind: "429", match: { method: "POST" } });
    const { response } = await insert("r429");
    expect(response.status).toBe(201);
    expect(h.emulator.state.count("Leads")).toBe(before + 1);
    expect(h.emulator.stats.perOperation.createRecords).toBe(2);
  });

  it("429-retry-after: sends Retry-After, which the client honours", async () => {
    h.emulator.faults.failNext({ kind: "429-retry-after", retryAfterSec: 1 });
    const raw = await h.raw("GET", "/crm/v2/org");
    expect(raw.status).toBe(429);
    expect(raw.headers.get("retry-after")).toBe("1");
    expect(raw.json).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    const patient = client(h.emulator, h.store, { retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 5000 } });
    h.emulator.faults.failNext({ kind: "429-retry-after", retryAfterSec: 1 });
    const started = Date.now();
    expect((await list(patient)).response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await patient.close();
  });

  it("reset-before: a write is NOT processed and not replayed (ZohoNetworkError); a read is retried", async () => {
    const before = h.emulator.state.count("Leads");
    h.emulator.faults.failNext({ kind: "reset-before", match: { method: "POST" } });
    await expect(insert("rb")).rejects.toBeInstanceOf(ZohoNetworkError);
    expect(h.emulator.state.count("Leads")).toBe(before);
    h.emulator.faults.failNext({ kind: "reset-before" });
    expect((await list()).response.status).toBe(200);
  });

  it("reset-after: the write IS processed, then the socket dies; the client does not replay it", async () => {
    const before = h.emulator.state.count("Leads");
    h.emulator.faults.failNext({ kind: "reset-after", match: { method: "POST", path: "/crm/v2/Leads" } });
    await expect(insert("ra")).rejects.toMatchObject({ name: "ZohoNetworkError" });
    expect(h.emulator.state.count("Leads")).toBe(before + 1);
    expect(h.emulator.stats.perOperation.createRecords).toBe(1);
  });

  it("html: an HTML error page; the client retries a GET, or reports a typed error without retries", async () => {
    h.emulator.faults.failNext({ kind: "html" });
    const raw = await h.raw("GET", "/crm/v2/org");
    expect(raw.status).toBe(502);
    expect(raw.headers.get("content-type")).toContain("text/html");
    expect(raw.text).toContain("<html>");
    h.emulator.faults.failNext({ kind: "html" });
    expect((await list()).response.status).toBe(200);
    const once = client(h.emulator, h.store, { retry: false });
    h.emulator.faults.failNext({ kind: "html" });
    const { error, response } = await list(once);
    expect(response.status).toBe(502);
    expect(error).toMatchObject({ code: "HTTP_502" });
    await once.close();
  });

  it("truncated-json: the request is processed and the JSON is cut; the client throws INVALID_RESPONSE", async () => {
    h.emulator.faults.failNext({ kind: "truncated-json" });
    const error = await list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoApiError);
    expect(error).toMatchObject({ code: "INVALID_RESPONSE" });
    const before = h.emulator.state.count("Leads");
    h.emulator.faults.failNext({ kind: "truncated-json", match: { method: "POST" } });
    await expect(insert("tj")).rejects.toMatchObject({ code: "INVALID_RESPONSE" });
    expect(h.emulator.state.count("Leads")).toBe(before + 1);
  });

  it("match limits a fault to a method and path (a prefix; * is one segment); count fails several calls", async () => {
    h.emulator.faults.failNext({ kind: "500", count: 2, match: { path: "/crm/v2/Contacts" } });
    const once = client(h.emulator, h.store, { retry: false });
    expect((await list(once)).response.status).toBe(200);
    const contacts = () => once.GET("/crm/v2/{module}", { params: { path: { module: "Contacts" } } });
    expect((await contacts()).response.status).toBe(500);
    expect((await contacts()).response.status).toBe(500);
    expect((await contacts()).response.status).toBe(200);
    h.emulator.faults.failNext({ kind: "500", match: { method: "DELETE" } });
    expect((await list(once)).response.status).toBe(200);
    expect(h.emulator.faults.pending().failNext).toHaveLength(1);
    h.emulator.faults.clear();
    expect(h.emulator.faults.pending().failNext).toHaveLength(0);
    await once.close();
  });
});

describe("latency and concurrency", () => {
  it("latencyMs delays every call", async () => {
    h.emulator.faults.latencyMs = 120;
    const started = Date.now();
    await list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it("concurrencyLimit: calls beyond it get 429 TOO_MANY_REQUESTS; maxConcurrent records the peak", async () => {
    h.emulator.faults.concurrencyLimit = 2;
    const greedy = client(h.emulator, h.store, { retry: false, maxConcurrency: 10 });
    // The two admitted calls are held until the other four were refused: overlap by count, not timing.
    const release = h.emulator.faults.hold();
    const pending = Promise.all(Array.from({ length: 6 }, () => list(greedy)));
    await waitUntil(() => h.emulator.stats.concurrencyRejections === 4 && h.emulator.stats.inFlight === 2);
    release();
    const results = await pending;
    const statuses = results.map((r) => r.response.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
    expect(results.find((r) => r.response.status === 429)?.error).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(h.emulator.stats.maxConcurrent).toBeGreaterThan(2);
    expect(h.emulator.stats.concurrencyRejections).toBe(statuses.filter((s) => s === 429).length);
    await greedy.close();

    h.emulator.resetStats();
    h.emulator.faults.latencyMs = 50;
    const polite = client(h.emulator, h.store, { retry: false, maxConcurrency: 2 });
    const ok = await Promise.all(Array.from({ length: 6 }, () => list(polite)));
    expect(ok.every((r) => r.response.status === 200)).toBe(true);
    expect(h.emulator.stats.maxConcurrent).toBeLessThanOrEqual(2);
    await polite.close();
  });
});

describe("token endpoint faults", () => {
  it("invalid_code, access_denied and 500 on the next token calls", async () => {
    const fresh = client(h.emulator, new MemoryTokenStore());
    const code = h.emulator.mintGrantCode();
    h.emulator.faults.failNextToken({ kind: "invalid_code" });
    await expect(fresh.auth.exchangeGrantToken(code)).rejects.toMatchObject({ name: "ZohoAuthError", code: "invalid_code" });
    await expect(fresh.auth.exchangeGrantToken(code)).resolves.toMatchObject({ hasRefreshToken: true }); // the fault consumed nothing
    h.emulator.faults.failNextToken({ kind: "access_denied" });
    await expect(fresh.auth.refresh()).rejects.toMatchObject({ code: "access_denied" });
    h.emulator.faults.failNextToken({ kind: "500" });
    await expect(fresh.auth.refresh()).rejects.toMatchObject({ name: "ZohoAuthError", status: 500 });
    await expect(fresh.auth.refresh()).resolves.toMatchObject({ expired: false });
    await fresh.close();
  });
});

describe("HTTP control API (emulator-only)", () => {
  it("POST /emulator/faults queues faults; GET shows them; clear removes them", async () => {
    const post = (body: unknown) =>
      fetch(`${h.emulator.url}/emulator/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) =>
        r.json(),
      );
    const queued = await post({ failNext: [{ kind: "503", match: { path: "/crm/v2/org" } }], failNextToken: { kind: "invalid_code" }, latencyMs: 1 });
    expect(queued).toMatchObject({ latencyMs: 1, failNext: [{ kind: "503", remaining: 1 }], failNextToken: [{ kind: "invalid_code", remaining: 1 }] });
    expect((await h.raw("GET", "/crm/v2/users")).status).toBe(200);
    expect((await h.raw("GET", "/crm/v2/org")).status).toBe(503);
    expect(await post({ clear: true })).toMatchObject({ latencyMs: 0, failNext: [], failNextToken: [] });
    expect(await post({ failNext: { kind: "nope" } })).toMatchObject({ error: "invalid_request" });
    const stats = (await fetch(`${h.emulator.url}/emulator/stats`).then((r) => r.json())) as { apiCalls: number };
    expect(stats.apiCalls).toBeGreaterThan(0);
  });
});

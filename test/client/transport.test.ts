/**
 * The client's transport against a scripted server on loopback: typed calls, hosts, versions,
 * retries where safe (and only there), empty and broken bodies, the concurrency cap, timeouts.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createZohoCRM, type ZohoCRMClient } from "../../src/client.js";
import { ZohoApiError, ZohoNetworkError } from "../../src/errors.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";
import { SDK_VERSION } from "../../src/version.js";
import { startFakeZoho, type FakeReply, type FakeZoho } from "../helpers/fake-zoho.js";

const TOKEN = "1000.statictoken0000.abcdefabcdef";
let fake: FakeZoho;
let crm: ZohoCRMClient;
const page = (n: number) => ({ data: [{ id: String(n), Last_Name: `L${n}` }], info: { per_page: 200, count: 1, page: 1, more_records: false } });

function client(extra: Parameters<typeof createZohoCRM>[0] = {}): ZohoCRMClient {
  return createZohoCRM({ accessToken: TOKEN, apiBaseUrl: fake.url, retry: { limit: 3, baseDelayMs: 1, maxDelayMs: 50 }, ...extra });
}

function script(replies: FakeReply[], fallback: FakeReply = { body: page(1) }) {
  fake.handler = () => replies.shift() ?? fallback;
}

const listLeads = (c: ZohoCRMClient = crm) => c.GET("/crm/v2/{module}", { params: { path: { module: "Leads" } } });
const createLead = (c: ZohoCRMClient = crm) => c.POST("/crm/v2/{module}", { params: { path: { module: "Leads" } }, body: { data: [{ Last_Name: "Once" }] } });

beforeEach(async () => {
  fake = await startFakeZoho();
  crm = client();
});
afterEach(async () => {
  await crm.close();
  await fake.close();
});

describe("typed calls", () => {
  it("sends the token, the user agent and typed parameters; reads a typed body", async () => {
    script([{ body: page(7) }]);
    const { data, error, response } = await crm.GET("/crm/v2/{module}", {
      params: { path: { module: "Leads" }, query: { per_page: 50, sort_order: "desc", fields: ["Last_Name", "Email"] } },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.data[0]?.id).toBe("7");
    const seen = fake.crmRequests[0]!;
    expect(seen.path).toBe("/crm/v2/Leads");
    expect(seen.headers.authorization).toBe(`Zoho-oauthtoken ${TOKEN}`);
    expect(seen.headers["user-agent"]).toContain(`zcrm-typed/${SDK_VERSION}`);
    expect(seen.query.get("per_page")).toBe("50");
    expect(seen.query.get("sort_order")).toBe("desc");
    expect(seen.query.get("fields")).toBe("Last_Name,Email");
  });

  it("apiVersion v2.1 sends the same typed paths under /crm/v2.1/", async () => {
    const c = client({ apiVersion: "v2.1" });
    script([{ body: page(1) }]);
    await listLeads(c);
    expect(fake.crmRequests[0]!.path).toBe("/crm/v2.1/Leads");
    await c.close();
  });

  it("without apiBaseUrl, calls go to the api_domain the token names (here the Accounts origin, as an emulator serves both)", async () => {
    const store = new MemoryTokenStore();
    await store.save({ user: "a@b.co", accessToken: TOKEN, refreshToken: "1000.r.r", expiresAt: Date.now() + 3_600_000, apiDomain: fake.url });
    const c = createZohoCRM({ clientId: "id", clientSecret: "secret-secret", user: "a@b.co", tokenStore: store, dataCenter: "eu", accountsUrl: fake.url });
    script([{ body: page(2) }]);
    const { data } = await listLeads(c);
    expect(data?.data[0]?.id).toBe("2");
    await c.close();
  });

  it("a token callback is asked per call with the scoped user", async () => {
    const asked: Array<string | undefined> = [];
    const c = client({
      accessToken: ({ user }) => {
        asked.push(user);
        return TOKEN;
      },
      user: "d@e.fg",
    });
    script([{ body: page(1) }, { body: page(1) }]);
    await listLeads(c);
    await c.withUser("x@y.zz", () => listLeads(c));
    expect(asked).toEqual(["d@e.fg", "x@y.zz"]);
    await c.close();
  });
});

describe("Zoho's shapes and broken bodies", () => {
  it("204 and 304 are empty, not errors", async () => {
    script([{ status: 204 }, { status: 304 }]);
    const empty = await listLeads();
    expect(empty.response.status).toBe(204);
    expect(empty.data).toBeUndefined();
    expect(empty.error).toBeUndefined();
    const notModified = await crm.GET("/crm/v2/{module}", {
      params: { path: { module: "Leads" }, header: { "If-Modified-Since": "2024-01-01T00:00:00+00:00" } },
    });
    expect(notModified.response.status).toBe(304);
    expect(fake.crmRequests[1]!.headers["if-modified-since"]).toBe("2024-01-01T00:00:00+00:00");
  });

  it("a request-level error is typed in { error }", async () => {
    script([{ status: 400, body: { code: "INVALID_MODULE", details: {}, message: "the module name given seems to be invalid", status: "error" } }]);
    const { error, response } = await listLeads();
    expect(response.status).toBe(400);
    expect(error).toEqual({ code: "INVALID_MODULE", details: {}, message: "the module name given seems to be invalid", status: "error" });
  });

  it("an HTML error page becomes a Zoho-shaped error with a code", async () => {
    script([{ status: 502, raw: "<html><body>Bad gateway</body></html>" }], { status: 502, raw: "<html>still bad</html>" });
    const { error, response } = await createLead();
    expect(response.status).toBe(502);
    expect(error).toMatchObject({ code: "HTTP_502", status: "error" });
    expect(fake.crmRequests).toHaveLength(1); // a write is not retried on 5xx
  });

  it("truncated JSON on a 200 is a typed ZohoApiError, never a crash", async () => {
    fake.handler = () => ({ status: 200, raw: '{"data":[{"id":"1"', headers: { "content-type": "application/json" } });
    const error = await listLeads().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoApiError);
    expect(error).toMatchObject({ code: "INVALID_RESPONSE", status: 200 });
  });
});

describe("retries", () => {
  it("GET: 5xx then success", async () => {
    script([{ status: 500, body: { code: "INTERNAL_ERROR", details: {}, message: "x", status: "error" } }, { status: 503, raw: "busy" }, { body: page(3) }]);
    const { data } = await listLeads();
    expect(data?.data[0]?.id).toBe("3");
    expect(fake.crmRequests).toHaveLength(3);
  });

  it("429 is retried for writes too, honouring Retry-After", async () => {
    script([{ status: 429, headers: { "retry-after": "1" }, body: { code: "TOO_MANY_REQUESTS", details: {}, message: "slow down", status: "error" } }], {
      status: 201,
      body: { data: [{ code: "SUCCESS", details: { id: "9" }, message: "record added", status: "success" }] },
    });
    const started = Date.now();
    const { data } = await createLead(client({ retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 5_000 } }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(data?.data[0]?.code).toBe("SUCCESS");
    expect(fake.crmRequests).toHaveLength(2);
  });

  it("429 without Retry-After backs off and gives up after the limit", async () => {
    fake.handler = () => ({ status: 429, body: { code: "TOO_MANY_REQUESTS", details: {}, message: "slow down", status: "error" } });
    const { error, response } = await listLeads(client({ retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 5 } }));
    expect(response.status).toBe(429);
    expect(error).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(fake.crmRequests).toHaveLength(3);
  });

  it("a write is not replayed when the socket resets after the server processed it", async () => {
    let created = 0;
    fake.handler = () => {
      created += 1;
      return { reset: true };
    };
    const error = await createLead().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoNetworkError);
    expect((error as ZohoNetworkError).message).toMatch(/may or may not have been applied/);
    expect(created).toBe(1);
  });

  it("a GET is retried after a reset", async () => {
    script([{ reset: true }, { body: page(4) }]);
    const { data } = await listLeads();
    expect(data?.data[0]?.id).toBe("4");
  });

  it("a refused connection is retried even for a write (nothing was sent)", async () => {
    const port = Number(new URL(fake.url).port);
    await fake.close();
    const c = createZohoCRM({ accessToken: TOKEN, apiBaseUrl: `http://127.0.0.1:${port}`, retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 5 } });
    const error = await createLead(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoNetworkError);
    expect(error).toMatchObject({ code: "ECONNREFUSED" });
    expect((error as Error).message).toMatch(/after 3 attempts/);
    fake = await startFakeZoho();
  });

  it("retry: false turns retries off", async () => {
    script([{ status: 503, raw: "busy" }, { body: page(1) }]);
    const { response } = await listLeads(client({ retry: false }));
    expect(response.status).toBe(503);
    expect(fake.crmRequests).toHaveLength(1);
  });
});

describe("limits and timeouts", () => {
  it("never more than maxConcurrency requests in flight", async () => {
    // Requests are held until four are in flight, then let go together: the cap is reached by
    // count, never by timing (a client allowing fewer would hang here; more would raise the peak).
    let inFlight = 0;
    let peak = 0;
    const held: Array<() => void> = [];
    fake.handler = async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise<void>((resolve) => {
        held.push(resolve);
        if (held.length === 4) for (const release of held.splice(0)) release();
      });
      inFlight -= 1;
      return { body: page(1) };
    };
    const c = client({ maxConcurrency: 4 });
    await Promise.all(Array.from({ length: 40 }, () => listLeads(c)));
    expect(peak).toBe(4);
    await c.close();
  });

  it("a slow response past timeoutMs is a TIMEOUT ZohoNetworkError", async () => {
    fake.handler = () => ({ delayMs: 500, body: page(1) });
    const error = await listLeads(client({ timeoutMs: 50, retry: false })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoNetworkError);
    expect(error).toMatchObject({ code: "TIMEOUT" });
  });

  it("a per-call timeout (signal: AbortSignal.timeout) is a TIMEOUT too", async () => {
    fake.handler = () => ({ delayMs: 500, body: page(1) });
    const error = await crm.GET("/crm/v2/{module}", { params: { path: { module: "Leads" } }, signal: AbortSignal.timeout(30) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoNetworkError);
    expect(error).toMatchObject({ code: "TIMEOUT" });
    expect((error as Error).message).toMatch(/timed out/);
  });

  it("the caller's signal aborts", async () => {
    fake.handler = () => ({ delayMs: 500, body: page(1) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await crm.GET("/crm/v2/{module}", { params: { path: { module: "Leads" } }, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ABORTED" });
  });
});

describe("pagination", () => {
  it("streams 10 000 records, every id exactly once, ending on more_records=false", async () => {
    const total = 10_030;
    fake.handler = (req) => {
      const p = Number(req.query.get("page"));
      const per = Number(req.query.get("per_page"));
      const start = (p - 1) * per;
      if (start >= total) return { status: 204 };
      const data = Array.from({ length: Math.min(per, total - start) }, (_, i) => ({ id: String(start + i) }));
      return { body: { data, info: { per_page: per, count: data.length, page: p, more_records: start + per < total } } };
    };
    const ids = new Set<string>();
    let count = 0;
    for await (const lead of crm.paginate("/crm/v2/{module}", { params: { path: { module: "Leads" } } })) {
      ids.add(lead.id!);
      count += 1;
    }
    expect(count).toBe(total);
    expect(ids.size).toBe(total);
    expect(fake.crmRequests.map((r) => r.query.get("page"))).toEqual(Array.from({ length: 51 }, (_, i) => String(i + 1)));
    expect(fake.crmRequests.every((r) => r.query.get("per_page") === "200")).toBe(true);
    const limited: string[] = [];
    for await (const lead of crm.paginate("/crm/v2/{module}", { params: { path: { module: "Leads" } } }, { maxRecords: 250 })) limited.push(lead.id!);
    expect(limited).toHaveLength(250);
  });

  it("304 (nothing changed since If-Modified-Since) ends the listing without an error", async () => {
    script([{ status: 304 }]);
    const seen: unknown[] = [];
    const init = { params: { path: { module: "Leads" }, header: { "If-Modified-Since": "2030-01-01T00:00:00+00:00" } } };
    for await (const r of crm.paginate("/crm/v2/{module}", init)) seen.push(r);
    expect(seen).toEqual([]);
    expect(fake.crmRequests).toHaveLength(1);
  });

  it("204 on the first page yields nothing; an error page throws a typed error", async () => {
    script([{ status: 204 }, { status: 400, body: { code: "INVALID_MODULE", details: { api_name: "Nope" }, message: "bad module", status: "error" } }]);
    const none: unknown[] = [];
    for await (const r of crm.paginate("/crm/v2/{module}", { params: { path: { module: "Leads" } } })) none.push(r);
    expect(none).toEqual([]);
    const iterate = async () => {
      for await (const _ of crm.paginate("/crm/v2/{module}", { params: { path: { module: "Nope" } } })) void _;
    };
    await expect(iterate()).rejects.toMatchObject({ name: "ZohoApiError", code: "INVALID_MODULE", status: 400, details: { api_name: "Nope" } });
  });
});

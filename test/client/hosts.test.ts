/** Where calls go: the data centre's host per environment, api_domain, apiBaseUrl, and Accounts. */
import { describe, expect, it } from "vitest";
import { createZohoCRM } from "../../src/client.js";
import { DATA_CENTRES, accountsUrlFor, apiBaseUrlFor } from "../../src/data-centres.js";
import { ENVIRONMENTS } from "../../src/data-centres.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";

function recordingFetch(urls: string[]): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    urls.push(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    if (String(urls.at(-1)).includes("/oauth/v2/token")) {
      return new Response(JSON.stringify({ access_token: "1000.a.b", api_domain: "https://www.zohoapis.in", expires_in: 3600 }), {
        headers: { "content-type": "application/json" },
      });
    }
    void init;
    return new Response(JSON.stringify({ org: [{ id: "1" }] }), { headers: { "content-type": "application/json" } });
  }) as typeof fetch;
}

describe("hosts", () => {
  for (const dc of DATA_CENTRES) {
    for (const environment of ENVIRONMENTS) {
      it(`${dc}/${environment}: API calls go to ${apiBaseUrlFor(dc, environment)}`, async () => {
        const urls: string[] = [];
        const crm = createZohoCRM({ dataCenter: dc, environment, accessToken: "1000.static.token", fetch: recordingFetch(urls) });
        await crm.GET("/crm/v2/org");
        expect(urls).toEqual([`${apiBaseUrlFor(dc, environment)}/crm/v2/org`]);
      });
    }
  }

  it("refresh goes to the data centre's Accounts server, then calls use the api_domain it names", async () => {
    const urls: string[] = [];
    const store = new MemoryTokenStore();
    await store.save({ user: "u@example.jp", accessToken: "1000.old.token", refreshToken: "1000.refresh.token", expiresAt: 0 });
    const crm = createZohoCRM({
      dataCenter: "jp",
      clientId: "id",
      clientSecret: "secret-secret",
      user: "u@example.jp",
      tokenStore: store,
      fetch: recordingFetch(urls),
    });
    await crm.GET("/crm/v2/org");
    expect(urls).toEqual([`${accountsUrlFor("jp")}/oauth/v2/token`, "https://www.zohoapis.in/crm/v2/org"]);
    expect((await store.get("u@example.jp"))?.apiDomain).toBe("https://www.zohoapis.in");
  });
});

describe("hosts of operations that live elsewhere", () => {
  it("bulk-write upload goes to the content host, /oauth to Accounts, a per-request baseUrl is kept", async () => {
    const urls: string[] = [];
    const crm = createZohoCRM({ dataCenter: "eu", accessToken: "1000.static.token", fetch: recordingFetch(urls) });
    await crm.GET("/oauth/user/info");
    const form = new FormData();
    form.set("file", new Blob(["x"]), "a.zip");
    await crm.POST("/crm/v2/upload", {
      params: { header: { feature: "bulk-write", "X-CRM-ORG": "123" } },
      body: form as never,
      bodySerializer: (b: unknown) => b,
    });
    await crm.GET("/{downloadUrl}", {
      baseUrl: "https://download-accl.zoho.eu",
      params: { path: { downloadUrl: "v2/crm/123/bulk-write/456/456.zip" } },
      pathSerializer: (u: string, p: Record<string, unknown>) => u.replace("{downloadUrl}", String(p.downloadUrl)),
      parseAs: "arrayBuffer",
    } as never);
    expect(urls).toEqual([
      "https://accounts.zoho.eu/oauth/user/info",
      "https://content.zohoapis.eu/crm/v2/upload",
      "https://download-accl.zoho.eu/v2/crm/123/bulk-write/456/456.zip",
    ]);
  });
});

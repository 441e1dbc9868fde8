import { describe, expect, it } from "vitest";
import { resolveConfig, resolveApiBase } from "../../src/config.js";
import { DATA_CENTRES, accountsUrlFor, apiBaseUrlFor, dataCenterOf } from "../../src/data-centres.js";
import { ZohoConfigError } from "../../src/errors.js";
import { thrown } from "../helpers/thrown.js";

const EXPECTED_HOSTS = {
  us: ["https://accounts.zoho.com", "https://www.zohoapis.com"],
  eu: ["https://accounts.zoho.eu", "https://www.zohoapis.eu"],
  in: ["https://accounts.zoho.in", "https://www.zohoapis.in"],
  au: ["https://accounts.zoho.com.au", "https://www.zohoapis.com.au"],
  jp: ["https://accounts.zoho.jp", "https://www.zohoapis.jp"],
  cn: ["https://accounts.zoho.com.cn", "https://www.zohoapis.com.cn"],
  ca: ["https://accounts.zohocloud.ca", "https://www.zohoapis.ca"],
  sa: ["https://accounts.zoho.sa", "https://www.zohoapis.sa"],
  uk: ["https://accounts.zoho.uk", "https://www.zohoapis.uk"],
} as const;

const configError = (fn: () => unknown) => thrown(ZohoConfigError, fn);

describe("data centres", () => {
  it.each(DATA_CENTRES)("%s has its accounts server and API hosts", (dc) => {
    const [accounts, api] = EXPECTED_HOSTS[dc];
    expect(accountsUrlFor(dc)).toBe(accounts);
    expect(apiBaseUrlFor(dc)).toBe(api);
    expect(apiBaseUrlFor(dc, "sandbox")).toBe(api.replace("www.", "sandbox."));
    expect(apiBaseUrlFor(dc, "developer")).toBe(api.replace("www.", "developer."));
    const config = resolveConfig({ dataCenter: dc, clientId: "id", clientSecret: "secret-value" });
    expect(config.accountsUrl).toBe(accounts);
    expect(config.defaultApiBaseUrl).toBe(api);
    expect(dataCenterOf(accounts)).toBe(dc);
    expect(dataCenterOf(api)).toBe(dc);
  });

  it("covers all nine data centres", () => {
    expect([...DATA_CENTRES].sort()).toEqual(Object.keys(EXPECTED_HOSTS).sort());
  });
});

describe("API host precedence", () => {
  it("explicit apiBaseUrl, then the token's api_domain, then the data centre default", () => {
    const base = resolveConfig({ dataCenter: "eu" });
    expect(resolveApiBase(base, undefined)).toBe("https://www.zohoapis.eu");
    expect(resolveApiBase(base, { apiDomain: "https://www.zohoapis.in" })).toBe("https://www.zohoapis.in");
    const explicit = resolveConfig({ dataCenter: "eu", apiBaseUrl: "http://127.0.0.1:9999/" });
    expect(resolveApiBase(explicit, { apiDomain: "https://www.zohoapis.in" })).toBe("http://127.0.0.1:9999");
  });

  it("environment picks sandbox and developer hosts", () => {
    expect(resolveConfig({ dataCenter: "au", environment: "sandbox" }).defaultApiBaseUrl).toBe("https://sandbox.zohoapis.com.au");
    expect(resolveConfig({ environment: "developer" }).defaultApiBaseUrl).toBe("https://developer.zohoapis.com");
  });
});

describe("option validation", () => {
  it("applies defaults", () => {
    const config = resolveConfig({});
    expect(config).toMatchObject({
      dataCenter: "us",
      environment: "production",
      apiVersion: "v2",
      maxConcurrency: 10,
      timeoutMs: 60_000,
      refreshSkewMs: 60_000,
    });
    expect(config.retry).toEqual({ limit: 3, baseDelayMs: 300, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 });
  });

  it("reports every problem at once, naming each key", () => {
    const error = configError(() =>
      resolveConfig({
        dataCenter: "mars" as never,
        environment: "staging" as never,
        apiVersion: "v9" as never,
        accountsUrl: "accounts.zoho.com",
        user: "not-an-email",
        maxConcurrency: 0,
        timeoutMs: -1,
        retry: { limit: -2 },
        tokenStore: { get() {} } as never,
      }),
    );
    expect(error.code).toBe("INVALID_OPTIONS");
    expect(error.keys).toEqual(
      expect.arrayContaining(["dataCenter", "environment", "apiVersion", "accountsUrl", "user", "maxConcurrency", "timeoutMs", "retry.limit", "tokenStore"]),
    );
    for (const key of ["dataCenter", "environment", "apiVersion", "accountsUrl", "user", "maxConcurrency", "timeoutMs", "retry.limit", "tokenStore"]) {
      expect(error.message).toContain(key);
    }
  });

  it("wants clientId and clientSecret together", () => {
    expect(configError(() => resolveConfig({ clientId: "abc" })).keys).toEqual(["clientSecret"]);
  });

  it("rejects a non-object", () => {
    expect(configError(() => resolveConfig(undefined as never)).code).toBe("INVALID_OPTIONS");
  });

  it("never echoes the client secret", () => {
    const error = configError(() => resolveConfig({ clientId: "id", clientSecret: "super-secret-value", dataCenter: "xx" as never }));
    expect(error.message).not.toContain("super-secret-value");
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { rateLimitInfo, splitWriteResults } from "../../src/results.js";

const sample = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/zoho-samples/${name}`, import.meta.url), "utf8"));

describe("splitWriteResults", () => {
  it("splits a 207 mixed insert by each item's status, with input indexes", () => {
    const body = sample("insert-records-mixed.response.json") as { data: Array<{ status: string }> };
    const inputs = body.data.map((_, i) => ({ Last_Name: `L${i}` }));
    const { succeeded, failed } = splitWriteResults(inputs, body);
    expect(succeeded.length + failed.length).toBe(body.data.length);
    expect(succeeded.length).toBeGreaterThan(0);
    expect(failed.length).toBeGreaterThan(0);
    for (const outcome of [...succeeded, ...failed]) {
      expect(outcome.input).toBe(inputs[outcome.index]);
      expect(outcome.result).toBe(body.data[outcome.index]);
    }
    expect(failed.every((f) => f.result.status === "error")).toBe(true);
  });

  it("reads record-level errors of a 400 (all failed) the same way", () => {
    const body = sample("error-mandatory-not-found.response.json");
    const { succeeded, failed } = splitWriteResults([{}], body);
    expect(succeeded).toEqual([]);
    expect(failed[0]?.result.code).toBe("MANDATORY_NOT_FOUND");
    expect(failed[0]?.index).toBe(0);
  });

  it("a request-level error or an empty body yields nothing", () => {
    expect(splitWriteResults([{}], sample("error-invalid-module.response.json"))).toEqual({ succeeded: [], failed: [] });
    expect(splitWriteResults([{}], undefined)).toEqual({ succeeded: [], failed: [] });
  });
});

describe("rateLimitInfo", () => {
  it("reads credits and Retry-After when present", () => {
    const info = rateLimitInfo(
      new Response(null, { status: 429, headers: { "x-api-credits-remaining": "1200", "retry-after": "30", "x-ratelimit-limit": "100" } }),
    );
    expect(info).toEqual({ creditsRemaining: 1200, retryAfterSeconds: 30, headers: { "x-api-credits-remaining": "1200", "x-ratelimit-limit": "100" } });
    expect(rateLimitInfo(new Response(null))).toEqual({ creditsRemaining: undefined, retryAfterSeconds: undefined, headers: {} });
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { errorOf, rateLimitInfo, splitWriteResults } from "../../src/results.js";

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

describe("errorOf: one shape for any { error }", () => {
  it("a request-level error as it is, a record-level one as its first item, anything else with a code", () => {
    expect(errorOf({ code: "INVALID_MODULE", details: {}, message: "the module name given seems to be invalid", status: "error" })).toEqual({
      code: "INVALID_MODULE",
      details: {},
      message: "the module name given seems to be invalid",
      status: "error",
    });
    expect(
      errorOf({ data: [{ code: "MANDATORY_NOT_FOUND", details: { api_name: "Last_Name" }, message: "required field not found", status: "error" }] }),
    ).toEqual({
      code: "MANDATORY_NOT_FOUND",
      details: { api_name: "Last_Name" },
      message: "required field not found",
      status: "error",
    });
    expect(errorOf({ code: "TOO_MANY_REQUESTS", message: "slow", status: "error", details: {}, retryAfterMs: 5000 })).toMatchObject({ retryAfterMs: 5000 });
    expect(errorOf("<html>")).toMatchObject({ code: "UNKNOWN_ERROR", status: "error", details: {} });
  });
});

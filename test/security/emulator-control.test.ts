/**
 * The emulator's control plane (mint grants, move the clock, inject faults) cannot be driven by a
 * web page in the developer's browser, and its fault rules cannot be made to hang it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { pathMatches } from "../../src/emulator/faults.js";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, clock: "manual", log: () => {} });
});
afterAll(async () => {
  await emulator.close();
});
const control = (path: string, init: RequestInit) => fetch(`${emulator.url}${path}`, { method: "POST", ...init });

describe("control endpoints accept only JSON requests from no foreign origin", () => {
  it("a cross-site form post (text/plain or form-encoded) is refused: 415, and nothing happens", async () => {
    const before = emulator.state.clock.now();
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const res = await control("/emulator/clock", { headers: { "content-type": type }, body: JSON.stringify({ advanceMs: 3_600_000 }) });
      expect(res.status, type).toBe(415);
    }
    expect((await control("/emulator/grant", { body: "{}" })).status).toBe(415); // no content type at all
    expect(emulator.state.clock.now()).toBe(before);
  });

  it("a request with a foreign Origin is refused (403), even as JSON; the emulator's own origin and none pass", async () => {
    const json = { "content-type": "application/json" };
    const evil = await control("/emulator/grant", { headers: { ...json, origin: "http://evil.example" }, body: "{}" });
    expect(evil.status).toBe(403);
    expect(JSON.stringify(await evil.json())).not.toMatch(/"code"/);
    const stats = await fetch(`${emulator.url}/emulator/stats`, { headers: { origin: "http://evil.example" } });
    expect(stats.status).toBe(403);
    expect((await control("/emulator/grant", { headers: { ...json, origin: emulator.url }, body: "{}" })).status).toBe(200);
    expect((await control("/emulator/grant", { headers: json, body: "{}" })).status).toBe(200);
  });
});

describe("fault rules match paths without regular expressions", () => {
  it("pathRegex is refused; a catastrophic pattern sent as a path is a literal that matches nothing, at once", async () => {
    const json = { "content-type": "application/json" };
    const regex = await control("/emulator/faults", {
      headers: json,
      body: JSON.stringify({ failNext: { kind: "500", match: { pathRegex: "^/crm/(a+)+$" } } }),
    });
    expect(regex.status).toBe(400);
    const literal = await control("/emulator/faults", { headers: json, body: JSON.stringify({ failNext: { kind: "500", match: { path: "^/crm/(a+)+$" } } }) });
    expect(literal.status).toBe(200);
    // The input that makes a backtracking regex hang: answered (a hang would end in the test's timeout).
    const res = await fetch(`${emulator.url}/crm/${"a".repeat(5000)}!`);
    expect(res.status).not.toBe(500); // the literal rule did not match
    emulator.faults.clear();
  });

  it("a path matches itself and below; * is one segment", () => {
    expect(pathMatches("/crm/v2/Leads", "/crm/v2/Leads")).toBe(true);
    expect(pathMatches("/crm/v2/Leads", "/crm/v2/Leads/123")).toBe(true);
    expect(pathMatches("/crm/v2/Leads", "/crm/v2/LeadsX")).toBe(false);
    expect(pathMatches("/crm/v2/*/actions/convert", "/crm/v2/Leads/actions/convert")).toBe(true);
    expect(pathMatches("/crm/v2/*/actions/convert", "/crm/v2/Leads/1/actions/convert")).toBe(false);
  });
});

/**
 * With `persistPath`, generated records are written once (one transaction) and runtime custom
 * fields come back after a restart, with the values records hold for them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/index.js";

const dir = mkdtempSync(path.join(tmpdir(), "zcrm-gen-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("persisted generated records and custom fields", () => {
  it("survive a restart, and a restart does not generate again", async () => {
    const persistPath = path.join(dir, "state.sqlite");
    const options = { clock: "manual" as const, validate: false, persistPath, generatedRecords: 300 };
    const first = await startEmulator(options);
    const counts = ["Accounts", "Leads"].map((m) => first.state.count(m));
    first.state.addField("Leads", { api_name: "Tier", data_type: "integer" });
    const lead = first.state.records("Leads").at(-1)!;
    await first.close();

    const second = await startEmulator(options);
    try {
      expect(["Accounts", "Leads"].map((m) => second.state.count(m))).toEqual(counts);
      expect(second.state.record("Leads", lead.id as string)).toEqual(lead);
      expect(second.state.crm.module("Leads")!.fields.some((f) => f.api_name === "Tier" && f.custom)).toBe(true);
    } finally {
      await second.close();
    }
  });
});

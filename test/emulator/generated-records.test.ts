/**
 * `generatedRecords`: N realistic records per module on top of the sample data, the same for the
 * same seed, with values of each field's type, lookups to existing records and second-resolution
 * Created_Time/Modified_Time (some sharing a second).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { GENERATED_MODULES } from "../../src/emulator/record-generator.js";

const N = 400;
let a: Emulator;
let b: Emulator;
let plain: Emulator;

beforeAll(async () => {
  [a, b, plain] = await Promise.all([
    startEmulator({ clock: "manual", validate: false, generatedRecords: N, seed: "gen" }),
    startEmulator({ clock: "manual", validate: false, generatedRecords: N, seed: "gen" }),
    startEmulator({ clock: "manual", validate: false, seed: "gen" }),
  ]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close(), plain.close()]);
});

const SECOND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/;

describe("generated records", () => {
  it("adds N records to Accounts, Contacts, Deals and Leads, keeps the sample data, and is deterministic from the seed", () => {
    expect(GENERATED_MODULES).toEqual(["Accounts", "Contacts", "Deals", "Leads"]);
    for (const module of GENERATED_MODULES) {
      expect(a.state.count(module)).toBe(plain.state.count(module) + N);
      expect(a.state.records(module)).toEqual(b.state.records(module));
      expect(a.state.records(module).slice(0, plain.state.count(module))).toEqual(plain.state.records(module));
    }
    expect(a.state.count("Tasks")).toBe(plain.state.count("Tasks"));
  });

  it("fills fields with values of their type and lookups to existing records", () => {
    const leads = a.state.records("Leads").slice(-N);
    const emails = new Set(leads.map((l) => l.Email));
    expect(emails.size).toBe(N); // Leads.Email is unique
    for (const lead of leads) {
      expect(typeof lead.Last_Name).toBe("string");
      expect(lead.Email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
      expect(lead.Full_Name).toBe([lead.First_Name, lead.Last_Name].filter(Boolean).join(" "));
      expect(typeof lead.Email_Opt_Out).toBe("boolean");
      expect(lead.Created_Time).toMatch(SECOND);
      expect(lead.Modified_Time).toMatch(SECOND);
      expect(Date.parse(String(lead.Modified_Time))).toBeGreaterThanOrEqual(Date.parse(String(lead.Created_Time)));
      expect(lead.Owner).toMatchObject({ id: expect.any(String), name: expect.any(String), email: expect.any(String) });
      if (lead.Lead_Status !== null)
        expect(
          ["Attempted to Contact", "Contacted", "Not Contacted", "Pre-Qualified"].concat(["Contact in Future", "Junk Lead", "Lost Lead", "Not Qualified"]),
        ).toContain(lead.Lead_Status);
      if (lead.No_of_Employees !== null) expect(Number.isInteger(lead.No_of_Employees)).toBe(true);
    }
    const deals = a.state.records("Deals").slice(-N);
    for (const deal of deals) {
      expect(deal.Closing_Date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(typeof deal.Stage).toBe("string");
      const account = deal.Account_Name as { id: string; name: string } | null;
      if (account) expect(a.state.record("Accounts", account.id)?.Account_Name).toBe(account.name);
    }
    expect(deals.filter((d) => d.Account_Name !== null).length).toBeGreaterThan(N / 4);
  });

  it("spreads Created_Time/Modified_Time over months, some records sharing a second", () => {
    const times = a.state
      .records("Contacts")
      .slice(-N)
      .map((c) => String(c.Modified_Time));
    expect(new Set(times).size).toBeLessThan(times.length);
    const ms = times.map((t) => Date.parse(t));
    expect(Math.max(...ms) - Math.min(...ms)).toBeGreaterThan(30 * 86_400_000);
  });
});

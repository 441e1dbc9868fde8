/**
 * `zcrm export` of 10 000 records (created through `zcrm records create --file`, 100 per call):
 * valid CSV and NDJSON with every record exactly once, fetched page by page.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "./csv-parse.js";
import { json, runInProcess, startCliFixture, type CliFixture } from "./helpers.js";

const COUNT = 10_000;
let fx: CliFixture;
let byId: Map<string, Record<string, unknown>>;

/** Values that need CSV quoting: commas, quotes, line breaks, leading spaces, non-ASCII. */
function description(i: number): string | null {
  switch (i % 5) {
    case 0:
      return `plain ${i}`;
    case 1:
      return `comma, "quoted" ${i}`;
    case 2:
      return `line one\nline two\r\n${i}`;
    case 3:
      return ` leading space ${i} — Zürich ✓`;
    default:
      return null;
  }
}

beforeAll(async () => {
  fx = await startCliFixture({ seedRecords: false });
  expect((await fx.login()).code).toBe(0);
  // No Email: the emulator checks unique fields against every record, which would dominate the run.
  const records = Array.from({ length: COUNT }, (_, i) => ({
    Last_Name: `Export-${String(i).padStart(5, "0")}`,
    Lead_Source: i % 2 === 0 ? "Web Download" : "Cold Call",
    No_of_Employees: i,
    ...(description(i) === null ? {} : { Description: description(i) }),
  }));
  const file = path.join(fx.dir, "leads.json");
  await writeFile(file, JSON.stringify(records));
  const created = await fx.run(["records", "create", "Leads", "--file", file], { timeoutMs: 120_000 });
  expect(created.code, created.stderr).toBe(0);
  expect(json<{ succeeded: number }>(created.stdout).succeeded).toBe(COUNT);
  expect(fx.emulator.stats.perOperation.createRecords).toBe(COUNT / 100);
  byId = new Map(fx.emulator.state.records("Leads").map((r) => [String(r.id), r]));
  expect(byId.size).toBe(COUNT);
});

afterAll(async () => {
  await fx?.close();
});

describe("export", () => {
  it("CSV: id plus the --fields columns, lookups flattened, RFC 4180 quoting, every record exactly once", async () => {
    fx.emulator.resetStats();
    const out = path.join(fx.dir, "leads.csv");
    const r = await fx.run(
      ["export", "Leads", "--format", "csv", "-o", out, "--fields", "Last_Name,Description,No_of_Employees,Lead_Source,Owner,Created_Time"],
      { timeoutMs: 120_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/Exporting Leads: \d+ records \(page \d+\)/);
    expect(r.stderr).toContain(`Exported ${COUNT} Leads records to ${out} (csv).`);
    expect(fx.emulator.stats.perOperation.getRecords).toBe(COUNT / 200);

    const rows = parseCsv(await readFile(out, "utf8"));
    const [header, ...data] = rows;
    expect(header).toEqual(["id", "Last_Name", "Description", "No_of_Employees", "Lead_Source", "Owner.name", "Owner.id", "Owner.email", "Created_Time"]);
    expect(data).toHaveLength(COUNT);
    const col = (name: string) => header!.indexOf(name);
    const seen = new Set<string>();
    for (const row of data) {
      expect(row).toHaveLength(header!.length);
      const id = row[col("id")]!;
      expect(seen.has(id), `duplicate ${id}`).toBe(false);
      seen.add(id);
      const record = byId.get(id)!;
      expect(record, `unknown id ${id}`).toBeDefined();
      expect(row[col("Last_Name")]).toBe(record.Last_Name);
      expect(row[col("Description")]).toBe(record.Description ?? "");
      expect(row[col("No_of_Employees")]).toBe(String(record.No_of_Employees));
      expect(row[col("Lead_Source")]).toBe(record.Lead_Source);
      expect(row[col("Owner.id")]).toBe((record.Owner as { id: string }).id);
      expect(row[col("Created_Time")]).toBe(record.Created_Time);
    }
    expect(seen.size).toBe(COUNT);
  });

  it("NDJSON: one JSON record per line, every record exactly once", async () => {
    const out = path.join(fx.dir, "leads.ndjson");
    const r = await fx.run(["export", "Leads", "--format", "ndjson", "--output", out, "--per-page", "200", "--fields", "Last_Name,Description,Owner"], {
      timeoutMs: 120_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const text = await readFile(out, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.slice(0, -1).split("\n");
    expect(lines).toHaveLength(COUNT);
    const ids = new Set<string>();
    for (const line of lines) {
      const record = JSON.parse(line) as Record<string, unknown>;
      ids.add(String(record.id));
      const stored = byId.get(String(record.id))!;
      expect(record).toEqual({ id: stored.id, Last_Name: stored.Last_Name, Description: stored.Description ?? null, Owner: stored.Owner });
    }
    expect(ids.size).toBe(COUNT);
  });

  it("without --fields the header is the first page's keys (id first, lookups flattened); --fields Owner.name picks one part; --max stops early; a failure leaves no file", async () => {
    const r = await runInProcess([...fx.args, "export", "Leads", "--max", "250", "--per-page", "200"], { env: fx.env });
    expect(r.code, r.stderr).toBe(0);
    const [header, ...data] = parseCsv(r.stdout);
    expect(header![0]).toBe("id");
    for (const column of [
      "Last_Name",
      "Description",
      "Owner.id",
      "Owner.name",
      "Owner.email",
      "Created_By.id",
      "Created_By.name",
      "Created_Time",
      "Modified_Time",
    ])
      expect(header).toContain(column);
    expect(header).not.toContain("Owner");
    expect(data).toHaveLength(250);
    for (const row of data) expect(row).toHaveLength(header!.length);
    const picked = await runInProcess([...fx.args, "export", "Leads", "--fields", "Last_Name,Owner.name", "--max", "3"], { env: fx.env });
    expect(parseCsv(picked.stdout)[0]).toEqual(["id", "Last_Name", "Owner.name"]);

    const out = path.join(fx.dir, "never.csv");
    const failed = await runInProcess([...fx.args, "export", "NoSuchModule", "-o", out], { env: fx.env });
    expect(failed.code).toBe(1);
    await expect(readFile(out)).rejects.toMatchObject({ code: "ENOENT" });
    const { readdir } = await import("node:fs/promises");
    expect((await readdir(fx.dir)).filter((f) => f.includes(".partial-"))).toEqual([]);
  });
});

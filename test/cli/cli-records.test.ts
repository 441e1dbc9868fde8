/**
 * `zcrm records list|get|create|update|upsert|delete|search` and `zcrm coql` as subprocesses
 * against the emulator: JSON in (--data, --file, stdin), JSON out, exit codes; variants in-process.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, runInProcess, startCliFixture, type CliFixture } from "./helpers.js";

interface WriteOut {
  succeeded: number;
  failed: number;
  results: Array<{ index: number; status: string; code: string; message: string; details: Record<string, unknown>; action?: string }>;
}

let fx: CliFixture;
const inProcess = (args: string[], options: { input?: string } = {}) => runInProcess([...fx.args, ...args], { env: fx.env, ...options });

beforeAll(async () => {
  fx = await startCliFixture();
  const login = await fx.login();
  expect(login.code, login.stderr).toBe(0);
});

afterAll(async () => {
  await fx?.close();
});

describe("records", () => {
  it("list prints one page as a JSON array (hint on stderr when more exist); --all streams every page", async () => {
    const page = await fx.run(["records", "list", "Leads", "--per-page", "3", "--fields", "Last_Name,Email"]);
    expect(page.code, page.stderr).toBe(0);
    const records = json<Array<Record<string, unknown>>>(page.stdout);
    expect(records).toHaveLength(3);
    for (const record of records) expect(Object.keys(record).sort()).toEqual(["Email", "Last_Name", "id"]);
    expect(page.stderr).toMatch(/--page 2/);

    const total = fx.emulator.state.count("Leads");
    const all = await inProcess(["records", "list", "Leads", "--all", "--per-page", "5"]);
    expect(all.code, all.stderr).toBe(0);
    const ids = json<Array<{ id: string }>>(all.stdout).map((r) => r.id);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    const max = await inProcess(["records", "list", "Leads", "--all", "--max", "4"]);
    expect(json<unknown[]>(max.stdout)).toHaveLength(4);
    const sorted = await inProcess(["records", "list", "Leads", "--sort-by", "Last_Name", "--sort-order", "desc", "--fields", "Last_Name"]);
    const names = json<Array<{ Last_Name: string }>>(sorted.stdout).map((r) => r.Last_Name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
  });

  it("create takes --data, --file or stdin; prints per-record outcomes; exit 1 when a record failed", async () => {
    const created = await fx.run([
      "records",
      "create",
      "Leads",
      "--data",
      JSON.stringify([{ Last_Name: "Cli-One", Email: "cli-one@example.com" }, { First_Name: "No last name" }]),
    ]);
    expect(created.code).toBe(1);
    const out = json<WriteOut>(created.stdout);
    expect(out.succeeded).toBe(1);
    expect(out.failed).toBe(1);
    expect(out.results.map((r) => [r.index, r.status, r.code])).toEqual([
      [0, "success", "SUCCESS"],
      [1, "error", "MANDATORY_NOT_FOUND"],
    ]);
    expect(created.stderr).toMatch(/1 of 2 records failed \(first: record 1, MANDATORY_NOT_FOUND/);
    const id = String(out.results[0]!.details.id);
    expect(fx.emulator.state.record("Leads", id)).toMatchObject({ Last_Name: "Cli-One" });

    const stdin = await fx.run(["records", "create", "Contacts"], { input: JSON.stringify({ data: [{ Last_Name: "From-Stdin" }] }) });
    expect(stdin.code, stdin.stderr).toBe(0);
    expect(json<WriteOut>(stdin.stdout).succeeded).toBe(1);

    const file = path.join(fx.dir, "accounts.json");
    await writeFile(file, JSON.stringify([{ Account_Name: "Cli Account A" }, { Account_Name: "Cli Account B" }]));
    const fromFile = await inProcess(["records", "create", "Accounts", "--file", file, "--trigger", "none"]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(json<WriteOut>(fromFile.stdout).succeeded).toBe(2);
  });

  it("get, update, upsert, delete", async () => {
    const create = await inProcess(["records", "create", "Leads", "--data", JSON.stringify({ Last_Name: "Cli-Two", Email: "cli-two@example.com" })]);
    const id = String(json<WriteOut>(create.stdout).results[0]!.details.id);

    const get = await fx.run(["records", "get", "Leads", id, "--fields", "Last_Name,Email"]);
    expect(get.code, get.stderr).toBe(0);
    expect(json(get.stdout)).toEqual({ id, Last_Name: "Cli-Two", Email: "cli-two@example.com" });
    const missing = await inProcess(["records", "get", "Leads", "1234567890"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No Leads record has the id 1234567890/);

    const update = await fx.run(["records", "update", "Leads", "--data", JSON.stringify({ id, Last_Name: "Cli-Two-Updated" })]);
    expect(update.code, update.stderr).toBe(0);
    expect(json<WriteOut>(update.stdout).results[0]).toMatchObject({ index: 0, status: "success" });
    expect(fx.emulator.state.record("Leads", id)).toMatchObject({ Last_Name: "Cli-Two-Updated" });
    const noId = await inProcess(["records", "update", "Leads", "--data", JSON.stringify({ Last_Name: "x" })]);
    expect(noId.code).toBe(1);
    expect(noId.stderr).toMatch(/has no "id"/);

    const upsert = await fx.run([
      "records",
      "upsert",
      "Leads",
      "--duplicate-check-fields",
      "Email",
      "--data",
      JSON.stringify([
        { Last_Name: "Cli-Two-Upserted", Email: "cli-two@example.com" },
        { Last_Name: "Cli-Three", Email: "cli-three@example.com" },
      ]),
    ]);
    expect(upsert.code, upsert.stderr).toBe(0);
    const upserted = json<WriteOut>(upsert.stdout);
    expect(upserted.results.map((r) => [r.index, r.action])).toEqual([
      [0, "update"],
      [1, "insert"],
    ]);
    expect(upserted.results[0]!.details.id).toBe(id);
    const thirdId = String(upserted.results[1]!.details.id);

    const del = await fx.run(["records", "delete", "Leads", id, thirdId]);
    expect(del.code, del.stderr).toBe(0);
    expect(json<WriteOut>(del.stdout)).toMatchObject({ succeeded: 2, failed: 0 });
    expect(fx.emulator.state.record("Leads", id)).toBeUndefined();
    expect(fx.emulator.state.record("Leads", thirdId)).toBeUndefined();
    const delAgain = await inProcess(["records", "delete", "Leads"], { input: JSON.stringify([{ id }]) });
    expect(delAgain.code).toBe(1);
    expect(json<WriteOut>(delAgain.stdout).failed).toBe(1);
  });

  it("search with --criteria, --email, --word; an empty result is []", async () => {
    await inProcess(["records", "create", "Leads", "--data", JSON.stringify({ Last_Name: "Searchable", Email: "searchable@example.com" })]);
    const criteria = await fx.run(["records", "search", "Leads", "--criteria", "(Last_Name:equals:Searchable)", "--fields", "Last_Name,Email"]);
    expect(criteria.code, criteria.stderr).toBe(0);
    expect(json<Array<Record<string, unknown>>>(criteria.stdout).map((r) => r.Email)).toEqual(["searchable@example.com"]);
    const email = await inProcess(["records", "search", "Leads", "--email", "searchable@example.com"]);
    expect(json<Array<{ Last_Name: string }>>(email.stdout).map((r) => r.Last_Name)).toEqual(["Searchable"]);
    const none = await inProcess(["records", "search", "Leads", "--word", "zzzznothingmatches", "--all"]);
    expect(none.code, none.stderr).toBe(0);
    expect(json(none.stdout)).toEqual([]);
    const badModule = await inProcess(["records", "list", "NoSuchModule"]);
    expect(badModule.code).toBe(1);
    expect(badModule.stderr).toMatch(/^zcrm: API error: .*INVALID_MODULE/);
  });
});

describe("coql", () => {
  it("prints the matching records as a JSON array; no match is []; a bad query exits 1", async () => {
    await inProcess(["records", "create", "Leads", "--data", JSON.stringify({ Last_Name: "Coql-Target", Company: "Coql Inc" })]);
    const r = await fx.run(["coql", "select Last_Name, Company from Leads where Last_Name = 'Coql-Target' limit 5"]);
    expect(r.code, r.stderr).toBe(0);
    const rows = json<Array<Record<string, unknown>>>(r.stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ Last_Name: "Coql-Target", Company: "Coql Inc" });
    const none = await inProcess(["coql", "select Last_Name from Leads where Last_Name = 'nobody-has-this' limit 5"]);
    expect(none.code, none.stderr).toBe(0);
    expect(json(none.stdout)).toEqual([]);
    const bad = await inProcess(["coql", "selec nonsense"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^zcrm: API error: COQL query failed \(HTTP 400/);
  });
});

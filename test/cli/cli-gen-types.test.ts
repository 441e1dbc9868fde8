/**
 * `zcrm gen-types` against the emulator: the output compiles with tsc, together with a type-test
 * file in which a wrong field name, a wrong picklist value, a missing mandatory field, a read-only
 * field... are `@ts-expect-error` (so tsc proves each is an error), and the same file without the
 * directives must fail at exactly those lines. The org's types are used through `crm.modules<OrgModules>()`
 * and extend the shipped standard types with the org's custom fields.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOrgTypes } from "../../src/codegen/gen-types.js";
import { input as fixtureInput } from "../codegen/fixtures.js";
import { REPO, runInProcess, startCliFixture, type CliFixture } from "./helpers.js";

const run = promisify(execFile);
let fx: CliFixture;
let tmp: string;

const USAGE = `import type { DealsCreate, Leads, LeadsCreate, Leads_Lead_Source, OrgModules } from "./org-types.js";
import { createModuleApi } from "../../../src/module-api.js";
import type { ZohoCRMClient } from "../../../src/client.js";
import type { StandardTypes } from "../../../src/index.js";

declare const crm: ZohoCRMClient;
const leads = crm.modules<OrgModules>()("Leads");

export async function valid(): Promise<void> {
  const created = await leads.create([{ Last_Name: "Boyle", Lead_Source: "Web Download", Email: null, Owner: { id: "1" }, No_of_Employees: 5 }]);
  const input: string | undefined = created.succeeded[0]?.input?.Last_Name;
  const page = await leads.list({ fields: ["Last_Name"] });
  const name: string = page.records[0]!.Last_Name;
  const source: Leads_Lead_Source | null | undefined = page.records[0]!.Lead_Source;
  for await (const lead of leads.iterate({ maxRecords: 10 })) {
    const id: string = lead.id;
    const owner: string | undefined = lead.Owner?.id;
    void [id, owner];
  }
  await leads.update([{ id: "1", Lead_Status: "Contacted", Email: null }]);
  await leads.upsert([{ Last_Name: "x", Email: "x@example.com" }], { duplicateCheckFields: ["Email"] });
  const deal: DealsCreate = { Deal_Name: "x", Stage: "Qualification", Closing_Date: "2025-01-01", Account_Name: { id: "1" } };
  const generic = createModuleApi(crm)("AnyModule");
  await generic.create([{ Anything: 1 }]);
  // The org's types add its custom fields to the standard ones: an org's Leads is a standard Leads.
  const external: string | null | undefined = page.records[0]!.External_Lead_ID;
  const standard: StandardTypes.Leads = page.records[0]!;
  // createModuleApi<OrgModules>(crm) is the same accessor; names outside the org file are custom modules.
  const same: typeof leads = createModuleApi<OrgModules>(crm)("Leads");
  await crm.modules<OrgModules>()("Widgets").create([{ Anything: 1 }]);
  void [input, name, source, deal, external, standard, same];
}

export async function invalid(lead: Leads): Promise<void> {
  // @ts-expect-error wrong field name
  const a: LeadsCreate = { Last_Name: "x", Last_Nme: "y" };
  // @ts-expect-error wrong picklist value
  const b: LeadsCreate = { Last_Name: "x", Lead_Source: "Carrier Pigeon" };
  // @ts-expect-error mandatory field missing
  const c: LeadsCreate = { Email: "a@example.com" };
  // @ts-expect-error read-only field in a create
  const d: LeadsCreate = { Last_Name: "x", Full_Name: "y" };
  // @ts-expect-error read-only on the record
  lead.Created_Time = "2020-01-01T00:00:00+00:00";
  // @ts-expect-error wrong field name through the module API
  await leads.create([{ Last_Name: "x", Lead_Sauce: "Web Download" }]);
  // @ts-expect-error wrong picklist value through the module API
  await leads.create([{ Last_Name: "x", Lead_Source: "Nope" }]);
  // @ts-expect-error update without id
  await leads.update([{ Last_Name: "x" }]);
  // @ts-expect-error a field the org's Leads lacks, in fields
  leads.iterate({ fields: ["Last_Nme"] });
  // @ts-expect-error number into a text field
  const e: LeadsCreate = { Last_Name: 42 };
  // @ts-expect-error text into a number field
  const f: LeadsCreate = { Last_Name: "x", No_of_Employees: "many" };
  // @ts-expect-error a field the module does not have
  const g = lead.Nonexistent;
  // @ts-expect-error the shipped standard Leads have no custom field
  crm.module("Leads").iterate({ fields: ["External_Lead_ID"] });
  void [a, b, c, d, e, f, g];
}
`;

beforeAll(async () => {
  fx = await startCliFixture();
  expect((await fx.login()).code).toBe(0);
  tmp = await mkdtemp(path.join(REPO, "test/cli/.tmp-gen-types-"));
});

afterAll(async () => {
  await fx?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

interface TscError {
  file: string;
  line: number;
  code: string;
  message: string;
}

async function tsc(project: string): Promise<TscError[]> {
  const result = await run(process.execPath, [path.join(REPO, "node_modules/typescript/bin/tsc"), "-p", project, "--pretty", "false"], { cwd: REPO }).then(
    (r) => r.stdout,
    (error: { stdout?: string }) => error.stdout ?? "",
  );
  return result
    .split("\n")
    .map((line) => /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ file: path.resolve(REPO, m[1]!), line: Number(m[2]), code: m[3]!, message: m[4]! }));
}

describe("zcrm gen-types", () => {
  it("--help and the README spell typed modules one way: crm.modules<OrgModules>()", async () => {
    const help = await runInProcess(["gen-types", "--help"]);
    expect(help.code).toBe(0);
    const readme = await readFile(path.join(REPO, "README.md"), "utf8");
    const section = readme.split(/^## /m).find((s) => s.startsWith("Your org's own types"));
    expect(section).toBeDefined();
    for (const text of [help.stdout, section!]) {
      expect(text).toContain('crm.modules<OrgModules>()("Leads")');
      expect(text).not.toContain("createModuleApi");
    }
  });

  it("writes types for the emulator's org that compile; wrong fields and picklist values do not", async () => {
    const orgTypes = path.join(tmp, "org-types.ts");
    const r = await fx.run(["gen-types", "-o", orgTypes]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Wrote types of 9 modules \(Accounts, Calls, Contacts, Deals, Events, Leads, Notes, Products, Tasks\)/);
    const text = await readFile(orgTypes, "utf8");
    expect(text).toContain(`generated by \`zcrm gen-types\` (zcrm-typed) from the metadata of ${fx.emulator.url}`);
    for (const name of ["Leads", "LeadsCreate", "LeadsUpdate", "Deals", "Tasks", "Events", "Calls", "Products", "Notes", "OrgModules"])
      expect(text).toMatch(new RegExp(`export (interface|type) ${name}\\b`));
    expect(text).toMatch(/export type Leads_Lead_Source =\n {2}\| "-None-"/);
    expect(text).not.toMatch(new RegExp(`${new Date().getUTCFullYear()}-\\d\\d-\\d\\d`)); // no timestamp: reproducible

    // Deterministic: the same metadata gives the same text (stdout this time).
    const again = await runInProcess([...fx.args, "gen-types"], { env: fx.env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(text);
    const subset = await runInProcess([...fx.args, "gen-types", "--modules", "deals,Leads"], { env: fx.env });
    expect(subset.stdout).toMatch(/Modules: Deals, Leads\./);
    expect(subset.stdout).toContain("`zcrm gen-types --modules deals,Leads`");
    const unknown = await runInProcess([...fx.args, "gen-types", "--modules", "Leads,Widgets"], { env: fx.env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Unknown or API-unsupported module\(s\): Widgets/);

    await writeFile(path.join(tmp, "fixture-types.ts"), generateOrgTypes(fixtureInput));
    await writeFile(path.join(tmp, "usage.ts"), USAGE);
    const directive = "// @ts-expect-error";
    const usageLines = USAGE.split("\n");
    const badLines = usageLines.filter((l) => !l.trim().startsWith(directive));
    await writeFile(path.join(tmp, "bad.ts"), badLines.join("\n"));
    // 1-based lines of bad.ts that followed a directive in usage.ts.
    const expectedBad: number[] = [];
    usageLines.forEach((line, i) => {
      if (line.trim().startsWith(directive)) expectedBad.push(i + 1 - expectedBad.length);
    });
    await writeFile(
      path.join(tmp, "tsconfig.json"),
      JSON.stringify({
        extends: "../../../tsconfig.json",
        compilerOptions: { noEmit: true },
        include: [],
        files: ["org-types.ts", "fixture-types.ts", "usage.ts", "bad.ts"],
      }),
    );

    const errors = await tsc(path.join(tmp, "tsconfig.json"));
    const bad = path.join(tmp, "bad.ts");
    // Everything but bad.ts compiles: the generated files and every @ts-expect-error is a real error.
    expect(errors.filter((e) => e.file !== bad)).toEqual([]);
    // Without the directives, exactly the marked lines fail, with the expected diagnostics.
    const badErrorLines = [...new Set(errors.filter((e) => e.file === bad).map((e) => e.line))].sort((a, b) => a - b);
    expect(badErrorLines).toEqual(expectedBad);
    const messageAt = (offset: number) =>
      errors
        .filter((e) => e.file === bad && e.line === expectedBad[offset])
        .map((e) => e.message)
        .join(" | ");
    expect(messageAt(0)).toMatch(/'Last_Nme' does not exist in type 'LeadsCreate'/);
    expect(messageAt(1)).toMatch(/"Carrier Pigeon"' is not assignable to type 'Leads_Lead_Source/);
    expect(messageAt(2)).toMatch(/'Last_Name' is missing/);
    expect(messageAt(3)).toMatch(/'Full_Name' does not exist in type 'LeadsCreate'/);
    expect(messageAt(4)).toMatch(/Cannot assign to 'Created_Time' because it is a read-only property/);
    expect(messageAt(5)).toMatch(/'Lead_Sauce' does not exist in type 'LeadsCreate'/);
    expect(messageAt(6)).toMatch(/"Nope"' is not assignable to type 'Leads_Lead_Source/);
    expect(messageAt(7)).toMatch(/'id' is missing/);
    expect(messageAt(8)).toMatch(/"Last_Nme"' is not assignable to type 'keyof Leads'/);
    expect(messageAt(11)).toMatch(/'Nonexistent' does not exist on type 'Leads'/);
    expect(messageAt(12)).toMatch(/"External_Lead_ID"' is not assignable to type 'keyof Leads'/);
  });
});

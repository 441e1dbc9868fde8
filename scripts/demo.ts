/**
 * `npm run demo`: the whole SDK against the local emulator, offline, in a few seconds.
 *
 * Starts the Zoho CRM + Accounts emulator in this process on a random port, creates a client with
 * the default token store (embedded SQLite in a temporary directory), exchanges a grant code,
 * then: current user, 250 leads inserted in batches of 100, paginated listing, search, bulk
 * update, COQL, lead conversion, delete, and an access-token expiry at Zoho (the emulator's clock
 * jumps an hour ahead) that the client heals by refreshing and replaying the call. Prints what happened; never prints tokens or the client secret.
 * Exit code 0 on success; 1 with a one-line error otherwise.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createZohoCRM, type ZohoCRMClient } from "../src/client.js";
import { startEmulator, type Emulator } from "../src/emulator/index.js";

const ACCESS_TOKEN_TTL_SEC = 3600; // Zoho's own lifetime
const LEADS = 250;
const BATCH = 100;
const SOURCES = ["Web Download", "Trade Show", "Partner", "Cold Call"] as const;
const FIRST_NAMES = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken"];

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (line: string) => console.log(line);
const step = (title: string) => say(`\n▸ ${title}`);

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function failed(what: string, result: { error?: unknown; response: Response }): Error {
  const code = (result.error as { code?: unknown } | undefined)?.code;
  return new Error(`${what} failed (HTTP ${result.response.status}${typeof code === "string" ? ` ${code}` : ""})`);
}

async function run(emulator: Emulator, crm: ZohoCRMClient): Promise<string[]> {
  const summary: string[] = [];

  step("Authorize: exchange a grant code (emulator consent shortcut) for tokens");
  const status = await crm.auth.exchangeGrantToken(emulator.mintGrantCode());
  say(
    `  tokens stored for ${status.user} (found via /oauth/user/info), API host ${status.apiDomain}, access token valid ${Math.round((status.expiresAt - Date.now()) / 60_000)} min`,
  );
  summary.push(`grant exchanged for ${status.user}`);

  return crm.withUser(status.user, async () => {
    step("Current user: GET /crm/v2/users?type=CurrentUser");
    const me = await crm.GET("/crm/v2/users", { params: { query: { type: "CurrentUser" } } });
    const user = me.data?.users?.[0];
    if (!user) throw failed("GET current user", me);
    say(`  ${user.full_name} <${user.email}>, role ${user.role?.name}, profile ${user.profile?.name}`);

    const seeded = emulator.state.count("Leads"); // the emulator starts with sample records
    step(`Insert ${LEADS} leads in batches of ${BATCH} (POST /crm/v2/Leads)`);
    const runId = Date.now().toString(36);
    const leads = Array.from({ length: LEADS }, (_, i) => ({
      First_Name: FIRST_NAMES[i % FIRST_NAMES.length]!,
      Last_Name: `Demo-${i + 1}`,
      Company: `Demo Company ${(i % 7) + 1}`,
      Email: `demo.${runId}.${i + 1}@example.com`,
      Lead_Source: SOURCES[i % SOURCES.length]!,
      Annual_Revenue: (i + 1) * 1000,
    }));
    const statuses: number[] = [];
    let inserted = 0;
    for (let i = 0; i < leads.length; i += BATCH) {
      const result = await crm.POST("/crm/v2/{module}", { params: { path: { module: "Leads" } }, body: { data: leads.slice(i, i + BATCH) } });
      if (!result.data) throw failed("insert leads", result);
      statuses.push(result.response.status);
      inserted += result.data.data.filter((item) => item.status === "success").length;
    }
    check(inserted === LEADS, `expected ${LEADS} leads inserted, got ${inserted}`);
    say(`  ${inserted} inserted in ${statuses.length} calls (HTTP ${statuses.join(", ")})`);
    summary.push(`${inserted} leads inserted in ${statuses.length} calls`);

    step("List every lead, page by page (crm.paginate, 200 per page, until more_records is false)");
    let listed = 0;
    let pages = 0;
    for await (const page of crm.paginate.pages("/crm/v2/{module}", { params: { path: { module: "Leads" } } })) {
      pages += 1;
      listed += page.items.length;
      say(`  page ${page.page}: ${page.items.length} leads, more_records=${page.moreRecords}`);
    }
    check(listed === seeded + LEADS, `listed ${listed} leads, expected ${seeded} seeded + ${LEADS} inserted`);
    say(`  ${listed} leads: ${seeded} seeded by the emulator + ${LEADS} inserted`);
    summary.push(`${listed} leads listed over ${pages} pages (${seeded} seeded + ${LEADS} inserted)`);

    step("Search: ((Lead_Source:equals:Trade Show)and(Annual_Revenue:greater_than:200000))");
    const criteria = "((Lead_Source:equals:Trade Show)and(Annual_Revenue:greater_than:200000))";
    const found: string[] = [];
    for await (const lead of crm.paginate("/crm/v2/{module}/search", { params: { path: { module: "Leads" }, query: { criteria } } })) {
      if (typeof lead.id === "string") found.push(lead.id);
    }
    say(`  ${found.length} leads match`);
    const byEmail = await crm.GET("/crm/v2/{module}/search", { params: { path: { module: "Leads" }, query: { email: leads[41]!.Email } } });
    say(`  search by email ${leads[41]!.Email}: ${byEmail.data?.data?.[0]?.Full_Name ?? "no match"}`);
    summary.push(`search found ${found.length} leads`);

    step("Bulk update: Lead_Status = Contacted for the matches (PUT /crm/v2/Leads)");
    const update = await crm.PUT("/crm/v2/{module}", {
      params: { path: { module: "Leads" } },
      body: { data: found.slice(0, BATCH).map((id) => ({ id, Lead_Status: "Contacted" })) },
    });
    if (!update.data) throw failed("update leads", update);
    const updated = update.data.data.filter((item) => item.status === "success").length;
    say(`  ${updated} updated (HTTP ${update.response.status})`);
    summary.push(`${updated} leads updated`);

    step("COQL: the three biggest demo leads now contacted");
    const coql = await crm.POST("/crm/v2/coql", {
      body: {
        select_query:
          "select Full_Name, Company, Annual_Revenue from Leads where Lead_Status = 'Contacted' and Last_Name like 'Demo-%' order by Annual_Revenue desc limit 3",
      },
    });
    if (!coql.data) throw failed("COQL", coql);
    for (const row of coql.data.data) say(`  ${String(row.Full_Name)} (${String(row.Company)}): ${String(row.Annual_Revenue)}`);

    step("Convert a lead into a contact, an account and a deal (POST /crm/v2/Leads/{id}/actions/convert)");
    const leadId = found[0];
    check(leadId, "no lead to convert");
    const convert = await crm.POST("/crm/v2/Leads/{id}/actions/convert", {
      params: { path: { id: leadId } },
      body: { data: [{ Deals: { Deal_Name: "Demo deal", Closing_Date: "2030-12-31", Stage: "Qualification", Amount: 50000 } }] },
    });
    if (!convert.data) throw failed("convert lead", convert);
    const ids = convert.data.data[0] as { Contacts?: unknown; Accounts?: unknown; Deals?: unknown };
    say(`  contact ${String(ids.Contacts)}, account ${String(ids.Accounts)}, deal ${String(ids.Deals)}`);
    const again = await crm.POST("/crm/v2/Leads/{id}/actions/convert", { params: { path: { id: leadId } }, body: { data: [{}] } });
    say(`  converting it again: HTTP ${again.response.status} ${(again.error as { code?: string } | undefined)?.code ?? ""}`);
    summary.push("1 lead converted (contact, account, deal)");

    step("Delete 10 leads (DELETE /crm/v2/Leads?ids=...) and look in the recycle bin");
    const doomed = found.slice(1, 11);
    const removed = await crm.DELETE("/crm/v2/{module}", { params: { path: { module: "Leads" }, query: { ids: doomed } } });
    if (!removed.data) throw failed("delete leads", removed);
    const deletedCount = removed.data.data.filter((item) => item.status === "success").length;
    const bin = await crm.GET("/crm/v2/{module}/deleted", { params: { path: { module: "Leads" }, query: { type: "recycle" } } });
    say(`  ${deletedCount} deleted; recycle bin holds ${bin.data?.data?.length ?? 0}`);
    summary.push(`${deletedCount} leads deleted`);

    step("Token expiry: the emulator's clock jumps past the access token's lifetime, then we call again");
    const before = await crm.auth.status();
    check(before, "no stored tokens");
    emulator.state.advanceClock(ACCESS_TOKEN_TTL_SEC * 1000 + 1000);
    say("  Zoho (the emulator) now rejects the access token the client holds");
    const refreshesBefore = emulator.stats.refreshes;
    const org = await crm.GET("/crm/v2/org", {});
    if (!org.data) throw failed("GET org after expiry", org);
    const after = await crm.auth.status();
    const refreshed = emulator.stats.refreshes - refreshesBefore;
    check(refreshed === 1 && after && after.expiresAt > before.expiresAt, "the client did not refresh the expired access token");
    say(
      `  the 401 was healed: the client refreshed the token (${refreshed} refresh), replayed the call, and GET /crm/v2/org answered: ${String(org.data.org[0]?.company_name)}`,
    );
    summary.push(`expired access token refreshed ${refreshed}x transparently`);

    const failures = emulator.stats.responseValidationFailures.length;
    check(failures === 0, `${failures} emulator responses broke the spec`);
    summary.push(`${emulator.stats.apiCalls} API calls, all responses valid against the spec`);
    return summary;
  });
}

async function main(): Promise<void> {
  const cwd = await mkdtemp(path.join(tmpdir(), "zcrm-demo-"));
  const emulator = await startEmulator({ port: 0, accessTokenTtlSec: ACCESS_TOKEN_TTL_SEC });
  say(`Zoho CRM emulator on ${emulator.url}; token store: default (SQLite in ${path.join(cwd, ".zcrm")})`);
  // No tokenStore option: the embedded SQLite default store is used (under `cwd`).
  const crm = createZohoCRM({
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    redirectUri: "http://localhost:8000/oauth/callback",
    accountsUrl: emulator.url,
    cwd,
  });
  try {
    const summary = await run(emulator, crm);
    say("\nSummary");
    for (const line of summary) say(`  ✓ ${line}`);
    say(`\nDemo OK: ${summary.length} steps in ${elapsed()}`);
  } finally {
    await crm.close().catch(() => undefined);
    await emulator.close();
    await rm(cwd, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`Demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});

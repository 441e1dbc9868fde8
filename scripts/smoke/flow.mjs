// The whole path from a packed tarball, as a user's ESM project runs it: the emulator from
// zcrm-typed/emulator, the embedded default store, a grant, calls, the typeorm, codegen and sync entries.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createZohoCRM, ZohoApiError } from "zcrm-typed";
import { generateOrgTypes } from "zcrm-typed/codegen";
import { startEmulator } from "zcrm-typed/emulator";
import { syncModules } from "zcrm-typed/sync";
import { TypeOrmTokenStore } from "zcrm-typed/typeorm";
import { DataSource } from "typeorm";

const emulator = await startEmulator({ port: 0, log: () => {} });
const crm = createZohoCRM({
  clientId: emulator.clientId,
  clientSecret: emulator.clientSecret,
  accountsUrl: emulator.url,
  cwd: mkdtempSync(path.join(tmpdir(), "zcrm-smoke-")),
});
const status = await crm.auth.exchangeGrantToken(emulator.mintGrantCode());
const { data } = await crm.forUser(status.user).GET("/crm/v2/{module}", { params: { path: { module: "Leads" }, query: { per_page: 2 } } });
if (data?.data?.length !== 2) throw new Error("expected two leads");
const dataSource = await new DataSource({
  type: "better-sqlite3",
  database: path.join(mkdtempSync(path.join(tmpdir(), "zcrm-sync-")), "crm.sqlite"),
}).initialize();
const synced = await syncModules({ crm: crm.forUser(status.user), dataSource, modules: ["Leads"], bulkPoll: { minMs: 200, maxMs: 500 } });
const [{ n }] = await dataSource.query("SELECT COUNT(*) AS n FROM zoho_leads");
if (synced.modules[0].mode !== "bulk" || n !== synced.inserted || n < 2) throw new Error(`sync: ${JSON.stringify(synced)}, ${n} rows`);
await dataSource.destroy();
await crm.close();
await emulator.close();
if (typeof TypeOrmTokenStore !== "function" || typeof generateOrgTypes !== "function" || !(new ZohoApiError("x", { code: "C", status: 1 }) instanceof Error))
  throw new Error("entries incomplete");
console.log(`esm ok: ${status.user}, ${data.data.length} leads, ${n} leads mirrored by bulk read`);

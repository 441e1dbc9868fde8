// The same from a CommonJS project: require() of every entry (Node >= 20.19 loads ESM without
// top-level await), then a real call.
const { mkdtempSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");
const { createZohoCRM } = require("zcrm-typed");
const { startEmulator } = require("zcrm-typed/emulator");
const { TypeOrmTokenStore } = require("zcrm-typed/typeorm");
const { generateOrgTypes } = require("zcrm-typed/codegen");
const { syncModules } = require("zcrm-typed/sync");
const pkg = require("zcrm-typed/package.json");

(async () => {
  const emulator = await startEmulator({ port: 0, log: () => {} });
  const crm = createZohoCRM({
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    accountsUrl: emulator.url,
    cwd: mkdtempSync(path.join(tmpdir(), "zcrm-smoke-")),
  });
  const status = await crm.auth.exchangeGrantToken(emulator.mintGrantCode(), { makeDefault: true });
  const { response } = await crm.GET("/crm/v2/org", {});
  await crm.close();
  await emulator.close();
  if (response.status !== 200 || typeof TypeOrmTokenStore !== "function" || typeof generateOrgTypes !== "function" || typeof syncModules !== "function")
    throw new Error("cjs flow failed");
  console.log(`cjs ok: ${pkg.name} ${pkg.version}, ${status.user}`);
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

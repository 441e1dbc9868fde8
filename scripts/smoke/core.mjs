// Installed with --omit=optional: the core works (file store, emulator without validation), and each
// feature that needs an optional package fails with a typed error naming the install command.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createZohoCRM, FileTokenStore } from "zcrm-typed";
import { startEmulator } from "zcrm-typed/emulator";

const expectMissing = async (what, run, pkg) => {
  const error = await run().then(
    () => undefined,
    (e) => e,
  );
  if (error?.code !== "OPTIONAL_PACKAGE_MISSING" || !error.message.includes(`npm install ${pkg}`))
    throw new Error(`${what}: expected OPTIONAL_PACKAGE_MISSING naming ${pkg}, got ${error?.code}: ${error?.message}`);
};
const dir = mkdtempSync(path.join(tmpdir(), "zcrm-core-"));
const emulator = await startEmulator({ port: 0, validate: false, log: () => {} });
const crm = createZohoCRM({
  clientId: emulator.clientId,
  clientSecret: emulator.clientSecret,
  accountsUrl: emulator.url,
  tokenStore: new FileTokenStore({ directory: dir }),
});
const status = await crm.auth.exchangeGrantToken(emulator.mintGrantCode(), { makeDefault: true });
const { response } = await crm.GET("/crm/v2/org", {});
if (response.status !== 200) throw new Error("core call failed");
await crm.close();

await expectMissing(
  "the embedded default store",
  () => createZohoCRM({ clientId: "1000.C", clientSecret: "s", user: "a@b.co", cwd: dir }).auth.status(),
  "typeorm better-sqlite3",
);
await expectMissing("the emulator's validation", () => startEmulator({ port: 0 }), "ajv ajv-formats");
const shared = createZohoCRM({
  accessToken: "t",
  apiBaseUrl: emulator.url,
  sharedConcurrency: { redis: { eval() {}, evalsha() {}, get() {}, set() {}, zrem() {} }, limit: 1 },
});
await expectMissing("sharedConcurrency", () => shared.GET("/crm/v2/org", {}), "redis-semaphore");
await emulator.close();
for (const pkg of ["typeorm", "better-sqlite3", "ajv"]) {
  if (
    await import(pkg).then(
      () => true,
      () => false,
    )
  )
    throw new Error(`${pkg} should not be installed`);
}
console.log(`core ok: ${status.user}; optional features name their packages`);

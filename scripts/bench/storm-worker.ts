/**
 * One process of the fleet refresh storm: a client on the shared database token store whose access
 * token has expired. Connects, prints {"ready": true}, waits for "go" on stdin (so every process
 * starts together), then makes CALLS concurrent calls and prints {"ok", "failed", "ms"}.
 */
import { createInterface } from "node:readline";
import { createZohoCRM } from "../../src/client.js";
import { TypeOrmTokenStore, type TypeOrmTokenStoreOptions } from "../../src/typeorm.js";

const env = process.env as Record<string, string>;
const store = new TypeOrmTokenStore(JSON.parse(env.STORE_OPTIONS!) as TypeOrmTokenStoreOptions);
const crm = createZohoCRM({
  clientId: env.CLIENT_ID,
  clientSecret: env.CLIENT_SECRET,
  user: env.ZOHO_USER,
  accountsUrl: env.ACCOUNTS_URL,
  tokenStore: store,
  maxConcurrency: 25,
});
await store.get(env.ZOHO_USER!); // connect first: the race is about tokens, not connections
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once("line", () => resolve()));
const started = performance.now();
const results = await Promise.allSettled(
  Array.from({ length: Number(env.CALLS) }, () => crm.GET("/crm/v2/users", { params: { query: { type: "CurrentUser" } } })),
);
const ok = results.filter((r) => r.status === "fulfilled" && r.value.response.status === 200).length;
process.stdout.write(`${JSON.stringify({ ok, failed: results.length - ok, ms: Math.round(performance.now() - started) })}\n`);
await crm.close({ store: true }); // the store was passed in: closed only on request

/**
 * The emulator for the sync benchmark, in its own process: `--records N` generated Leads, spec
 * validation off, bulk jobs on the real clock, `--latency-ms` added to every CRM call. Prints {"url", "accessToken", "leads"}; then answers
 * stdin lines: `change N` edits N random Leads (one second later) and prints {"changed"};
 * `calls` prints {"apiCalls"} (CRM requests received so far). Stops on SIGTERM.
 */
import { createInterface } from "node:readline";
import { startEmulator } from "../../src/emulator/index.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const total = option("records", 100_000);
const emulator = await startEmulator({ port: 0, validate: false, seed: "bench-sync", log: () => {}, generatedRecords: total, seedRecords: false });
// A round trip to Zoho is not free: --latency-ms models it on every CRM call (after the seeding).
emulator.faults.latencyMs = option("latency-ms", 0);
const code = emulator.mintGrantCode();
const form = new URLSearchParams({ grant_type: "authorization_code", client_id: emulator.clientId, client_secret: emulator.clientSecret, code });
const token = (await (await fetch(`${emulator.url}/oauth/v2/token`, { method: "POST", body: form })).json()) as { access_token: string };
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
print({ url: emulator.url, accessToken: token.access_token, leads: emulator.state.count("Leads") });

const headers = { authorization: `Zoho-oauthtoken ${token.access_token}`, "content-type": "application/json" };
createInterface({ input: process.stdin }).on("line", (line) => {
  const [command, n] = line.trim().split(/\s+/);
  if (command === "calls") return print({ apiCalls: emulator.stats.apiCalls });
  if (command !== "change") return;
  void (async () => {
    const leads = emulator.state.records("Leads");
    const count = Number(n);
    const step = Math.max(1, Math.floor(leads.length / count));
    let changed = 0;
    for (let start = 0; changed < count; start += 100 * step) {
      const data = [];
      for (let i = 0; i < 100 && changed < count; i++, changed++)
        data.push({ id: String(leads[(start + i * step) % leads.length]!.id), Description: `changed ${Date.now()}` });
      const response = await fetch(`${emulator.url}/crm/v2/Leads`, { method: "PUT", headers, body: JSON.stringify({ data }) });
      if (!response.ok) throw new Error(`change failed: HTTP ${response.status}`);
    }
    print({ changed });
  })();
});
process.on("SIGTERM", () => void emulator.close().then(() => process.exit(0)));

/**
 * The project's emulator in its own process for the benchmarks: spec validation off (we measure
 * the client, not Ajv), at least 200 Leads so a page is full. Gets itself an access token through
 * its own OAuth endpoints and prints {"url", "accessToken"}; stops on SIGTERM.
 */
import { startEmulator } from "../../src/emulator/index.js";

const emulator = await startEmulator({ port: 0, validate: false, seed: "bench", log: () => {} });
const code = emulator.mintGrantCode();
const form = new URLSearchParams({ grant_type: "authorization_code", client_id: emulator.clientId, client_secret: emulator.clientSecret, code });
const token = (await (await fetch(`${emulator.url}/oauth/v2/token`, { method: "POST", body: form })).json()) as { access_token: string };
const headers = { authorization: `Zoho-oauthtoken ${token.access_token}`, "content-type": "application/json" };
let batch = 0;
while (emulator.state.count("Leads") < 200) {
  batch += 1;
  const data = Array.from({ length: 100 }, (_, i) => ({
    First_Name: "Bench",
    Last_Name: `Lead ${batch}-${i}`,
    Email: `bench.${batch}.${i}@example.com`,
    Company: `Bench Co ${i % 17}`,
    Lead_Source: "Web Download",
  }));
  const response = await fetch(`${emulator.url}/crm/v2/Leads`, { method: "POST", headers, body: JSON.stringify({ data }) });
  if (response.status !== 201) throw new Error(`seeding leads failed: HTTP ${response.status} ${await response.text()}`);
}
process.stdout.write(
  `${JSON.stringify({
    url: emulator.url,
    accessToken: token.access_token,
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    leads: emulator.state.count("Leads"),
  })}\n`,
);
process.on("SIGTERM", () => void emulator.close().then(() => process.exit(0)));

/**
 * The profiled workload (run under `node --cpu-prof`): one client, `--calls` GETs of a 200-record
 * page at `--concurrency`, against a server at `--url`. Prints {"done": n}.
 */
import { drive, makeCalls, type ClientName } from "./throughput.js";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : args[index + 1]!;
};
const concurrency = Number(arg("concurrency", "1"));
const { calls, close } = makeCalls({ name: "profile", url: arg("url", ""), accessToken: "1000.profile.token" }, concurrency);
const call = calls[arg("client", "zcrm-typed") as ClientName];
await drive(call, 50, concurrency);
const n = Number(arg("calls", "400"));
await drive(call, n, concurrency);
await close();
process.stdout.write(JSON.stringify({ done: n }) + "\n");

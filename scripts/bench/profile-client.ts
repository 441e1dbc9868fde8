/**
 * The profiled workload: one client, `--calls` GETs of a page (`--records`, default 200) at `--concurrency`,
 * against a server at `--url`. The V8 CPU profiler (the one behind `--cpu-prof`, driven through
 * node:inspector so it covers only the measured loop, not start-up and module loading) writes a
 * `.cpuprofile` to `--out`. Prints {"done": n}.
 */
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { drive, makeCalls, type ClientName } from "./throughput.js";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : args[index + 1]!;
};
const concurrency = Number(arg("concurrency", "1"));
const { calls, close } = makeCalls(
  { name: "profile", url: arg("url", ""), accessToken: "1000.profile.token", records: Number(arg("records", "200")) },
  concurrency,
);
const call = calls[arg("client", "zcrm-typed") as ClientName];
await drive(call, 60, concurrency); // warm-up: JIT, connections, lazy imports
const n = Number(arg("calls", "400"));
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 200 });
await session.post("Profiler.start");
await drive(call, n, concurrency);
const { profile } = await session.post("Profiler.stop");
session.disconnect();
await writeFile(arg("out", "client.cpuprofile"), JSON.stringify(profile));
await close();
process.stdout.write(`${JSON.stringify({ done: n })}\n`);

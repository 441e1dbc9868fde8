/**
 * CPU profile of a client under load: runs profile-client.ts (V8's CPU profiler, the one behind
 * `--cpu-prof`, scoped to the measured loop) and attributes the samples (self time, as CPU µs per
 * request) to places: each src/ file, openapi-fetch, undici (Node's fetch), GC, node internals.
 * Also reports the inclusive time of the transport's hot functions. Profiling raw fetch the same
 * way gives the baseline to diff against.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { benchFile, runChild } from "./child.js";
import { round } from "./stats.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  client: string;
  concurrency: number;
  calls: number;
  /** Non-idle CPU (self time) per request, µs. */
  busyUsPerCall: number;
  /** Share of non-idle CPU (self time) per place, descending; `usPerCall` = µs per request. */
  selfByPlace: Array<{ place: string; pct: number; ms: number; usPerCall: number }>;
  /** Share of non-idle CPU spent inside (inclusive, synchronous frames) these functions. */
  inclusive: Array<{ fn: string; pct: number; ms: number }>;
  topFunctions: Array<{ fn: string; pct: number }>;
}

function placeOf(frame: ProfileNode["callFrame"]): string {
  const url = frame.url;
  if (frame.functionName === "(idle)" || frame.functionName === "(program)") return frame.functionName;
  if (frame.functionName === "(garbage collector)") return "GC";
  if (frame.functionName === "parse" && url === "") return "JSON.parse";
  const src = /\/src\/(.+?\.ts)/.exec(url);
  if (src) return `src/${src[1]}`;
  const mod = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (mod) return mod[1]!;
  if (url.startsWith("node:internal/deps/undici")) return "undici (Node fetch)";
  if (url.startsWith("node:")) return `node internals (${url.split("/").slice(0, 3).join("/")})`;
  if (url === "") return `native (${frame.functionName || "anonymous"})`;
  return path.basename(url);
}

export function summarise(profile: CpuProfile, meta: { client: string; concurrency: number; calls: number }, hot: readonly string[]): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  let busy = 0;
  const places = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, ms] of self) {
    const node = byId.get(id)!;
    const place = placeOf(node.callFrame);
    if (place === "(idle)") continue;
    busy += ms;
    places.set(place, (places.get(place) ?? 0) + ms);
    const fn = `${node.callFrame.functionName || "(anonymous)"} ${placeOf(node.callFrame)}:${node.callFrame.lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + ms);
  }
  // Inclusive time of named functions: the self time of every node below one of their frames.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, ms] of self) {
    if (placeOf(byId.get(id)!.callFrame) === "(idle)") continue;
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = byId.get(cur)!.callFrame.functionName;
      if (hot.includes(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
      }
    }
  }
  const pct = (ms: number) => round((100 * ms) / busy, 1);
  const perCall = (ms: number) => round((ms * 1000) / meta.calls);
  return {
    ...meta,
    busyUsPerCall: perCall(busy),
    selfByPlace: [...places]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 16)
      .map(([place, ms]) => ({ place, pct: pct(ms), ms: round(ms), usPerCall: perCall(ms) })),
    inclusive: hot.map((fn) => ({ fn, pct: pct(inclusive.get(fn) ?? 0), ms: round(inclusive.get(fn) ?? 0) })),
    topFunctions: [...fns]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([fn, ms]) => ({ fn, pct: pct(ms) })),
  };
}

export const HOT_FUNCTIONS = [
  "zohoFetch",
  "normaliseResponse",
  "authorize",
  "rewrite",
  "onRequest",
  "coreFetch",
  "getResponseData",
  "parse",
  "text",
  "json",
  "arrayBuffer",
  "fetch",
  "any",
  "timeout",
  "Request",
  "Response",
  "Headers",
  "add",
] as const;

export async function profileClient(options: { url: string; client: string; concurrency: number; calls: number; records?: number }): Promise<ProfileSummary> {
  const dir = await mkdtemp(path.join(tmpdir(), "zcrm-bench-prof-"));
  try {
    const out = path.join(dir, "client.cpuprofile");
    await runChild(benchFile("profile-client.ts"), {
      args: [
        "--url",
        options.url,
        "--client",
        options.client,
        "--concurrency",
        String(options.concurrency),
        "--calls",
        String(options.calls),
        "--records",
        String(options.records ?? 200),
        "--out",
        out,
      ],
    });
    const profile = JSON.parse(await readFile(out, "utf8")) as CpuProfile;
    return summarise(profile, { client: options.client, concurrency: options.concurrency, calls: options.calls }, HOT_FUNCTIONS);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface ProfileComparison {
  records: number;
  concurrency: number;
  calls: number;
  rounds: number;
  /** Median busy CPU µs per request (profiler-inflated), per client. */
  busyUsPerCall: Record<string, number>;
  /** Places where zcrm-typed spends more than raw fetch (median µs per request), largest first. */
  extraVsFetch: Array<{ place: string; us: number }>;
  /** Inclusive share of zcrm-typed's busy CPU in the transport's hot functions (last round). */
  inclusive: ProfileSummary["inclusive"];
  selfByPlace: ProfileSummary["selfByPlace"];
}

/** Profiles zcrm-typed and raw fetch in alternating rounds; medians per place cancel some noise. */
export async function compareProfiles(options: {
  url: string;
  records: number;
  concurrency: number;
  calls: number;
  rounds: number;
}): Promise<ProfileComparison> {
  const clients = ["zcrm-typed", "fetch"] as const;
  const runs: Record<string, ProfileSummary[]> = { "zcrm-typed": [], fetch: [] };
  for (let r = 0; r < options.rounds; r++) {
    for (const client of r % 2 === 0 ? clients : [...clients].reverse()) {
      runs[client]!.push(await profileClient({ url: options.url, client, concurrency: options.concurrency, calls: options.calls, records: options.records }));
    }
  }
  const med = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 0;
  };
  const placeUs = (client: string, place: string) => med(runs[client]!.map((s) => s.selfByPlace.find((p) => p.place === place)?.usPerCall ?? 0));
  const places = new Set(Object.values(runs).flatMap((list) => list.flatMap((s) => s.selfByPlace.map((p) => p.place))));
  const last = runs["zcrm-typed"]!.at(-1)!;
  return {
    records: options.records,
    concurrency: options.concurrency,
    calls: options.calls,
    rounds: options.rounds,
    busyUsPerCall: Object.fromEntries(clients.map((c) => [c, med(runs[c]!.map((s) => s.busyUsPerCall))])),
    extraVsFetch: [...places]
      .map((place) => ({ place, us: Math.round(placeUs("zcrm-typed", place) - placeUs("fetch", place)) }))
      .filter((x) => x.us > 0)
      .sort((a, b) => b.us - a.us)
      .slice(0, 8),
    inclusive: last.inclusive.filter((i) => i.pct >= 0.5),
    selfByPlace: last.selfByPlace,
  };
}

/**
 * Cold start: in a fresh `node` process, the time to import the package entry and to make the
 * first API call (static token, a loopback server). The entry is `dist/src/index.js` when built;
 * otherwise src/ bundled by esbuild (dependencies left external, so they load from node_modules as
 * they would from dist) and, for reference, src/ through tsx (which adds its TypeScript loader).
 * Each variant runs `runs` times; medians are reported, with a bare `node -e ""` for scale.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { median, round } from "./stats.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CACHE = path.join(ROOT, "node_modules", ".cache", "zcrm-bench");

export interface ColdStartResult {
  variant: string;
  entry: string;
  runs: number;
  /** Process start → entry imported (performance.now() in the child, which counts from process start). */
  importMs: number;
  /** Entry imported → first call answered (client creation included). */
  firstCallMs: number;
  /** Spawn → exit, measured by the parent. */
  wallMs: number;
}

const RUNNER = `
const entry = process.argv[2];
const url = process.argv[3];
const t0 = performance.now();
const sdk = await import(entry);
const t1 = performance.now();
const crm = sdk.createZohoCRM({ accessToken: "1000.cold.start", apiBaseUrl: url, tokenStore: new sdk.MemoryTokenStore() });
const { response } = await crm.GET("/crm/v2/{module}", { params: { path: { module: "Leads" } } });
if (response.status !== 200) throw new Error("first call failed: HTTP " + response.status);
const t2 = performance.now();
await crm.close();
process.stdout.write(JSON.stringify({ importMs: t1, firstCallMs: t2 - t1, startToRunner: t0 }) + "\\n");
`;

function once(nodeArgs: string[], args: string[]): Promise<{ importMs: number; firstCallMs: number; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, ...args], { stdio: ["ignore", "pipe", "pipe"], cwd: ROOT });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (err += d));
    child.on("exit", (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`cold start run failed (exit ${code}): ${err}`));
      const line = out.trim().split("\n").pop() ?? "{}";
      const parsed = JSON.parse(line === "" ? "{}" : line) as { importMs?: number; firstCallMs?: number };
      resolve({ importMs: parsed.importMs ?? 0, firstCallMs: parsed.firstCallMs ?? 0, wallMs });
    });
  });
}

async function bundleSrc(): Promise<string> {
  const { build } = await import("esbuild");
  const outdir = path.join(CACHE, "bundle");
  // splitting: lazily imported modules (the default SQLite store, TypeORM) stay lazy, as in dist/.
  await build({
    entryPoints: { index: path.join(ROOT, "src/index.ts") },
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outdir,
    outExtension: { ".js": ".mjs" },
    logLevel: "silent",
  });
  return path.join(outdir, "index.mjs");
}

export async function measureColdStart(url: string, runs = 5): Promise<ColdStartResult[]> {
  await mkdir(CACHE, { recursive: true });
  const runner = path.join(CACHE, "cold-start-runner.mjs");
  await writeFile(runner, RUNNER);
  const variants: Array<{ variant: string; entry: string; nodeArgs: string[] }> = [];
  const dist = path.join(ROOT, "dist/src/index.js");
  if (existsSync(dist)) variants.push({ variant: "dist/ (built)", entry: dist, nodeArgs: [] });
  else variants.push({ variant: "src/ bundled by esbuild (no dist/)", entry: await bundleSrc(), nodeArgs: [] });
  variants.push({ variant: "src/ via tsx", entry: path.join(ROOT, "src/index.ts"), nodeArgs: ["--import", "tsx"] });

  const results: ColdStartResult[] = [];
  const empty: number[] = [];
  const samples = new Map<string, Array<{ importMs: number; firstCallMs: number; wallMs: number }>>();
  // Interleave the variants run by run, so a noisy moment hits all of them alike.
  for (let r = 0; r < runs; r++) {
    empty.push((await once([], ["-e", ""])).wallMs);
    for (const v of variants) {
      const s = await once(v.nodeArgs, [runner, pathToFileURL(v.entry).href, url]);
      samples.set(v.variant, [...(samples.get(v.variant) ?? []), s]);
    }
  }
  results.push({ variant: 'node -e "" (reference)', entry: "-", runs, importMs: 0, firstCallMs: 0, wallMs: round(median(empty)) });
  for (const v of variants) {
    const s = samples.get(v.variant)!;
    results.push({
      variant: v.variant,
      entry: path.relative(ROOT, v.entry),
      runs,
      importMs: round(median(s.map((x) => x.importMs))),
      firstCallMs: round(median(s.map((x) => x.firstCallMs))),
      wallMs: round(median(s.map((x) => x.wallMs))),
    });
  }
  await rm(CACHE, { recursive: true, force: true });
  return results;
}

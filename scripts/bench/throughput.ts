/**
 * Throughput of `GET /crm/v2/{module}` (200 records per page), sequential and 16 concurrent, for
 * three clients measured in the same process against the same server:
 *   zcrm-typed   createZohoCRM with a static accessToken, retries on (the defaults)
 *   openapi-fetch  bare createClient<paths> (what zcrm-typed wraps)
 *   fetch        raw fetch + res.json()
 * Warm-up first, then interleaved rounds (the order rotates each round) and the median of rounds;
 * the ratio is the median of the per-round ratios to raw fetch, which cancels drift on a noisy host.
 */
import createClient from "openapi-fetch";
import type { paths } from "../../generated/crm-v2.js";
import { createZohoCRM } from "../../src/client.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";
import { median, rotate, round } from "./stats.js";

export type ClientName = "zcrm-typed" | "openapi-fetch" | "fetch";
export const CLIENTS: readonly ClientName[] = ["zcrm-typed", "openapi-fetch", "fetch"];

export interface Target {
  name: string;
  url: string;
  accessToken: string;
  /** Records each page holds (checked on every response). Default 200. */
  records?: number;
}

export interface ThroughputResult {
  server: string;
  mode: "sequential" | "concurrent-16";
  requestsPerRound: number;
  rounds: number;
  /** Median requests/s per client. */
  reqPerSec: Record<ClientName, number>;
  /** Median of per-round ratios to raw fetch (req/s). */
  ratioToFetch: Record<ClientName, number>;
  /** Median CPU µs per request, per client. */
  cpuUsPerReq: Record<ClientName, number>;
  /** Median of per-round ratios of raw fetch's CPU per request to the client's (1 = as cheap as fetch). */
  cpuRatioToFetch: Record<ClientName, number>;
  /** Every round's req/s, per client, in run order. */
  samples: Record<ClientName, number[]>;
}

type Call = () => Promise<number>;

export function makeCalls(target: Target, concurrency: number): { calls: Record<ClientName, Call>; close(): Promise<void> } {
  const authorization = `Zoho-oauthtoken ${target.accessToken}`;
  const crm = createZohoCRM({ accessToken: target.accessToken, apiBaseUrl: target.url, tokenStore: new MemoryTokenStore(), maxConcurrency: concurrency });
  const bare = createClient<paths>({ baseUrl: target.url, headers: { authorization }, querySerializer: { array: { style: "form", explode: false } } });
  const params = { path: { module: "Leads" }, query: { page: 1, per_page: 200 } } as const;
  const rawUrl = `${target.url}/crm/v2/Leads?page=1&per_page=200`;
  const count = (data: unknown, status: number): number => {
    const n = (data as { data?: unknown[] } | undefined)?.data?.length ?? 0;
    const expected = target.records ?? 200;
    if (status !== 200 || n !== expected) throw new Error(`${target.name}: expected ${expected} records with HTTP 200, got ${n} with HTTP ${status}`);
    return n;
  };
  return {
    calls: {
      "zcrm-typed": async () => {
        const { data, response } = await crm.GET("/crm/v2/{module}", { params });
        return count(data, response.status);
      },
      "openapi-fetch": async () => {
        const { data, response } = await bare.GET("/crm/v2/{module}", { params });
        return count(data, response.status);
      },
      fetch: async () => {
        const response = await fetch(rawUrl, { headers: { authorization } });
        return count(await response.json(), response.status);
      },
    },
    close: () => crm.close(),
  };
}

export interface Sample {
  reqPerSec: number;
  /** CPU time (user + system) of this process per request, in µs: steadier than req/s on a busy host. */
  cpuUsPerReq: number;
}

/** `total` calls by `concurrency` workers. */
export async function drive(call: Call, total: number, concurrency: number): Promise<Sample> {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        await call();
      }
    }),
  );
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { reqPerSec: (total * 1000) / elapsed, cpuUsPerReq: (used.user + used.system) / total };
}

export async function measureThroughput(
  target: Target,
  options: { concurrency: number; requests: number; rounds: number; warmup: number },
): Promise<ThroughputResult> {
  const { calls, close } = makeCalls(target, options.concurrency);
  try {
    for (const name of CLIENTS) await drive(calls[name], options.warmup, options.concurrency);
    const empty = () => ({ "zcrm-typed": [], "openapi-fetch": [], fetch: [] }) as Record<ClientName, number[]>;
    const samples = empty();
    const ratios = empty();
    const cpu = empty();
    const cpuRatios = empty();
    for (let r = 0; r < options.rounds; r++) {
      const round: Partial<Record<ClientName, Sample>> = {};
      for (const name of rotate(CLIENTS, r)) round[name] = await drive(calls[name], options.requests, options.concurrency);
      for (const name of CLIENTS) {
        samples[name].push(round[name]!.reqPerSec);
        ratios[name].push(round[name]!.reqPerSec / round.fetch!.reqPerSec);
        cpu[name].push(round[name]!.cpuUsPerReq);
        cpuRatios[name].push(round.fetch!.cpuUsPerReq / round[name]!.cpuUsPerReq);
      }
    }
    const pick = (f: (name: ClientName) => number) => Object.fromEntries(CLIENTS.map((n) => [n, f(n)])) as Record<ClientName, number>;
    return {
      server: target.name,
      mode: options.concurrency === 1 ? "sequential" : "concurrent-16",
      requestsPerRound: options.requests,
      rounds: options.rounds,
      reqPerSec: pick((n) => round(median(samples[n]))),
      ratioToFetch: pick((n) => round(median(ratios[n]), 3)),
      cpuUsPerReq: pick((n) => round(median(cpu[n]))),
      cpuRatioToFetch: pick((n) => round(median(cpuRatios[n]), 3)),
      samples: Object.fromEntries(CLIENTS.map((n) => [n, samples[n].map((s) => round(s))])) as Record<ClientName, number[]>,
    };
  } finally {
    await close();
  }
}

/**
 * Soak: 10 000 calls (4 lanes × 2 500, in parallel) by two users (`withUser`) against the emulator,
 * with random faults from a seeded RNG (every CRM fault kind, plus access-token expiry at Zoho).
 * Asserts: no unhandled rejection; every outcome is a success, a handled `{error}` or a typed
 * ZohoError; every CurrentUser answer belongs to the user the call was made for; no write applied
 * twice, none lost when reported ok; refreshes bounded; heap after GC stable vs after warm-up.
 */
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createZohoCRM, type ZohoCRMClient } from "../../src/client.js";
import { FAULT_KINDS, startEmulator, type Emulator, type FaultKind } from "../../src/emulator/index.js";
import { ZohoError } from "../../src/errors.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";
import { DEFAULT_USER_EMAIL, describeOutcome, lead, outcomeOf, type Outcome } from "./helpers.js";

const LANES = 4;
const CALLS_PER_LANE = 2500;
const WARMUP_PER_LANE = 250;
const FAULT_RATE = 0.04;
const EXPIRY_RATE = 0.0004; // ~4 access-token expiries at "Zoho" over the run
const USERS = [DEFAULT_USER_EMAIL, "soak.second@zylker.example"] as const;

/** mulberry32: a small seeded PRNG, so a failing run can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function exposeGc(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

let emulator: Emulator;
let crm: ZohoCRMClient;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  emulator = await startEmulator({ port: 0, seed: "soak", validate: false, log: () => {} });
  const store = new MemoryTokenStore();
  crm = createZohoCRM({
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    accountsUrl: emulator.url,
    tokenStore: store,
    retry: { limit: 3, baseDelayMs: 1, maxDelayMs: 20 },
    maxConcurrency: 8, // per-attempt timeout: the default (a busy machine must not turn calls into TIMEOUTs)
  });
  for (const user of USERS) await crm.auth.exchangeGrantToken(emulator.mintGrantCode({ user }), { user });
});

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await crm?.close();
  await emulator?.close();
});

interface Tally {
  ok: number;
  handled: number;
  thrown: Record<string, number>;
  wrongUser: string[];
  unexpected: string[];
  writes: Map<string, Outcome["kind"] | "thrown-invalid">;
}

it(`${LANES * CALLS_PER_LANE} calls, two users, random faults: typed outcomes, right user, no duplicate writes, stable heap`, {
  timeout: 300_000,
}, async () => {
  const gc = exposeGc();
  const random = rng(0x5eed);
  const tally: Tally = { ok: 0, handled: 0, thrown: {}, wrongUser: [], unexpected: [], writes: new Map() };
  let expiries = 0;

  const one = async (lane: number, i: number): Promise<void> => {
    const user = USERS[random() < 0.5 ? 0 : 1]!;
    if (random() < FAULT_RATE) emulator.faults.failNext({ kind: FAULT_KINDS[Math.floor(random() * FAULT_KINDS.length)] as FaultKind, retryAfterSec: 1 });
    if (random() < EXPIRY_RATE) {
      expiries += 1;
      emulator.state.expireAccessTokens();
    }
    const roll = random();
    const tag = `Soak-${lane}-${i}`;
    const outcome = await crm.withUser(user, () =>
      outcomeOf(() =>
        roll < 0.8
          ? crm.GET("/crm/v2/users", { params: { query: { type: "CurrentUser" } } })
          : roll < 0.9
            ? crm.GET("/crm/v2/{module}", { params: { path: { module: "Leads" }, query: { per_page: 10 } } })
            : crm.POST("/crm/v2/{module}", { params: { path: { module: "Leads" } }, body: { data: [lead(tag)] } as never }),
      ),
    );
    if (outcome.kind === "ok") {
      tally.ok += 1;
      if (roll < 0.8) {
        const email = (outcome.data as { users?: Array<{ email?: string }> }).users?.[0]?.email;
        if (email !== user) tally.wrongUser.push(`${user} got ${email}`);
      }
    } else if (outcome.kind === "error") {
      tally.handled += 1;
      if (typeof (outcome.error as { code?: unknown })?.code !== "string") tally.unexpected.push(describeOutcome(outcome));
    } else {
      const error = outcome.error;
      if (!(error instanceof ZohoError)) tally.unexpected.push(describeOutcome(outcome));
      else tally.thrown[`${error.name}:${error.code}`] = (tally.thrown[`${error.name}:${error.code}`] ?? 0) + 1;
    }
    if (roll >= 0.9) tally.writes.set(tag, outcome.kind);
  };

  const lanes = async (from: number, to: number) =>
    Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        for (let i = from; i < to; i++) await one(lane, i);
      }),
    );

  await lanes(0, WARMUP_PER_LANE);
  gc();
  const heapAfterWarmup = process.memoryUsage().heapUsed;
  const refreshesBefore = emulator.stats.refreshes;
  await lanes(WARMUP_PER_LANE, CALLS_PER_LANE);
  emulator.faults.clear();
  gc();
  const heapAtEnd = process.memoryUsage().heapUsed;

  const total = tally.ok + tally.handled + Object.values(tally.thrown).reduce((a, b) => a + b, 0);
  expect(total).toBe(LANES * CALLS_PER_LANE);
  expect(tally.unexpected).toEqual([]);
  expect(tally.wrongUser).toEqual([]);
  expect(unhandled).toEqual([]);
  expect(tally.ok / total).toBeGreaterThan(0.9);

  // Writes: reported ok → exactly one copy; a handled {error} → none; thrown (ambiguous) → at most one.
  const copies = new Map<string, number>();
  for (const record of emulator.state.records("Leads")) {
    const name = String(record.Last_Name);
    if (name.startsWith("Soak-")) copies.set(name, (copies.get(name) ?? 0) + 1);
  }
  const problems: string[] = [];
  for (const [tag, kind] of tally.writes) {
    const n = copies.get(tag) ?? 0;
    if ((kind === "ok" && n !== 1) || (kind === "error" && n !== 0) || n > 1) problems.push(`${tag}: ${kind}, ${n} copies`);
  }
  expect(problems).toEqual([]);
  expect([...copies.keys()].filter((tag) => !tally.writes.has(tag))).toEqual([]);

  // One refresh per user per expiry at most (single-flight + "refreshed since"), never a storm.
  expect(emulator.stats.refreshes - refreshesBefore).toBeLessThanOrEqual(USERS.length * (expiries + 1));
  expect(emulator.stats.accessDenied).toBe(0);

  const growthMb = (heapAtEnd - heapAfterWarmup) / 1024 / 1024;
  console.info(
    `[soak] ${total} calls: ok ${tally.ok}, {error} ${tally.handled}, thrown ${JSON.stringify(tally.thrown)}; ` +
      `writes ${tally.writes.size}; expiries ${expiries}, refreshes ${emulator.stats.refreshes - refreshesBefore}; faults ${emulator.stats.faultsInjected}; heap ${growthMb.toFixed(1)} MB vs warm-up`,
  );
  // Generous: the emulator in this process keeps every record written (~1 000) and its counters.
  expect(growthMb).toBeLessThan(40);
});

/**
 * Fault matrix: every fault the emulator can inject (and the Accounts failures), each against a
 * read (GET /crm/v2/Leads) and a write (create one Lead), through the typed client with retries
 * on. Each row asserts the outcome (success after retry, a handled `{error}` with its code, or a
 * specific typed error) and, for writes, the emulator's records prove nothing was written twice
 * or lost: a write the client could not confirm is reported as "may have been applied".
 * Every row gets its own grant (own tokens and refresh budget) so rows cannot disturb each other.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ZohoCRMClient } from "../../src/client.js";
import { startEmulator, type Emulator, type FaultKind, type TokenFaultKind } from "../../src/emulator/index.js";
import { ZohoApiError, ZohoAuthError, ZohoNetworkError, type ZohoError } from "../../src/errors.js";
import { waitUntil } from "../helpers/wait.js";
import { describeOutcome, emulatorClient, expireStored, freshClient, lead, leadsTagged, outcomeOf, type Outcome } from "./helpers.js";

type Op = "GET" | "create";

type Expect =
  | { outcome: "ok" }
  | { outcome: "error"; status: number; code: string }
  | { outcome: "throw"; cls: abstract new (...args: never[]) => ZohoError; code: string; message?: RegExp; status?: number; reauthRequired?: boolean };

interface Row {
  name: string;
  /** Client options beyond the defaults of the matrix. */
  client?: { timeoutMs?: number };
  /** Start from an expired stored access token (a client that has not cached a valid one). */
  expiredToken?: boolean;
  /** Set up the fault (after the client has its tokens). */
  arrange: (ctx: { emulator: Emulator; crm: ZohoCRMClient; store: Awaited<ReturnType<typeof freshClient>>["store"] }) => Promise<void> | void;
  /** Runs once the call settled (e.g. lets held requests through). */
  after?: (emulator: Emulator) => void;
  expect: Record<Op, Expect>;
  /** How many copies of the written record must exist afterwards (0 = not applied, 1 = exactly once). */
  written: 0 | 1;
  /** The refresh token is declared dead: calls fail fast (no Accounts call) until a new grant is exchanged. */
  needsNewGrant?: boolean;
  /** CRM calls the emulator must have received, per op (proves retries and non-replays). */
  apiCalls?: Partial<Record<Op, number>>;
}

const MAYBE_APPLIED = /may or may not have been applied/;
/** Only held requests time out; the others must not, however busy the machine. */
const SLOW_TIMEOUT_MS = 1500;
let releaseHeld: () => void = () => {};
const failNext =
  (kind: FaultKind, extra: { count?: number; retryAfterSec?: number } = {}) =>
  ({ emulator }: { emulator: Emulator }) =>
    emulator.faults.failNext({ kind, ...extra });
/** The stored access token is expired (so the call must refresh first) and the token endpoint fails. */
const tokenFault = (kind: TokenFaultKind): Pick<Row, "expiredToken" | "arrange"> => ({
  expiredToken: true,
  arrange: ({ emulator }) => emulator.faults.failNextToken({ kind }),
});

const ROWS: Row[] = [
  {
    name: "500",
    arrange: failNext("500"),
    expect: { GET: { outcome: "ok" }, create: { outcome: "error", status: 500, code: "INTERNAL_ERROR" } },
    written: 0,
    apiCalls: { GET: 2, create: 1 },
  },
  {
    name: "500 on every attempt",
    arrange: failNext("500", { count: 3 }),
    expect: { GET: { outcome: "error", status: 500, code: "INTERNAL_ERROR" }, create: { outcome: "error", status: 500, code: "INTERNAL_ERROR" } },
    written: 0,
    apiCalls: { GET: 3, create: 1 },
  },
  {
    name: "503",
    arrange: failNext("503"),
    expect: { GET: { outcome: "ok" }, create: { outcome: "error", status: 503, code: "INTERNAL_ERROR" } },
    written: 0,
    apiCalls: { GET: 2, create: 1 },
  },
  {
    name: "429 without Retry-After",
    arrange: failNext("429"),
    expect: { GET: { outcome: "ok" }, create: { outcome: "ok" } },
    written: 1,
    apiCalls: { GET: 2, create: 2 },
  },
  {
    name: "429 with Retry-After",
    arrange: failNext("429-retry-after", { retryAfterSec: 1 }),
    expect: { GET: { outcome: "ok" }, create: { outcome: "ok" } },
    written: 1,
    apiCalls: { GET: 2, create: 2 },
  },
  {
    name: "429 on every attempt",
    arrange: failNext("429", { count: 3 }),
    expect: { GET: { outcome: "error", status: 429, code: "TOO_MANY_REQUESTS" }, create: { outcome: "error", status: 429, code: "TOO_MANY_REQUESTS" } },
    written: 0,
    apiCalls: { GET: 3, create: 3 },
  },
  {
    name: "socket reset before processing",
    arrange: failNext("reset-before"),
    expect: { GET: { outcome: "ok" }, create: { outcome: "throw", cls: ZohoNetworkError, code: "UND_ERR_SOCKET", message: MAYBE_APPLIED } },
    written: 0,
    apiCalls: { GET: 2, create: 1 },
  },
  {
    name: "socket reset after processing",
    arrange: failNext("reset-after"),
    expect: { GET: { outcome: "ok" }, create: { outcome: "throw", cls: ZohoNetworkError, code: "UND_ERR_SOCKET", message: MAYBE_APPLIED } },
    written: 1,
    apiCalls: { GET: 2, create: 1 },
  },
  {
    name: "HTML error page (502)",
    arrange: failNext("html"),
    expect: { GET: { outcome: "ok" }, create: { outcome: "error", status: 502, code: "HTTP_502" } },
    written: 0,
    apiCalls: { GET: 2, create: 1 },
  },
  {
    name: "truncated JSON",
    arrange: failNext("truncated-json"),
    expect: {
      GET: { outcome: "throw", cls: ZohoApiError, code: "INVALID_RESPONSE", status: 200 },
      create: { outcome: "throw", cls: ZohoApiError, code: "INVALID_RESPONSE", status: 201 },
    },
    written: 1,
    apiCalls: { GET: 1, create: 1 },
  },
  {
    // The first attempt is held by the emulator until the call settled, so it outlasts any timeout.
    name: "first attempt outlasts timeoutMs",
    client: { timeoutMs: SLOW_TIMEOUT_MS },
    arrange: ({ emulator }) => {
      releaseHeld = emulator.faults.hold({ count: 1 });
    },
    after: () => releaseHeld(),
    expect: { GET: { outcome: "ok" }, create: { outcome: "throw", cls: ZohoNetworkError, code: "TIMEOUT", message: MAYBE_APPLIED } },
    written: 1, // the emulator finished the write after the client gave up: reported, not replayed
    apiCalls: { GET: 2, create: 1 },
  },
  {
    name: "every attempt outlasts timeoutMs",
    client: { timeoutMs: SLOW_TIMEOUT_MS },
    arrange: ({ emulator }) => {
      releaseHeld = emulator.faults.hold();
    },
    after: () => releaseHeld(),
    expect: {
      GET: { outcome: "throw", cls: ZohoNetworkError, code: "TIMEOUT", message: new RegExp(`timed out after ${SLOW_TIMEOUT_MS} ms after 3 attempts`) },
      create: { outcome: "throw", cls: ZohoNetworkError, code: "TIMEOUT", message: MAYBE_APPLIED },
    },
    written: 1,
    apiCalls: { GET: 3, create: 1 },
  },
  {
    name: "token endpoint 200 {error: invalid_code}",
    ...tokenFault("invalid_code"),
    needsNewGrant: true,
    expect: {
      GET: { outcome: "throw", cls: ZohoAuthError, code: "invalid_code", reauthRequired: true },
      create: { outcome: "throw", cls: ZohoAuthError, code: "invalid_code", reauthRequired: true },
    },
    written: 0,
    apiCalls: { GET: 0, create: 0 },
  },
  {
    name: "token endpoint 200 {error: Access Denied} (throttled)",
    ...tokenFault("access_denied"),
    expect: {
      GET: { outcome: "throw", cls: ZohoAuthError, code: "access_denied", reauthRequired: false },
      create: { outcome: "throw", cls: ZohoAuthError, code: "access_denied", reauthRequired: false },
    },
    written: 0,
    apiCalls: { GET: 0, create: 0 },
  },
  {
    name: "token endpoint HTTP 500 (HTML)",
    ...tokenFault("500"),
    expect: {
      GET: { outcome: "throw", cls: ZohoAuthError, code: "INVALID_TOKEN_RESPONSE", status: 500 },
      create: { outcome: "throw", cls: ZohoAuthError, code: "INVALID_TOKEN_RESPONSE", status: 500 },
    },
    written: 0,
    apiCalls: { GET: 0, create: 0 },
  },
  {
    name: "401 INVALID_TOKEN (expired at Zoho): refresh + replay once",
    arrange: ({ emulator }) => emulator.state.expireAccessTokens(),
    expect: { GET: { outcome: "ok" }, create: { outcome: "ok" } },
    written: 1,
    apiCalls: { GET: 2, create: 2 },
  },
];

let emulator: Emulator;
const logs: string[] = [];
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: "reliability-matrix", log: (line) => void logs.push(line) });
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(() => {
  emulator.faults.clear();
});

let serial = 0;
const CASES = ROWS.flatMap((row) => (["GET", "create"] as const).map((op) => ({ row, op, label: `${row.name} × ${op}` })));

describe("fault matrix (emulator)", () => {
  it.each(CASES)("$label", async ({ row, op }) => {
    let { crm, store } = await freshClient(emulator, row.client ?? {});
    if (row.expiredToken) {
      await crm.close();
      await expireStored(store);
      crm = emulatorClient(emulator, store, row.client ?? {});
    }
    const tag = `Matrix-${++serial}-${op}`;
    const authBefore = { refreshes: 0 };
    try {
      await row.arrange({ emulator, crm, store });
      emulator.resetStats();
      const before = emulator.state.count("Leads");
      const call =
        op === "GET"
          ? () => crm.GET("/crm/v2/{module}", { params: { path: { module: "Leads" }, query: { per_page: 5 } } })
          : () => crm.POST("/crm/v2/{module}", { params: { path: { module: "Leads" } }, body: { data: [lead(tag)] } as never });
      const outcome = await outcomeOf(call);
      row.after?.(emulator);
      // A request the client gave up on finishes in the emulator: counted, not timed.
      await waitUntil(() => emulator.stats.inFlight === 0, { what: "the emulator to finish abandoned requests" });
      assertOutcome(outcome, row.expect[op]);

      const expectedCalls = row.apiCalls?.[op];
      if (expectedCalls !== undefined) expect(emulator.stats.apiCalls, "CRM calls received").toBe(expectedCalls);
      if (op === "create") {
        expect(leadsTagged(emulator, tag), "copies of the written record").toBe(row.written);
        expect(emulator.state.count("Leads") - before).toBe(row.written);
        if (row.expect.create.outcome === "ok") {
          const data = (outcome as { data: { data: Array<{ code: string; details: { id: string } }> } }).data.data;
          expect(data[0]).toMatchObject({ code: "SUCCESS" });
          expect(emulator.state.record("Leads", data[0]!.details.id)).toMatchObject({ Last_Name: tag }); // the body arrived intact
        }
      } else {
        expect(emulator.state.count("Leads") - before).toBe(0);
      }
      authBefore.refreshes = emulator.stats.refreshes;
      emulator.faults.clear();
      const currentUser = () => outcomeOf(() => crm.GET("/crm/v2/users", { params: { query: { type: "CurrentUser" } } }));
      if (row.needsNewGrant) {
        // A dead refresh token: calls fail fast, without asking Accounts, until the user consents again.
        const tokenCalls = emulator.stats.refreshes + emulator.stats.tokenErrors;
        const blocked = await currentUser();
        assertOutcome(blocked, { outcome: "throw", cls: ZohoAuthError, code: "REAUTH_REQUIRED", reauthRequired: true });
        expect(emulator.stats.refreshes + emulator.stats.tokenErrors).toBe(tokenCalls);
        await crm.auth.exchangeGrantToken(emulator.mintGrantCode());
      }
      // After any fault, the same client recovers on the next call.
      const again = await currentUser();
      expect(again.kind, describeOutcome(again)).toBe("ok");
      expect(emulator.stats.refreshes - authBefore.refreshes).toBeLessThanOrEqual(1);
    } finally {
      emulator.faults.clear();
      await crm.close();
    }
  });

  it("the emulator answered every call within the spec and never crashed", () => {
    expect(emulator.stats.responseValidationFailures).toEqual([]);
    expect(logs.filter((l) => /crashed|request failed/.test(l))).toEqual([]);
  });
});

function assertOutcome(outcome: Outcome, expected: Expect): void {
  const seen = describeOutcome(outcome);
  expect(outcome.kind, seen).toBe(expected.outcome);
  if (expected.outcome === "error" && outcome.kind === "error") {
    expect(outcome.status, seen).toBe(expected.status);
    expect(outcome.error, seen).toMatchObject({ code: expected.code });
  }
  if (expected.outcome === "throw" && outcome.kind === "throw") {
    const error = outcome.error as ZohoError & { status?: number; reauthRequired?: boolean };
    expect(error, seen).toBeInstanceOf(expected.cls);
    expect(error.code, seen).toBe(expected.code);
    if (expected.message) expect(error.message).toMatch(expected.message);
    if (expected.status !== undefined) expect(error.status).toBe(expected.status);
    if (expected.reauthRequired !== undefined) expect(error.reauthRequired).toBe(expected.reauthRequired);
  }
}

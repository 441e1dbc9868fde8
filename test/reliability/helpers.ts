/**
 * Support for the reliability suites: an emulator with a fresh grant per client, outcome capture
 * (ok / handled `{error}` / thrown) and secret-leak checks on thrown errors.
 */
import { inspect } from "node:util";
import { expect } from "vitest";
import { createZohoCRM, type ZohoCRMClient } from "../../src/client.js";
import type { ZohoCRMOptions } from "../../src/config.js";
import { DEFAULT_USER_EMAIL, type Emulator } from "../../src/emulator/index.js";
import type { ZohoError } from "../../src/errors.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";

export { DEFAULT_USER_EMAIL };

/** Retries fast enough for tests; everything else is the default. */
export const FAST_RETRY = { limit: 2, baseDelayMs: 1, maxDelayMs: 50 } as const;

export function emulatorClient(emulator: Emulator, store: MemoryTokenStore, extra: Partial<ZohoCRMOptions> = {}): ZohoCRMClient {
  return createZohoCRM({
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    user: DEFAULT_USER_EMAIL,
    accountsUrl: emulator.url,
    tokenStore: store,
    retry: FAST_RETRY,
    ...extra,
  });
}

/** A client whose store holds tokens from a grant of its own (its own refresh token and budget). */
export async function freshClient(
  emulator: Emulator,
  extra: Partial<ZohoCRMOptions> = {},
  user = DEFAULT_USER_EMAIL,
): Promise<{ crm: ZohoCRMClient; store: MemoryTokenStore }> {
  const store = new MemoryTokenStore();
  const crm = emulatorClient(emulator, store, { user, ...extra });
  await crm.auth.exchangeGrantToken(emulator.mintGrantCode({ user }), { user });
  return { crm, store };
}

/** Makes the stored access token of `user` look expired, so the next call (of a new client) refreshes. */
export async function expireStored(store: MemoryTokenStore, user = DEFAULT_USER_EMAIL): Promise<void> {
  const record = await store.get(user);
  if (!record) throw new Error(`no tokens stored for ${user}`);
  await store.save({ ...record, expiresAt: Date.now() - 1000 });
}

export type Outcome = { kind: "ok"; status: number; data: unknown } | { kind: "error"; status: number; error: unknown } | { kind: "throw"; error: unknown };

/** Runs an openapi-fetch call and classifies what came back. */
export async function outcomeOf(call: () => Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<Outcome> {
  try {
    const { data, error, response } = await call();
    if (error !== undefined || !response.ok) return { kind: "error", status: response.status, error };
    return { kind: "ok", status: response.status, data };
  } catch (error) {
    return { kind: "throw", error };
  }
}

export function describeOutcome(o: Outcome): string {
  if (o.kind === "ok") return `ok HTTP ${o.status}`;
  if (o.kind === "error") return `{error} HTTP ${o.status} ${JSON.stringify(o.error)}`;
  const e = o.error as { name?: string; code?: string; message?: string };
  return `threw ${e?.name} ${e?.code}: ${e?.message}`;
}

/** Every rendering of a thrown value a user might log or send somewhere. */
export function renderings(error: unknown): string[] {
  const e = error as { stack?: unknown; cause?: unknown };
  return [
    String(error),
    JSON.stringify(error) ?? "",
    String(e?.stack ?? ""),
    inspect(error, { depth: 6 }),
    String((e?.cause as { message?: unknown })?.message ?? ""),
  ];
}

/** Asserts none of `secrets` appears in any rendering of `error`. */
export function expectNoSecrets(error: unknown, secrets: readonly string[]): void {
  const texts = renderings(error);
  for (const secret of secrets) {
    for (const text of texts) expect(text.includes(secret), `a secret leaked into: ${text.slice(0, 400)}`).toBe(false);
  }
}

/** Asserts a thrown value is a typed ZohoError of `cls` with `code`. */
export function expectTyped(error: unknown, cls: abstract new (...args: never[]) => ZohoError, code: string | RegExp): void {
  expect(error, `expected ${cls.name}, got ${inspect(error)}`).toBeInstanceOf(cls);
  const actual = (error as ZohoError).code;
  if (typeof code === "string") expect(actual).toBe(code);
  else expect(actual).toMatch(code);
  expect((error as Error).message.length).toBeGreaterThan(20);
}

/** A Leads record that passes the emulator's rules, tagged by its Last_Name. */
export function lead(tag: string): Record<string, unknown> {
  return { First_Name: "Rel", Last_Name: tag, Email: `${tag.toLowerCase().replace(/[^a-z0-9]+/g, ".")}@example.com`, Company: "Reliability Co" };
}

/** How many Leads carry this Last_Name (a write applied twice shows up as 2). */
export function leadsTagged(emulator: Emulator, tag: string): number {
  return emulator.state.records("Leads").filter((r) => r.Last_Name === tag).length;
}

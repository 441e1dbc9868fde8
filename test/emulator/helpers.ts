/**
 * Shared set-up for the emulator suites: an emulator on a random port, a typed client with a
 * memory token store whose grant is already exchanged, and raw HTTP for what the client cannot send.
 */
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { createZohoCRM, type ZohoCRMClient } from "../../src/client.js";
import type { ZohoCRMOptions } from "../../src/config.js";
import { DEFAULT_USER_EMAIL, startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/index.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";

export interface Harness {
  emulator: Emulator;
  crm: ZohoCRMClient;
  store: MemoryTokenStore;
  /** Lines the emulator logged (response validation failures, crashes). */
  logs: string[];
  /** The stored access token of the default user. */
  token(): Promise<string>;
  /** A raw request to the emulator; JSON bodies are serialised. */
  raw(
    method: string,
    path: string,
    init?: { token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; text: string; json: unknown; headers: Headers }>;
  close(): Promise<void>;
}

export function client(emulator: Emulator, store: MemoryTokenStore, extra: Partial<ZohoCRMOptions> = {}): ZohoCRMClient {
  return createZohoCRM({
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    redirectUri: "http://localhost/callback",
    user: DEFAULT_USER_EMAIL,
    accountsUrl: emulator.url,
    tokenStore: store,
    retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 50 },
    ...extra,
  });
}

export async function startHarness(options: EmulatorOptions = {}, clientOptions: Partial<ZohoCRMOptions> = {}, exchange = true): Promise<Harness> {
  const logs: string[] = [];
  const emulator = await startEmulator({ port: 0, clock: "manual", log: (line) => void logs.push(line), ...options });
  const store = new MemoryTokenStore();
  const crm = client(emulator, store, clientOptions);
  if (exchange) await crm.auth.exchangeGrantToken(emulator.mintGrantCode());
  const harness: Harness = {
    emulator,
    crm,
    store,
    logs,
    async token() {
      const record = await store.get(DEFAULT_USER_EMAIL);
      if (!record) throw new Error("no tokens stored");
      return record.accessToken;
    },
    async raw(method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      const token = init.token === undefined ? await harness.token() : init.token;
      if (token !== null) headers.authorization = `Zoho-oauthtoken ${token}`;
      let body: string | undefined = init.rawBody;
      if (init.body !== undefined) {
        body = JSON.stringify(init.body);
        headers["content-type"] = "application/json";
      }
      const response = await fetch(`${emulator.url}${path}`, { method, headers, body });
      const text = await response.text();
      let json: unknown;
      try {
        json = text === "" ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, text, json, headers: response.headers };
    },
    async close() {
      await crm.close();
      await emulator.close();
    },
  };
  return harness;
}

/** Leads that pass every rule of the Leads module. */
export function leads(count: number, tag = "t"): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => ({
    First_Name: "Test",
    Last_Name: `${tag}-${i + 1}`,
    Email: `${tag}.${i + 1}@example.com`,
    Company: `Co ${tag}`,
  }));
}

/**
 * One emulator + client for a whole test file: started before the first test, closed after the
 * last, and after each test the emulator must have produced only spec-valid responses.
 */
export function useSharedHarness(set: (harness: Harness) => void): void {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness();
    set(harness);
  });
  afterEach(() => {
    expect(harness!.emulator.stats.responseValidationFailures).toEqual([]);
    expect(harness!.emulator.stats.specMismatches).toEqual([]);
  });
  afterAll(async () => {
    await harness?.close();
  });
}

/**
 * `startEmulator()`: a local, stateful Zoho CRM v2 + Zoho Accounts server on node:http. Everything
 * (data, tokens, faults, counters) hangs off the returned instance; nothing is module-global.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { AccountsApi } from "./accounts-api.js";
import { accountsSpecMismatches, checkAccountsReply } from "./accounts-validation.js";
import { Clock } from "./clock.js";
import { DEFAULT_USER_EMAIL, EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET } from "./constants.js";
import { handleControl } from "./control-api.js";
import type { AreaStore } from "./area-store.js";
import { CrmApi, type IncomingCall } from "./crm-api.js";
import { isBulkWriteDownloadPath } from "./crm-routes/bulk-write-routes.js";
import { CRM_ROUTES } from "./crm-routes/index.js";
import { CrmState } from "./crm-state.js";
import type { CustomFieldInput } from "./custom-fields.js";
import { EmulatorState } from "./emulator-state.js";
import { beforeProcessing, FaultController } from "./faults.js";
import { readBody, resetSocket, writeReply, writeTruncated } from "./http-io.js";
import { IdGenerator } from "./id-generator.js";
import { createOperationLog } from "./operation-log.js";
import { buildModules } from "./module-metadata.js";
import { memoryPersistence, type Persistence } from "./persistence.js";
import { SeededRandom } from "./random.js";
import { generateRecords } from "./record-generator.js";
import { Router } from "./router.js";
import { DEFAULT_SCOPES } from "./scopes.js";
import { buildOrg, buildRoles, ensureUser, SEED_EPOCH_MS, seedRecords, seedUsers } from "./seed-data.js";
import type { SpecValidator } from "./spec-validator.js";
import { missingPackage, optionalPackageError } from "../optional-package.js";
import { createStats, resetStats, type EmulatorStats } from "./stats.js";
import { TokenRegistry } from "./token-registry.js";
import type { EmulatorOptions, Reply } from "./types.js";
import { errors } from "./zoho-errors.js";

export interface MintGrantOptions {
  /** Email of the consenting user (created if unknown). Default: the seeded admin. */
  user?: string;
  /** Scopes of the grant. Default: all CRM scopes plus AaaServer.profile.READ. */
  scopes?: string[];
}

export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:54321`: Accounts and CRM API share it. */
  readonly url: string;
  readonly accountsUrl: string;
  readonly apiBaseUrl: string;
  /** The registered OAuth client (the emulator's own, not a real secret). */
  readonly clientId: string;
  readonly clientSecret: string;
  /** A grant code, as the consent redirect would deliver it (single-use, expires after grantTtlSec). */
  mintGrantCode(options?: MintGrantOptions): string;
  readonly faults: FaultController;
  readonly state: EmulatorState;
  readonly stats: EmulatorStats;
  resetStats(): void;
  close(): Promise<void>;
}

/** Ids restart after the highest one in use (persisted state). */
function highestCounter(prefix: string, ids: Iterable<string>): number {
  let max = 0;
  for (const id of ids) if (id.startsWith(prefix)) max = Math.max(max, Number(id.slice(prefix.length)));
  return max + 1;
}

async function openPersistence(path: string | undefined): Promise<Persistence> {
  if (!path) return memoryPersistence();
  const { sqlitePersistence } = await import("./sqlite-persistence.js");
  return sqlitePersistence(path);
}

/** The snapshots of areas, clock and counters; only with a persistence file (memory mode has none). */
async function openAreaStore(path: string | undefined, state: CrmState, persistence: Persistence): Promise<AreaStore | undefined> {
  if (!path) return undefined;
  const [{ AreaStore }, { STATE_PARTS }] = await Promise.all([import("./area-store.js"), import("./crm-routes/codecs/index.js")]);
  return new AreaStore(state, persistence, STATE_PARTS);
}

/** Ajv (the spec validation) is optional: without it, say so, and how to run without validation. */
async function loadSpecValidator(): Promise<typeof SpecValidator> {
  try {
    return (await import("./spec-validator.js")).SpecValidator;
  } catch (error) {
    const missing = missingPackage(error);
    if (!missing) throw error;
    throw optionalPackageError({
      feature: "The emulator's spec validation (on by default)",
      packages: ["ajv", "ajv-formats"],
      missing,
      alternative: "start it with validate: false",
      keys: ["validate"],
    });
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? "127.0.0.1";
  for (const [key, min] of [
    ["generatedRecords", 0],
    ["bulkReadPageSize", 1],
  ] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < min)) throw new RangeError(`startEmulator: ${key} must be an integer >= ${min}`);
  }
  const clientId = options.clientId ?? EMULATOR_CLIENT_ID;
  const clientSecret = options.clientSecret ?? EMULATOR_CLIENT_SECRET;
  const log = options.log ?? ((message: string) => console.warn(message));
  // Ajv is loaded only when validating, so `validate: false` works without it installed.
  const validator: SpecValidator | undefined = options.validate === false ? undefined : (await loadSpecValidator()).load(options.specPath);
  const persistence = await openPersistence(options.persistPath);

  const clock = new Clock({ mode: options.clock ?? "real" });
  const random = new SeededRandom(options.seed ?? "zcrm");
  const prefix = String(random.int(1_000_000, 9_999_999));
  const metaIds = new IdGenerator(prefix, 2000);
  const modules = buildModules(metaIds);
  const roles = buildRoles(metaIds);
  const adminZuid = String(random.int(10_000_000, 99_999_999));
  const org = buildOrg(metaIds, random, { email: DEFAULT_USER_EMAIL, zuid: adminZuid });
  const ids = new IdGenerator(prefix, 225_001);
  const crm = new CrmState({
    clock,
    ids,
    modules,
    org,
    roles: [roles.ceo, roles.manager],
    profiles: [roles.administrator, roles.standard],
    persistence,
    epochMs: SEED_EPOCH_MS,
    ...(options.bulkReadPageSize !== undefined ? { bulkReadPageSize: options.bulkReadPageSize } : {}),
  });
  const tokens = new TokenRegistry({ clock, persistence, accessTokenTtlSec: options.accessTokenTtlSec ?? 3600, grantTtlSec: options.grantTtlSec ?? 120 });
  const areaStore = await openAreaStore(options.persistPath, crm, persistence);

  const saved = persistence.load();
  if (saved) {
    for (const user of saved.users) crm.restoreUser(user, Date.parse(user.Modified_Time));
    for (const record of saved.records) crm.restoreRecord(record);
    for (const entry of saved.deleted) crm.restoreDeleted(entry);
    tokens.restore(saved.tokens);
    ids.counter = highestCounter(prefix, [...saved.users.map((u) => u.id), ...saved.records.map((r) => r.id), ...saved.deleted.map((d) => d.id)]);
  } else {
    seedUsers(crm, roles, random, adminZuid);
    if (options.seedRecords !== false) seedRecords(crm, random);
    if (options.generatedRecords) {
      const count = options.generatedRecords;
      const modules = options.generatedModules;
      const unknown = modules?.find((m) => !crm.module(m));
      if (unknown !== undefined) throw new RangeError(`startEmulator: generatedModules names an unknown module ${JSON.stringify(unknown)}`);
      generateRecords(crm, { count, seed: options.seed ?? "zcrm", ...(modules ? { modules } : {}) });
    }
    persistence.saveKv("seeded", { seed: options.seed ?? "zcrm", at: clock.now() });
  }
  areaStore?.restore(saved?.areas);

  const stats = createStats();
  const faults = new FaultController();
  const router = new Router(CRM_ROUTES);
  const operationLog = createOperationLog(options.operationLog ?? process.env.ZCRM_EMULATOR_OPERATION_LOG, router);
  if (validator) {
    for (const route of CRM_ROUTES) {
      const op = validator.operation(route.operationId);
      if (!op) stats.specMismatches.push(`${route.method} ${route.path}: operation ${route.operationId} is not in the spec`);
      else if (op.method !== route.method || op.path !== route.path)
        stats.specMismatches.push(`${route.operationId}: route ${route.method} ${route.path}, spec ${op.method} ${op.path}`);
    }
    stats.specMismatches.push(...accountsSpecMismatches(validator));
    for (const message of stats.specMismatches) log(`zcrm emulator: ${message}`);
  }

  let baseUrl = "";
  const state = new EmulatorState(crm, tokens);
  const mintGrantCode = (grant: MintGrantOptions = {}): string => {
    const user = ensureUser(crm, grant.user ?? DEFAULT_USER_EMAIL);
    return tokens.mintGrant(user.email, grant.scopes ?? [...DEFAULT_SCOPES]);
  };
  const crmApi = new CrmApi({ router, validator, state: crm, tokens, faults, stats, log });
  const accounts = new AccountsApi({ baseUrl: () => baseUrl, clientId, clientSecret, redirectUri: options.redirectUri, tokens, state: crm, faults, stats });
  const control = {
    mintGrantCode,
    faults,
    stats,
    resetStats: () => resetStats(stats),
    advanceClock: (ms: number) => clock.advance(ms),
    expireAccessTokens: () => tokens.expireAccessTokens(),
    addField: (module: string, field: CustomFieldInput) => state.addField(module, field),
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const method = (req.method ?? "GET").toUpperCase();
      const call: IncomingCall = { method, url: new URL(req.url ?? "/", baseUrl || "http://127.0.0.1"), headers: req.headers, body: await readBody(req) };
      const path = call.url.pathname;
      if (path.startsWith("/emulator/")) {
        const reply = handleControl(call, control);
        areaStore?.flush();
        return writeReply(res, reply);
      }
      const fault = faults.take(method, path);
      if (fault) stats.faultsInjected += 1;
      let result: Reply | "reset";
      if (path.startsWith("/crm/") || isBulkWriteDownloadPath(path)) {
        result = await crmApi.handle(call, fault);
      } else {
        if (faults.latencyMs > 0) await sleep(faults.latencyMs);
        const before = beforeProcessing(fault);
        const answered = before.action === "process" ? accounts.handle(call) : undefined;
        if (answered) checkAccountsReply(validator, stats, log, method, path, answered);
        result = before.action === "reset" ? "reset" : before.action === "reply" ? before.reply : (answered ?? errors.invalidUrl());
      }
      // Written through before the client hears back: a crash after a reply loses nothing.
      areaStore?.flush();
      operationLog?.(call, result === "reset" || fault?.kind === "reset-after" ? "reset" : result.status);
      if (result === "reset" || fault?.kind === "reset-after") return resetSocket(res);
      if (fault?.kind === "truncated-json") return writeTruncated(res, result);
      writeReply(res, result);
    })().catch((error: unknown) => {
      log(`zcrm emulator: request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) writeReply(res, errors.internal());
      else res.destroy();
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    areaStore?.close();
    persistence.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  let closed: Promise<void> | undefined;
  return {
    url: baseUrl,
    accountsUrl: baseUrl,
    apiBaseUrl: baseUrl,
    clientId,
    clientSecret,
    mintGrantCode,
    faults,
    state,
    stats,
    resetStats: () => resetStats(stats),
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        clock.clearTimers();
        server.closeAllConnections();
        server.close(() => {
          areaStore?.close();
          persistence.close();
          resolve();
        });
      })),
  };
}

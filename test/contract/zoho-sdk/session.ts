/**
 * Zoho's SDK initialised against a fresh emulator: manual emulator clock, a grant code the SDK
 * exchanges itself (its own OAuth code, multipart form posts), tokens in memory, and the SDK's log
 * file and field-metadata files in a temp dir that is removed on close.
 *
 * The SDK keeps one global `Initializer`; there is one session per test file (its own process).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DEFAULT_USER_EMAIL, startEmulator, type Emulator } from "../../../src/emulator/index.js";
import { type ZohoValue, zohoModule } from "./load.js";
import { MemoryZohoTokenStore } from "./memory-token-store.js";

export interface ZohoSdkSession {
  emulator: Emulator;
  /** What the emulator logged (spec mismatches, crashes). */
  logs: string[];
  /** The SDK's token object (its OAuth state). */
  token: ZohoValue;
  store: MemoryZohoTokenStore;
  /** Temp dir holding the SDK's log and its per-user field-metadata JSON files. */
  dir: string;
  /**
   * Error answers (`operationId status code`, as in `stats.errorReplies`) a case provokes on purpose; the suite
   * checks after each area that the emulator gave exactly these, so an error the SDK swallowed still fails.
   */
  expectedErrors: string[];
  close(): Promise<void>;
}

const { InitializeBuilder } = zohoModule("routes/initialize_builder");
const { Initializer } = zohoModule("routes/initializer");
const { Environment } = zohoModule("routes/dc/environment");
const { OAuthBuilder } = zohoModule("models/authenticator/oauth_builder");
const { UserSignature } = zohoModule("routes/user_signature");
const { LogBuilder } = zohoModule("routes/logger/log_builder");
const { Levels } = zohoModule("routes/logger/logger");
const { SDKConfigBuilder } = zohoModule("routes/sdk_config_builder");

const REDIRECT_URI = "http://localhost/zoho-sdk/callback";

/** `InitializeBuilder.initialize()` does not await `Initializer.initialize()`: wait until it is set (a hang becomes a failure). */
async function initialized(): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await Initializer.getInitializer()) return;
    await sleep(10);
  }
  throw new Error("Zoho's SDK did not finish initialising");
}

export async function startZohoSdkSession(): Promise<ZohoSdkSession> {
  const logs: string[] = [];
  const emulator = await startEmulator({ port: 0, clock: "manual", redirectUri: REDIRECT_URI, log: (line) => void logs.push(line) });
  const dir = await mkdtemp(path.join(tmpdir(), "zcrm-zoho-sdk-"));
  const store = new MemoryZohoTokenStore();
  // The SDK's Environment(url, accountsUrl, fileUploadUrl, name): the emulator serves all three.
  const environment = new Environment(emulator.url, `${emulator.url}/oauth/v2/token`, emulator.url, "emulator");
  const token = new OAuthBuilder()
    .clientId(emulator.clientId)
    .clientSecret(emulator.clientSecret)
    .grantToken(emulator.mintGrantCode())
    .redirectURL(REDIRECT_URI)
    .build();
  const builder = new InitializeBuilder();
  // The builder's constructor looks for a previous initialisation asynchronously; let it finish first.
  await sleep(0);
  await builder
    .user(new UserSignature(DEFAULT_USER_EMAIL))
    .environment(environment)
    .token(token)
    .store(store)
    .SDKConfig(new SDKConfigBuilder().autoRefreshFields(false).pickListValidation(false).build())
    .resourcePath(dir)
    .logger(new LogBuilder().level(Levels.INFO).filePath(path.join(dir, "zoho-sdk.log")).build())
    .initialize();
  await initialized();
  return {
    emulator,
    logs,
    token,
    store,
    dir,
    expectedErrors: [],
    async close() {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

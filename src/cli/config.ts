/**
 * The CLI's configuration: flags > environment variables (`ZCRM_*`) > a JSON config file
 * (`--config` / `ZCRM_CONFIG`) whose keys are either ours (the camelCase client options) or the
 * Python SDK's (`client_id`, `currentUserEmail`, `token_persistence_path`, ...), which go through
 * `fromZcrmsdkConfig`. Problems are `ZohoConfigError`s (exit 2) that never quote a secret.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ZohoCRMOptions } from "../config.js";
import { ZohoConfigError } from "../errors.js";
import { FileTokenStore } from "../stores/file-token-store.js";
import { fromZcrmsdkConfig, type ZcrmsdkConfig } from "../zcrmsdk-config.js";
import type { DataCenter, Environment } from "../data-centres.js";
import { resolveSharedConcurrency, SHARED_FILE_KEYS, type CliSharedConcurrency, type SharedConcurrencyFlags } from "./shared-concurrency-config.js";

/** Connection settings a flag, a variable or a config key can give. */
export interface CliSettings {
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  user?: string;
  dataCenter?: string;
  environment?: string;
  accountsUrl?: string;
  apiBaseUrl?: string;
  apiVersion?: string;
  tokenFile?: string;
  timeoutMs?: number;
  /** Retries of idempotent calls; 0 turns them off. */
  retries?: number;
}

/** Global flags, as commander parses them. */
export interface GlobalFlags extends Omit<CliSettings, "timeoutMs" | "retries">, SharedConcurrencyFlags {
  config?: string;
  timeout?: string;
  retries?: string;
  verbose?: boolean;
}

/** Setting → environment variable. */
export const ENV_VARS: Readonly<Record<keyof CliSettings | "config", string>> = {
  clientId: "ZCRM_CLIENT_ID",
  clientSecret: "ZCRM_CLIENT_SECRET",
  redirectUri: "ZCRM_REDIRECT_URI",
  user: "ZCRM_USER",
  dataCenter: "ZCRM_DATA_CENTER",
  environment: "ZCRM_ENVIRONMENT",
  accountsUrl: "ZCRM_ACCOUNTS_URL",
  apiBaseUrl: "ZCRM_API_BASE_URL",
  apiVersion: "ZCRM_API_VERSION",
  tokenFile: "ZCRM_TOKEN_FILE",
  timeoutMs: "ZCRM_TIMEOUT_MS",
  retries: "ZCRM_RETRIES",
  config: "ZCRM_CONFIG",
};

/** Keys of our own config-file format (the client options that make sense in a file). */
const OWN_KEYS = new Set([
  "clientId",
  "clientSecret",
  "redirectUri",
  "user",
  "dataCenter",
  "environment",
  "accountsUrl",
  "apiBaseUrl",
  "apiVersion",
  "tokenFile",
  "timeoutMs",
  "maxConcurrency",
  "refreshSkewMs",
  "retry",
  "logFilePath",
  "logLevel",
  ...SHARED_FILE_KEYS,
]);

/** Keys only the Python SDK's dictionary has: one of them marks a file as zcrmsdk-style. */
const ZCRMSDK_KEYS = new Set([
  "client_id",
  "client_secret",
  "redirect_uri",
  "currentUserEmail",
  "token_persistence_path",
  "mysql_username",
  "mysql_password",
  "mysql_port",
  "mysql_host",
  "mysql_database",
  "persistence_handler_class",
  "persistence_handler_path",
  "applicationLogFilePath",
  "sandbox",
  "access_type",
  "accounts_url",
]);

export interface ResolvedCliConfig {
  options: ZohoCRMOptions;
  /** Where the setting of each key came from (for --verbose; never values). */
  sources: Record<string, "flag" | "env" | "file">;
  /** The token file in use, when tokens are kept in a file. */
  tokenFile: string | undefined;
  configFile: string | undefined;
  /** Secrets to keep out of any output. */
  secrets: string[];
  /** The cap shared through Redis (`--redis-url`), when configured. */
  sharedConcurrency: CliSharedConcurrency | undefined;
}

function nonEmpty(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

function parseTimeout(value: string, where: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1) {
    throw new ZohoConfigError(`${where}: the timeout must be a whole number of milliseconds >= 1 (got ${JSON.stringify(value)}).`, {
      code: "INVALID_OPTIONS",
      keys: ["timeoutMs"],
    });
  }
  return ms;
}

function parseRetries(value: string, where: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new ZohoConfigError(`${where}: retries must be a whole number >= 0 (got ${JSON.stringify(value)}).`, { code: "INVALID_OPTIONS", keys: ["retry"] });
  }
  return n;
}

async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new ZohoConfigError(`Cannot read the config file ${file}${code ? ` (${code})` : ""}: check --config / ZCRM_CONFIG.`, {
      code: "CONFIG_FILE_UNREADABLE",
      keys: ["config"],
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // JSON.parse's message quotes the text around the fault, which may hold a secret: give the position only.
    const position = /position (\d+)/.exec(String((error as Error).message))?.[1];
    throw new ZohoConfigError(`The config file ${file} is not valid JSON${position ? ` (error at character ${position})` : ""}.`, {
      code: "CONFIG_FILE_INVALID",
      keys: ["config"],
    });
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ZohoConfigError(`The config file ${file} must hold a JSON object of settings, e.g. {"clientId": "...", "user": "me@example.com"}.`, {
      code: "CONFIG_FILE_INVALID",
      keys: ["config"],
    });
  }
  return parsed as Record<string, unknown>;
}

/** Options from our own file format; relative `tokenFile`/`logFilePath` are relative to the file. */
function ownFileOptions(
  dict: Record<string, unknown>,
  file: string,
): { options: ZohoCRMOptions; tokenFile: string | undefined; shared: Record<string, unknown> } {
  const unknown = Object.keys(dict).filter((key) => !OWN_KEYS.has(key));
  if (unknown.length > 0) {
    throw new ZohoConfigError(
      `The config file ${file} has unknown keys: ${unknown.join(", ")}. Known keys: ${[...OWN_KEYS].join(", ")} (or the Python SDK's keys such as client_id, currentUserEmail).`,
      { code: "CONFIG_FILE_INVALID", keys: unknown },
    );
  }
  const dir = path.dirname(file);
  const { tokenFile, logFilePath, ...rest } = dict as Record<string, unknown> & { tokenFile?: unknown; logFilePath?: unknown };
  // The Redis settings are the CLI's (a URL, not a client): they are not client options.
  const shared: Record<string, unknown> = {};
  for (const key of SHARED_FILE_KEYS) {
    if (key in rest) shared[key] = rest[key];
    delete rest[key];
  }
  const options = { ...rest } as ZohoCRMOptions;
  if (logFilePath !== undefined) options.logFilePath = nonEmpty(logFilePath) ? path.resolve(dir, logFilePath) : (logFilePath as string);
  if (tokenFile !== undefined && !nonEmpty(tokenFile)) {
    throw new ZohoConfigError(`The config file ${file}: tokenFile must be a path.`, { code: "CONFIG_FILE_INVALID", keys: ["tokenFile"] });
  }
  return { options, tokenFile: nonEmpty(tokenFile) ? path.resolve(dir, tokenFile) : undefined, shared };
}

/** Merges flags, environment and config file (in that precedence) into client options. */
export async function resolveCliConfig(flags: GlobalFlags, env: NodeJS.ProcessEnv, cwd: string = process.cwd()): Promise<ResolvedCliConfig> {
  const sources: Record<string, "flag" | "env" | "file"> = {};
  const configValue = nonEmpty(flags.config) ? flags.config : nonEmpty(env[ENV_VARS.config]) ? env[ENV_VARS.config] : undefined;
  const configFile = configValue ? path.resolve(cwd, configValue) : undefined;

  // Flags and environment first: the file's handling depends on whether a token file was given.
  const layered: CliSettings = {};
  const fromEnv: CliSettings = {};
  for (const key of Object.keys(ENV_VARS) as Array<keyof typeof ENV_VARS>) {
    if (key === "config") continue;
    const value = env[ENV_VARS[key]];
    if (!nonEmpty(value)) continue;
    if (key === "timeoutMs") fromEnv.timeoutMs = parseTimeout(value, ENV_VARS.timeoutMs);
    else if (key === "retries") fromEnv.retries = parseRetries(value, ENV_VARS.retries);
    else fromEnv[key] = value;
  }
  const fromFlags: CliSettings = {};
  for (const key of [
    "clientId",
    "clientSecret",
    "redirectUri",
    "user",
    "dataCenter",
    "environment",
    "accountsUrl",
    "apiBaseUrl",
    "apiVersion",
    "tokenFile",
  ] as const) {
    const value = flags[key];
    if (value !== undefined) fromFlags[key] = value;
  }
  if (flags.timeout !== undefined) fromFlags.timeoutMs = parseTimeout(flags.timeout, "--timeout");
  if (flags.retries !== undefined) fromFlags.retries = parseRetries(flags.retries, "--retries");
  for (const [key, value] of Object.entries(fromEnv)) {
    (layered as Record<string, unknown>)[key] = value;
    sources[key] = "env";
  }
  for (const [key, value] of Object.entries(fromFlags)) {
    (layered as Record<string, unknown>)[key] = value;
    sources[key] = "flag";
  }
  for (const key of ["tokenFile"] as const) {
    if (layered[key] !== undefined && !nonEmpty(layered[key])) {
      throw new ZohoConfigError(`--token-file / ZCRM_TOKEN_FILE must be a file path.`, { code: "INVALID_OPTIONS", keys: [key] });
    }
  }
  const tokenFileOverride = layered.tokenFile ? path.resolve(cwd, layered.tokenFile) : undefined;

  let options: ZohoCRMOptions = {};
  let tokenFile = tokenFileOverride;
  let sharedFromFile: Record<string, unknown> = {};
  if (configFile) {
    const dict = await readConfigFile(configFile);
    const isZcrmsdk = Object.keys(dict).some((key) => ZCRMSDK_KEYS.has(key));
    if (isZcrmsdk) {
      const sdkDict: ZcrmsdkConfig = { ...dict };
      const hasPersistence = ["token_persistence_path", "persistence_handler_class", "persistence_handler_path", "mysql_username"].some((k) =>
        nonEmpty(dict[k]),
      );
      // A token file given by flag or variable replaces the dictionary's persistence altogether.
      if (tokenFileOverride && !hasPersistence) sdkDict.token_persistence_path = path.dirname(tokenFileOverride);
      options = fromZcrmsdkConfig(sdkDict, { cwd });
      if (!tokenFileOverride && options.tokenStore instanceof FileTokenStore) tokenFile = options.tokenStore.path;
    } else {
      const own = ownFileOptions(dict, configFile);
      options = own.options;
      tokenFile ??= own.tokenFile;
      sharedFromFile = own.shared;
    }
    for (const key of Object.keys(options)) sources[key] ??= "file";
  }

  const { tokenFile: _ignored, timeoutMs, retries, ...settings } = layered;
  options = { ...options, ...(settings as Partial<ZohoCRMOptions>) };
  if (settings.dataCenter !== undefined) options.dataCenter = settings.dataCenter as DataCenter;
  if (settings.environment !== undefined) options.environment = settings.environment as Environment;
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  if (retries !== undefined) options.retry = retries === 0 ? false : { ...(typeof options.retry === "object" ? options.retry : {}), limit: retries };
  if (tokenFile) {
    options.tokenStore = new FileTokenStore({ path: tokenFile });
    sources.tokenStore = tokenFileOverride ? (sources.tokenFile ?? "flag") : "file";
  }
  const shared = resolveSharedConcurrency(flags, env, sharedFromFile);
  Object.assign(sources, shared.sources);
  const secrets = [options.clientSecret, typeof options.accessToken === "string" ? options.accessToken : undefined, ...shared.secrets].filter(nonEmpty);
  return { options, sources, tokenFile, configFile, secrets, sharedConcurrency: shared.shared };
}

/**
 * `fromZcrmsdkConfig(dict)`: the Python SDK's (`zcrmsdk`) configuration dictionary, accepted as-is.
 * Persistence precedence is the Python SDK's: `token_persistence_path` (file) wins, then a custom
 * handler (`persistence_handler_path` + `persistence_handler_class`), then MySQL (the default, in
 * database `zohooauth`, table `oauthtokens`). Every missing mandatory key is reported in one error.
 */
import path from "node:path";
import { ZohoConfigError } from "./errors.js";
import type { ZohoCRMOptions } from "./config.js";
import { FileTokenStore } from "./stores/file-token-store.js";
import { LazyTokenStore } from "./stores/lazy-token-store.js";
import { loadCustomTokenStore } from "./stores/load-custom-store.js";

export interface ZcrmsdkConfig {
  client_id?: string;
  client_secret?: string;
  redirect_uri?: string;
  currentUserEmail?: string;
  token_persistence_path?: string;
  mysql_username?: string;
  mysql_password?: string;
  mysql_port?: string | number;
  mysql_host?: string;
  mysql_database?: string;
  persistence_handler_class?: string;
  persistence_handler_path?: string;
  applicationLogFilePath?: string;
  sandbox?: string | boolean;
  access_type?: string;
  accounts_url?: string;
  apiBaseUrl?: string;
  apiVersion?: string;
  [key: string]: unknown;
}

export type ZcrmsdkPersistence = "file" | "custom" | "mysql";

const present = (value: unknown): value is string | number | boolean => value !== undefined && value !== null && String(value).trim() !== "";

function withScheme(url: string): string {
  return /^[a-z]+:\/\//i.test(url) ? url : `https://${url}`;
}

function parseBoolean(key: string, value: unknown, problems: string[], keys: string[]): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (typeof value === "boolean") return value;
  const text = String(value).trim().toLowerCase();
  if (text === "true") return true;
  if (text === "false") return false;
  keys.push(key);
  problems.push(`${key}: must be true or false (got ${JSON.stringify(value)})`);
  return false;
}

/** Which persistence the dictionary selects, with the Python SDK's precedence. */
export function zcrmsdkPersistence(dict: ZcrmsdkConfig): ZcrmsdkPersistence {
  if (present(dict.token_persistence_path)) return "file";
  if (present(dict.persistence_handler_class) || present(dict.persistence_handler_path)) return "custom";
  return "mysql";
}

export function fromZcrmsdkConfig(dict: ZcrmsdkConfig, options: { cwd?: string } = {}): ZohoCRMOptions {
  if (dict === null || typeof dict !== "object" || Array.isArray(dict)) {
    throw new ZohoConfigError(
      "fromZcrmsdkConfig() needs the Python SDK's configuration dictionary (an object with client_id, client_secret, redirect_uri, ...).",
      {
        code: "INVALID_ZCRMSDK_CONFIG",
      },
    );
  }
  const problems: string[] = [];
  const keys: string[] = [];
  const missing = (key: string, why: string) => {
    keys.push(key);
    problems.push(`${key}: missing (${why})`);
  };
  for (const key of ["client_id", "client_secret", "redirect_uri"] as const) {
    if (!present(dict[key])) missing(key, "mandatory");
  }
  const persistence = zcrmsdkPersistence(dict);
  if (persistence === "custom") {
    if (!present(dict.persistence_handler_path)) missing("persistence_handler_path", "mandatory with persistence_handler_class");
    if (!present(dict.persistence_handler_class)) missing("persistence_handler_class", "mandatory with persistence_handler_path");
  }
  if (persistence === "mysql") {
    if (!present(dict.mysql_username)) missing("mysql_username", "mandatory for MySQL persistence; or set token_persistence_path for a file store");
    if (dict.mysql_password === undefined || dict.mysql_password === null)
      missing("mysql_password", "mandatory for MySQL persistence (may be an empty string)");
  }
  const port = present(dict.mysql_port) ? Number(dict.mysql_port) : 3306;
  if (persistence === "mysql" && (!Number.isInteger(port) || port <= 0 || port > 65535)) {
    keys.push("mysql_port");
    problems.push(`mysql_port: must be a port number (got ${JSON.stringify(dict.mysql_port)})`);
  }
  const sandbox = parseBoolean("sandbox", dict.sandbox, problems, keys);
  if (present(dict.access_type) && !["offline", "online"].includes(String(dict.access_type))) {
    keys.push("access_type");
    problems.push(`access_type: must be "offline" or "online" (got ${JSON.stringify(dict.access_type)})`);
  }
  if (present(dict.apiVersion) && !["v2", "v2.1"].includes(String(dict.apiVersion))) {
    keys.push("apiVersion");
    problems.push(`apiVersion: must be "v2" or "v2.1" (got ${JSON.stringify(dict.apiVersion)})`);
  }
  if (problems.length > 0) {
    throw new ZohoConfigError(`Invalid zcrmsdk configuration (${persistence} persistence):\n- ${problems.join("\n- ")}`, {
      code: "INVALID_ZCRMSDK_CONFIG",
      keys,
    });
  }

  const cwd = options.cwd ?? process.cwd();
  let tokenStore: ZohoCRMOptions["tokenStore"];
  if (persistence === "file") {
    tokenStore = new FileTokenStore({ directory: path.resolve(cwd, String(dict.token_persistence_path)) });
  } else if (persistence === "custom") {
    tokenStore = new LazyTokenStore(() =>
      loadCustomTokenStore({ modulePath: path.resolve(cwd, String(dict.persistence_handler_path)), exportName: String(dict.persistence_handler_class) }),
    );
  } else {
    tokenStore = new LazyTokenStore(async () => {
      const { TypeOrmTokenStore } = await import("./stores/typeorm-token-store.js");
      return new TypeOrmTokenStore({
        type: "mysql",
        host: present(dict.mysql_host) ? String(dict.mysql_host) : "localhost",
        port,
        username: String(dict.mysql_username),
        password: String(dict.mysql_password ?? ""),
        database: present(dict.mysql_database) ? String(dict.mysql_database) : "zohooauth",
      });
    });
  }

  const result: ZohoCRMOptions = {
    clientId: String(dict.client_id),
    clientSecret: String(dict.client_secret),
    redirectUri: String(dict.redirect_uri),
    tokenStore,
    environment: sandbox ? "sandbox" : "production",
    cwd,
  };
  if (present(dict.currentUserEmail)) result.user = String(dict.currentUserEmail);
  if (present(dict.accounts_url)) result.accountsUrl = withScheme(String(dict.accounts_url));
  if (present(dict.apiBaseUrl)) {
    // Python's apiBaseUrl is a host ("www.zohoapis.com"); in sandbox mode the SDK swaps in sandbox.
    const host = withScheme(String(dict.apiBaseUrl));
    result.apiBaseUrl = sandbox ? host.replace("://www.", "://sandbox.") : host;
  }
  if (present(dict.apiVersion)) result.apiVersion = String(dict.apiVersion) as "v2" | "v2.1";
  if (present(dict.applicationLogFilePath)) result.logFilePath = path.resolve(cwd, String(dict.applicationLogFilePath));
  return result;
}

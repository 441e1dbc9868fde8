/**
 * Which hosts may receive a token. A token goes to the configured Accounts and API origins, or to a
 * Zoho host over https: the data centres' API hosts (`www|sandbox|developer|content.zohoapis.<tld>`)
 * and Zoho's own download hosts (`*.zoho.<tld>`, e.g. a bulk-write result's `download_url`).
 * A token response's `api_domain` is trusted only when it is such an API host, or the configured
 * Accounts/API origin (a local emulator serves both).
 */
import type { ResolvedConfig } from "../config.js";

const TLDS = "(?:com|eu|in|com\\.au|jp|com\\.cn|ca|sa|uk)";
const ZOHO_API_HOST = new RegExp(`^(?:www|sandbox|developer|content)\\.zohoapis\\.${TLDS}$`, "i");
const ZOHO_HOST = new RegExp(`^(?:[a-z0-9-]+\\.)+(?:zoho\\.${TLDS}|zohoapis\\.${TLDS}|zohocloud\\.ca)$`, "i");

function originOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export class TokenHosts {
  readonly #configured: ReadonlySet<string>;

  constructor(config: Pick<ResolvedConfig, "accountsUrl" | "apiBaseUrl" | "defaultApiBaseUrl">) {
    this.#configured = new Set([config.accountsUrl, config.apiBaseUrl, config.defaultApiBaseUrl].map(originOf).filter((o): o is string => o !== undefined));
  }

  /** Whether a token response's `api_domain` may become the API host. */
  acceptsApiDomain(apiDomain: string): boolean {
    let url: URL;
    try {
      url = new URL(apiDomain);
    } catch {
      return false;
    }
    if (this.#configured.has(url.origin) && url.pathname.replace(/\/+$/, "") === "") return true;
    return url.protocol === "https:" && ZOHO_API_HOST.test(url.hostname) && url.port === "" && url.pathname.replace(/\/+$/, "") === "" && url.username === "";
  }

  /** Whether a request to `url` may carry an access token. */
  mayCarryToken(url: string): boolean {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (this.#configured.has(parsed.origin)) return true;
    return parsed.protocol === "https:" && parsed.port === "" && parsed.username === "" && ZOHO_HOST.test(parsed.hostname);
  }
}

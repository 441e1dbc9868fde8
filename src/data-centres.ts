/**
 * Zoho data centres: the Accounts (OAuth) server and the API hosts per environment.
 * Source: Zoho's multi-DC pages (see zoho-api-notes.md §1.1). CA's accounts server is
 * `accounts.zohocloud.ca`, not `zoho.ca`. Sandbox/developer hosts follow Zoho's SDKs' pattern
 * (`sandbox.zohoapis.<tld>`, `developer.zohoapis.<tld>`).
 */
export const DATA_CENTRES = ["us", "eu", "in", "au", "jp", "cn", "ca", "sa", "uk"] as const;
export type DataCenter = (typeof DATA_CENTRES)[number];

export const ENVIRONMENTS = ["production", "sandbox", "developer"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

interface DataCentreHosts {
  accountsUrl: string;
  /** Domain suffix shared by the API hosts: `zohoapis.<tld>`. */
  apiTld: string;
}

const HOSTS: Record<DataCenter, DataCentreHosts> = {
  us: { accountsUrl: "https://accounts.zoho.com", apiTld: "com" },
  eu: { accountsUrl: "https://accounts.zoho.eu", apiTld: "eu" },
  in: { accountsUrl: "https://accounts.zoho.in", apiTld: "in" },
  au: { accountsUrl: "https://accounts.zoho.com.au", apiTld: "com.au" },
  jp: { accountsUrl: "https://accounts.zoho.jp", apiTld: "jp" },
  cn: { accountsUrl: "https://accounts.zoho.com.cn", apiTld: "com.cn" },
  ca: { accountsUrl: "https://accounts.zohocloud.ca", apiTld: "ca" },
  sa: { accountsUrl: "https://accounts.zoho.sa", apiTld: "sa" },
  uk: { accountsUrl: "https://accounts.zoho.uk", apiTld: "uk" },
};

const ENVIRONMENT_PREFIX: Record<Environment, string> = {
  production: "www",
  sandbox: "sandbox",
  developer: "developer",
};

export function accountsUrlFor(dataCenter: DataCenter): string {
  return HOSTS[dataCenter].accountsUrl;
}

export function apiBaseUrlFor(dataCenter: DataCenter, environment: Environment = "production"): string {
  return `https://${ENVIRONMENT_PREFIX[environment]}.zohoapis.${HOSTS[dataCenter].apiTld}`;
}

/** Bulk-write uploads go to the content host of the data centre (`content.zohoapis.<tld>`). */
export function contentUrlFor(dataCenter: DataCenter): string {
  return `https://content.zohoapis.${HOSTS[dataCenter].apiTld}`;
}

/** Finds the data centre an accounts or API URL belongs to, e.g. from a redirect's `accounts-server`. */
export function dataCenterOf(url: string): DataCenter | undefined {
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    return undefined;
  }
  for (const dc of DATA_CENTRES) {
    const { accountsUrl, apiTld } = HOSTS[dc];
    if (new URL(accountsUrl).host === host || host.endsWith(`.zohoapis.${apiTld}`)) return dc;
  }
  return undefined;
}

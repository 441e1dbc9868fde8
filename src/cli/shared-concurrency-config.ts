/**
 * The CLI's settings for the org-wide concurrency cap shared through Redis (the client option
 * `sharedConcurrency`): `--redis-url`, `--shared-concurrency`, `--shared-concurrency-key`, their
 * `ZCRM_*` variables and config-file keys, flags > environment > file. Kept apart from the client
 * options because the CLI turns a URL into an ioredis client itself (shared-concurrency-redis.ts).
 * The URL's password is returned as a secret and only ever quoted redacted.
 */
import { ZohoConfigError } from "../errors.js";
import { redactedUrl } from "./sync-target.js";

export const SHARED_ENV_VARS = {
  redisUrl: "ZCRM_REDIS_URL",
  sharedConcurrency: "ZCRM_SHARED_CONCURRENCY",
  sharedConcurrencyKey: "ZCRM_SHARED_CONCURRENCY_KEY",
} as const;

/** Config-file keys (our own format) this module owns. */
export const SHARED_FILE_KEYS: readonly string[] = Object.keys(SHARED_ENV_VARS);

export interface SharedConcurrencyFlags {
  redisUrl?: string;
  sharedConcurrency?: string;
  sharedConcurrencyKey?: string;
}

export interface CliSharedConcurrency {
  /** The URL as given (may hold a password: never print it; use `redacted`). */
  redisUrl: string;
  redacted: string;
  limit: number;
  /** The Redis key of the org's pool; undefined: the SDK's default (`zcrm-typed:concurrency`). */
  key: string | undefined;
}

type Source = "flag" | "env" | "file";

const SPELLING = {
  redisUrl: `--redis-url / ${SHARED_ENV_VARS.redisUrl}`,
  sharedConcurrency: `--shared-concurrency / ${SHARED_ENV_VARS.sharedConcurrency}`,
  sharedConcurrencyKey: `--shared-concurrency-key / ${SHARED_ENV_VARS.sharedConcurrencyKey}`,
} as const;

function invalid(key: keyof typeof SPELLING, message: string): ZohoConfigError {
  return new ZohoConfigError(`${SPELLING[key]}: ${message}`, { code: "INVALID_OPTIONS", keys: [key] });
}

/** The password of a redis:// URL, raw and decoded, even from a URL `new URL` rejects (to scrub output). */
function passwordsOf(text: string): string[] {
  const raw = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@/]*)@/i.exec(text)?.[1];
  if (!raw) return [];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // a malformed escape: the raw text is what would be printed anyway
  }
  return [...new Set([raw, decoded])];
}

export function resolveSharedConcurrency(
  flags: SharedConcurrencyFlags,
  env: NodeJS.ProcessEnv,
  file: Record<string, unknown>,
): { shared: CliSharedConcurrency | undefined; sources: Record<string, Source>; secrets: string[] } {
  const sources: Record<string, Source> = {};
  const pick = (key: keyof typeof SHARED_ENV_VARS): unknown => {
    const fromEnv = env[SHARED_ENV_VARS[key]];
    const found: Array<[Source, unknown]> = [
      ["flag", flags[key]],
      ["env", fromEnv !== undefined && fromEnv.trim() !== "" ? fromEnv : undefined],
      ["file", file[key]],
    ];
    const hit = found.find(([, value]) => value !== undefined);
    if (hit) sources[key] = hit[0];
    return hit?.[1];
  };
  const url = pick("redisUrl");
  const limit = pick("sharedConcurrency");
  const key = pick("sharedConcurrencyKey");
  // Collected before any validation, so even the error about a malformed URL cannot carry it.
  const secrets = typeof url === "string" ? passwordsOf(url) : [];

  if (url === undefined) {
    if (limit !== undefined || key !== undefined) {
      throw invalid("redisUrl", "the shared concurrency cap lives in Redis: give the Redis URL too (e.g. redis://127.0.0.1:6379).");
    }
    return { shared: undefined, sources, secrets };
  }
  if (typeof url !== "string" || url.trim() === "") throw invalid("redisUrl", "must be a redis:// or rediss:// URL.");
  const redacted = redactedUrl(url);
  let scheme: string;
  try {
    scheme = new URL(url).protocol;
  } catch {
    throw invalid("redisUrl", `"${redacted}" is not a URL; use redis://[:password@]host:6379[/db] or rediss://.`);
  }
  if (scheme !== "redis:" && scheme !== "rediss:") throw invalid("redisUrl", `unsupported scheme "${scheme}" in "${redacted}"; use redis:// or rediss://.`);

  // No default: Zoho's per-org cap depends on the edition (5–25), and a guess too high gets 429s.
  if (limit === undefined) {
    throw invalid("sharedConcurrency", "is required with --redis-url: your org's concurrency limit (Zoho caps it by edition, 5–25).");
  }
  const n = typeof limit === "number" || (sources.sharedConcurrency !== "file" && typeof limit === "string") ? Number(limit) : Number.NaN;
  if (!Number.isInteger(n) || n < 1) throw invalid("sharedConcurrency", `must be a whole number >= 1 (got ${JSON.stringify(limit)}).`);
  if (key !== undefined && (typeof key !== "string" || key.trim() === "")) throw invalid("sharedConcurrencyKey", "must be a non-empty Redis key name.");

  return { shared: { redisUrl: url, redacted, limit: n, key: key as string | undefined }, sources, secrets };
}

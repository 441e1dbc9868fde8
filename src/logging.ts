/**
 * Logging with redaction. The SDK logs through a pino-compatible object (silent by default); every
 * message and field passes through a redactor that knows the client's secrets and Zoho's token
 * shapes, so no token, secret or grant code reaches a log line, whatever the level.
 */
import { appendFileSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { ZohoConfigError } from "./errors.js";

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error";
const LEVELS: readonly LogLevel[] = ["trace", "debug", "info", "warn", "error"];

/** The subset of pino's API the SDK uses: `logger.info(obj, msg)`. */
export type LogFn = (obj: Record<string, unknown>, msg?: string) => void;
export type Logger = Record<LogLevel, LogFn>;

// Precise keys only: a field named `code` is usually an error code (`INVALID_TOKEN`, `ECONNREFUSED`);
// a grant code is a secret by value (registered with the redactor when it is used).
const SECRET_KEYS = /^(access_?token|refresh_?token|client_?secret|grant_?token|token|authorization|password|secret)$/i;
// Zoho tokens look like `1000.<hex>.<hex>`; the Authorization header carries `Zoho-oauthtoken <t>`.
const TOKEN_PATTERNS: readonly RegExp[] = [
  /\b1000\.[A-Za-z0-9]{8,}\.[A-Za-z0-9]{8,}\b/g,
  /(Zoho-oauthtoken|Bearer)\s+[^\s",;]+/gi,
  /([?&](?:access_token|refresh_token|client_secret|code|token)=)[^&\s"]+/gi,
];
export const REDACTED = "[REDACTED]";

/** Removes what looks like a Zoho token, an Authorization value or a secret query parameter. */
export function redactTokenShapes(text: string): string {
  return text.replace(TOKEN_PATTERNS[0]!, REDACTED).replace(TOKEN_PATTERNS[1]!, `$1 ${REDACTED}`).replace(TOKEN_PATTERNS[2]!, `$1${REDACTED}`);
}

/** Replaces each of `secrets` (values of 4+ characters; shorter ones would blank ordinary words) in `text`. */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Removes known secrets and anything shaped like a token from text and structured values. */
export class Redactor {
  readonly #secrets = new Set<string>();

  /** Registers a value that must never be printed (client secret, a token just issued, ...). */
  add(secret: string | undefined): void {
    // Very short values would redact ordinary words; real secrets are long.
    if (!secret || secret.length < 6) return;
    this.#secrets.add(secret);
    // Bounded: old access tokens expire; Zoho-shaped tokens are caught by pattern anyway.
    if (this.#secrets.size > 1000) this.#secrets.delete(this.#secrets.values().next().value as string);
  }

  text(input: string): string {
    return redactTokenShapes(redactSecrets(input, this.#secrets));
  }

  value(input: unknown, depth = 0): unknown {
    if (typeof input === "string") return this.text(input);
    if (input === null || typeof input !== "object" || depth > 6) return input;
    if (input instanceof Error) {
      return { name: input.name, message: this.text(input.message), code: (input as { code?: unknown }).code };
    }
    if (Array.isArray(input)) return input.map((v) => this.value(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, val] of Object.entries(input)) {
      out[key] = SECRET_KEYS.test(key) && val != null && val !== "" ? REDACTED : this.value(val, depth + 1);
    }
    return out;
  }
}

const noop: LogFn = () => {};
export const silentLogger: Logger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop };

/**
 * A JSON-lines file logger, for the Python SDK's `applicationLogFilePath`. The path may be a
 * directory (the log goes to `zcrm-typed.log` in it) or a file. A path that does not exist yet is a
 * directory when it ends with a separator or has no extension, else a file; either way the missing
 * directories are created. A path that cannot be written is a `ZohoConfigError` at once, not lost lines.
 */
export function createFileLogger(options: { filePath: string; level?: LogLevel | undefined }): Logger {
  let file = options.filePath;
  try {
    try {
      if (statSync(file).isDirectory()) file = path.join(file, "zcrm-typed.log");
    } catch (error) {
      if ((error as { code?: unknown }).code !== "ENOENT") throw error;
      const directory = /[\\/]$/.test(file) || path.extname(file) === "";
      mkdirSync(directory ? file : path.dirname(file), { recursive: true, mode: 0o700 });
      if (directory) file = path.join(file, "zcrm-typed.log");
    }
    appendFileSync(file, "", { mode: 0o600 });
  } catch (error) {
    throw new ZohoConfigError(
      `logFilePath: cannot write the log at ${file} (${(error as { code?: string }).code ?? "error"}). Give a writable file or directory path, or leave logFilePath out.`,
      { code: "LOG_FILE_UNWRITABLE", keys: ["logFilePath"] },
    );
  }
  const min = LEVELS.indexOf(options.level ?? "info");
  const make = (level: LogLevel): LogFn =>
    LEVELS.indexOf(level) < min
      ? noop
      : (obj, msg) => {
          // Synchronous append keeps ordering and survives a crash right after the line.
          appendFileSync(file, `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...obj })}\n`, { mode: 0o600 });
        };
  return { trace: make("trace"), debug: make("debug"), info: make("info"), warn: make("warn"), error: make("error") };
}

/** Wraps user loggers so every line is redacted; several sinks (user logger + log file) fan out. */
export function createSafeLogger(options: { sinks: readonly Logger[]; redactor: Redactor; bindings?: Record<string, unknown> }): Logger {
  const { sinks, redactor, bindings } = options;
  const make =
    (level: LogLevel): LogFn =>
    (obj, msg) => {
      if (sinks.length === 0) return;
      const safeObj = redactor.value({ ...bindings, ...obj }) as Record<string, unknown>;
      const safeMsg = msg === undefined ? undefined : redactor.text(msg);
      for (const sink of sinks) {
        try {
          sink[level].call(sink, safeObj, safeMsg);
        } catch {
          // A broken logger must never break an API call.
        }
      }
    };
  return { trace: make("trace"), debug: make("debug"), info: make("info"), warn: make("warn"), error: make("error") };
}

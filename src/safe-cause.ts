/**
 * A secret-free copy of a third-party error for our errors' `cause`. HTTP and database libraries
 * keep the request (headers with `Authorization`, URLs with `?token=`, query parameters holding
 * tokens) on their errors, and Node prints a cause even when it is not enumerable; so we keep only
 * name, message (redacted) and identifying codes.
 */
import { redactSecrets, redactTokenShapes } from "./logging.js";

/** Identifying fields worth keeping: system errors, mysql2 (`sqlState`, `sqlMessage`), pg (`severity`, `routine`). */
const KEPT = ["code", "errno", "syscall", "address", "port", "sqlState", "sqlMessage", "severity", "routine"] as const;

export function safeCause(error: unknown, options: { secrets?: readonly string[] | undefined } = {}, depth = 0): Error | undefined {
  if (error === undefined || error === null) return undefined;
  const outer = (typeof error === "object" ? error : { message: String(error) }) as Record<string, unknown>;
  // TypeORM's QueryFailedError wraps the driver's error and carries the query and its parameters.
  const source = (outer.driverError !== null && typeof outer.driverError === "object" ? outer.driverError : outer) as Record<string, unknown>;
  const clean = (text: string) => redactTokenShapes(redactSecrets(text, options.secrets ?? []));
  const copy = new Error(clean(String(source.message ?? outer.message ?? ""))) as Error & Record<string, unknown>;
  copy.name = typeof source.name === "string" ? source.name : "Error";
  for (const key of KEPT) {
    const value = source[key] ?? outer[key];
    if (value !== undefined && value !== null && typeof value !== "object") copy[key] = typeof value === "string" ? clean(value) : value;
  }
  copy.stack = `${copy.name}: ${copy.message}`;
  if (depth < 3 && source.cause !== undefined) {
    Object.defineProperty(copy, "cause", { value: safeCause(source.cause, options, depth + 1), enumerable: false, configurable: true, writable: true });
  }
  return copy;
}

/** The innermost cause's code/message (undici nests the socket error), without any request data. */
export function describeCause(error: unknown): string {
  let current: unknown = error;
  let text = "unknown error";
  for (let depth = 0; current && depth < 4; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof e.code === "string") text = e.code;
    else if (typeof e.message === "string" && e.message) text = e.message;
    current = e.cause;
  }
  return redactTokenShapes(text);
}

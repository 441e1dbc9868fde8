import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ZohoConfigError } from "../errors.js";
import type { TokenStore } from "./token-store.js";

export interface LoadCustomTokenStoreOptions {
  /** Module file (the Python SDK's `persistence_handler_path`): absolute, or relative to `cwd`. */
  modulePath: string;
  /** Export to use (the Python SDK's `persistence_handler_class`). Default `"default"`. */
  exportName?: string;
  /** Base for a relative `modulePath`. Default `process.cwd()`. */
  cwd?: string;
}

const PATH_KEY = "persistence_handler_path";
const CLASS_KEY = "persistence_handler_class";

function isClass(value: (...args: never[]) => unknown): boolean {
  if (/^class[\s{]/.test(Function.prototype.toString.call(value))) return true;
  const proto = (value as { prototype?: Record<string, unknown> }).prototype;
  return typeof proto === "object" && proto !== null && typeof proto.get === "function";
}

/**
 * Loads a custom token store the way the Python SDK loads a persistence handler: imports the
 * module, takes the named export, instantiates it when it is a class (no arguments) or calls it
 * when it is a factory function, and checks it has `get`, `save` and `delete`.
 */
export async function loadCustomTokenStore(options: LoadCustomTokenStoreOptions): Promise<TokenStore> {
  const modulePath = options?.modulePath;
  const exportName = options?.exportName ?? "default";
  if (typeof modulePath !== "string" || modulePath.trim() === "") {
    throw new ZohoConfigError(`${PATH_KEY} must be the path of a JavaScript module exporting the token store.`, {
      code: "CUSTOM_STORE_INVALID",
      keys: [PATH_KEY],
    });
  }
  if (typeof exportName !== "string" || exportName === "") {
    throw new ZohoConfigError(`${CLASS_KEY} must name the module's export (a class or object).`, {
      code: "CUSTOM_STORE_INVALID",
      keys: [CLASS_KEY],
    });
  }
  const file = isAbsolute(modulePath) ? modulePath : resolve(options.cwd ?? process.cwd(), modulePath);
  if (!existsSync(file)) {
    throw new ZohoConfigError(`${PATH_KEY}: no module at ${file}.`, { code: "CUSTOM_STORE_NOT_FOUND", keys: [PATH_KEY] });
  }
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ZohoConfigError(`${PATH_KEY}: could not load ${file}: ${error instanceof Error ? error.message : String(error)}`, {
      code: "CUSTOM_STORE_LOAD_FAILED",
      keys: [PATH_KEY],
      cause: error,
    });
  }
  if (!(exportName in namespace) || namespace[exportName] === undefined) {
    const available = Object.keys(namespace).filter((k) => namespace[k] !== undefined);
    throw new ZohoConfigError(`${CLASS_KEY}: ${file} has no export named "${exportName}" (exports: ${available.length ? available.join(", ") : "none"}).`, {
      code: "CUSTOM_STORE_EXPORT_MISSING",
      keys: [CLASS_KEY],
    });
  }
  const exported = namespace[exportName];
  let store: unknown = exported;
  try {
    if (typeof exported === "function") {
      store = isClass(exported as (...args: never[]) => unknown) ? new (exported as new () => unknown)() : await (exported as () => unknown)();
    }
  } catch (error) {
    throw new ZohoConfigError(`${CLASS_KEY}: creating "${exportName}" from ${file} failed: ${error instanceof Error ? error.message : String(error)}`, {
      code: "CUSTOM_STORE_LOAD_FAILED",
      keys: [PATH_KEY, CLASS_KEY],
      cause: error,
    });
  }
  const candidate = store as Partial<Record<keyof TokenStore, unknown>> | null;
  const missing =
    typeof candidate !== "object" || candidate === null
      ? ["get", "save", "delete"]
      : (["get", "save", "delete"] as const).filter((m) => typeof candidate[m] !== "function");
  const wrong =
    typeof candidate === "object" && candidate !== null
      ? (["withLock", "close"] as const).filter((m) => candidate[m] !== undefined && typeof candidate[m] !== "function")
      : [];
  if (missing.length > 0 || wrong.length > 0) {
    const problems = [
      ...(missing.length ? [`missing method(s) ${missing.join(", ")}`] : []),
      ...(wrong.length ? [`${wrong.join(", ")} must be function(s)`] : []),
    ];
    throw new ZohoConfigError(
      `${CLASS_KEY}: "${exportName}" from ${file} is not a token store (${problems.join("; ")}). ` +
        "It must provide get(user), save(tokens) and delete(user), returning promises.",
      { code: "CUSTOM_STORE_INVALID", keys: [PATH_KEY, CLASS_KEY] },
    );
  }
  return candidate as TokenStore;
}

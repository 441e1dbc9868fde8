/**
 * Optional packages (installed by default, left out by `npm install --omit=optional`): the embedded
 * SQLite store (typeorm, better-sqlite3), the emulator's spec validation (ajv, ajv-formats) and the
 * shared Redis cap (redis-semaphore). When one is missing, the error names the command that fixes it.
 */
import { ZohoConfigError } from "./errors.js";

/** The bare package a failed `import()`/`require()` was looking for, when that is why it failed. */
export function missingPackage(error: unknown): string | undefined {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (e?.code !== "ERR_MODULE_NOT_FOUND" && e?.code !== "MODULE_NOT_FOUND") return undefined;
  const match = /Cannot find (?:package|module) '((?:@[^/']+\/)?[^/'.][^/']*)/.exec(String(e.message ?? ""));
  return match?.[1];
}

/** A typed error for `feature`, which needs `packages`; `alternative` says how to do without. */
export function optionalPackageError(options: {
  feature: string;
  packages: readonly string[];
  missing: string;
  alternative: string;
  keys: readonly string[];
}): ZohoConfigError {
  const { feature, packages, missing, alternative, keys } = options;
  return new ZohoConfigError(
    `${feature} needs the optional package${packages.length > 1 ? "s" : ""} ${packages.join(" and ")}, and ${missing} is not installed (\`npm install --omit=optional\` leaves them out). Install ${packages.length > 1 ? "them" : "it"}: npm install ${packages.join(" ")} — or ${alternative}.`,
    { code: "OPTIONAL_PACKAGE_MISSING", keys },
  );
}

import { chmod, mkdir, open, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ZohoConfigError } from "../errors.js";
import { missingPackage, optionalPackageError } from "../optional-package.js";
import { safeCause } from "../safe-cause.js";

const EMBEDDED = {
  feature: "The embedded token store (the default when no tokenStore is given)",
  packages: ["typeorm", "better-sqlite3"],
  alternative: "pass a tokenStore (FileTokenStore and MemoryTokenStore need nothing)",
  keys: ["tokenStore"],
} as const;
import type { TokenStore } from "./token-store.js";

export interface DefaultTokenStoreOptions {
  /** Base directory; tokens go to `<cwd>/.zcrm/tokens.sqlite`. Default `process.cwd()`. */
  cwd?: string;
}

/** Where the default store keeps its SQLite file for a given base directory. */
export function defaultTokenStorePath(cwd: string = process.cwd()): string {
  return join(resolve(cwd), ".zcrm", "tokens.sqlite");
}

/**
 * The embedded, zero set-up default: SQLite (better-sqlite3 via TypeORM) in
 * `<cwd>/.zcrm/tokens.sqlite`, table created on first use (with an `apidomain` column; an older
 * file gains it). The directory is created with mode 0700
 * (with a `.gitignore` so tokens are not committed) and the database file with 0600. TypeORM is
 * loaded only when this is called, so importing the package entry stays light.
 */
export async function createDefaultTokenStore(options: DefaultTokenStoreOptions = {}): Promise<TokenStore> {
  const file = defaultTokenStorePath(options.cwd);
  const dir = join(file, "..");
  try {
    await prepareFiles(file, dir);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    throw new ZohoConfigError(
      `The embedded token store could not be created in ${dir} (${typeof code === "string" ? code : "error"}): the directory must be writable. Run from a writable working directory, set the \`cwd\` option to one, or pass a \`tokenStore\` (e.g. a TypeOrmTokenStore or FileTokenStore).`,
      { code: "DEFAULT_STORE_UNAVAILABLE", keys: ["cwd", "tokenStore"], cause: safeCause(error) },
    );
  }
  let TypeOrmTokenStore: typeof import("./typeorm-token-store.js").TypeOrmTokenStore;
  try {
    ({ TypeOrmTokenStore } = await import("./typeorm-token-store.js"));
  } catch (error) {
    const missing = missingPackage(error);
    if (!missing) throw error;
    throw optionalPackageError({ ...EMBEDDED, missing });
  }
  // The table is ours (not the Python SDK's), so it keeps the token's api_domain too: a second
  // process on the same store calls the host the grant named (a non-US data centre, an emulator).
  return new TypeOrmTokenStore({ type: "better-sqlite3", database: file, synchronize: true, columns: { apiDomain: "apidomain" } });
}

/** The private directory (0700, with a .gitignore) and the database file (0600), before SQLite opens it. */
async function prepareFiles(file: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== "win32") {
    const info = await stat(dir);
    if ((info.mode & 0o077) !== 0) await chmod(dir, 0o700).catch(() => undefined);
  }
  await writeFile(join(dir, ".gitignore"), "# zcrm-typed token store: never commit\n*\n", { flag: "wx", mode: 0o600 }).catch(() => undefined);
  // SQLite gives its -wal/-shm files the database file's permissions: create it private first.
  const handle = await open(file, "a", 0o600);
  await handle.close();
  if (process.platform !== "win32") {
    const info = await stat(file);
    if ((info.mode & 0o077) !== 0) await chmod(file, 0o600);
  }
}

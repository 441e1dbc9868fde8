/**
 * Who the CLI acts as when `--user` / `ZCRM_USER` are not given: the user it last exchanged or
 * imported tokens for (remembered next to the default store, `.zcrm/cli.json`), else the only user
 * with tokens in the store. No tokens at all is an auth error (run `zcrm auth exchange`); several
 * users without a remembered one is a configuration error naming the CLI's own fixes.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ZohoAuthError, ZohoConfigError } from "../errors.js";
import type { TokenStore } from "../stores/token-store.js";

/** `<cwd>/.zcrm/cli.json`: the CLI's memory of who it acts as (no tokens in it). */
export function cliStatePath(cwd: string): string {
  return path.join(cwd, ".zcrm", "cli.json");
}

export async function rememberCliUser(cwd: string, user: string): Promise<void> {
  const file = cliStatePath(cwd);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify({ user })}\n`, { mode: 0o600 });
}

async function rememberedCliUser(cwd: string): Promise<string | undefined> {
  try {
    const state = JSON.parse(await readFile(cliStatePath(cwd), "utf8")) as { user?: unknown };
    return typeof state.user === "string" ? state.user : undefined;
  } catch {
    return undefined;
  }
}

export async function resolveCliUser(options: { store: TokenStore; cwd: string; where: string }): Promise<string> {
  const { store, cwd, where } = options;
  const users = (await store.users?.()) ?? [];
  const remembered = await rememberedCliUser(cwd);
  if (remembered && users.includes(remembered)) return remembered;
  if (users.length === 1) return users[0]!;
  if (users.length === 0) {
    throw new ZohoAuthError(
      `No tokens are stored (${where}): run \`zcrm auth exchange <grant-token>\` or \`zcrm auth import <refresh-token>\` first, with the same token store (run from this directory, or pass --token-file).`,
      { code: "NO_TOKENS", reauthRequired: true },
    );
  }
  throw new ZohoConfigError(
    `Several users have tokens (${where}: ${users.join(", ")}): say which one with --user <email> or the ZCRM_USER environment variable.`,
    { code: "USER_REQUIRED", keys: ["user"] },
  );
}

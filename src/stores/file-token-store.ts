import { createHash, randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { chmod, link, lstat, mkdir, open, readFile, readdir, rename, stat, unlink, utimes } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { ZohoConfigError } from "../errors.js";
import { safeCause } from "../safe-cause.js";
import type { LockedRefresh, TokenRecord, TokenStore } from "./token-store.js";
import { KeyedMutex, assertRecord, assertSameUser, assertUser, copyRecord, lockPollMs, lockTimeoutError, positiveMs, sleep } from "./store-utils.js";

const FILE_STORE = { store: "FileTokenStore", code: "TOKEN_FILE_OPTIONS" };

/** File name used in the directory form, like the Python SDK's `token_persistence_path` directory. */
export const TOKEN_FILE_NAME = "zcrm_oauthtokens.json";

export interface FileTokenStoreLockOptions {
  /** How long `save`/`delete`/`withLock` wait for another process's lock before failing. Default 30 000 ms. */
  lockTimeoutMs?: number;
  /**
   * A lock whose holder stopped refreshing it (heartbeat) for this long is taken over; one whose
   * holder process (on this host) is dead is taken over at once. Default 10 000 ms, and always
   * shorter than `lockTimeoutMs` (lowered to half of it when not), so a waiter outlives a crashed
   * holder's lock and the first refresh after a crash succeeds.
   */
  staleLockMs?: number;
}

export interface FileTokenStorePathOptions extends FileTokenStoreLockOptions {
  /** The JSON token file (absolute, or relative to the current directory). */
  path: string;
  directory?: undefined;
}

export interface FileTokenStoreDirectoryOptions extends FileTokenStoreLockOptions {
  /** A directory (the Python SDK's `token_persistence_path`); tokens go to `zcrm_oauthtokens.json` in it. */
  directory: string;
  path?: undefined;
}

export type FileTokenStoreOptions = FileTokenStorePathOptions | FileTokenStoreDirectoryOptions;

interface FileState {
  format: "zcrm-typed/tokens";
  version: 1;
  /** A null-prototype object: user names such as `__proto__` or `constructor` are plain keys. */
  tokens: Record<string, TokenRecord>;
}

const noTokens = (): Record<string, TokenRecord> => Object.create(null) as Record<string, TokenRecord>;

interface LockInfo {
  pid: number;
  hostname: string;
  nonce: string;
  createdAt: number;
}

const FORMAT = "zcrm-typed/tokens";
/** How old an ownerless (empty, garbled) lock file must be before it is taken over. */
const EMPTY_LOCK_GRACE_MS = 1000;
const IS_WINDOWS = process.platform === "win32";

function isErrno(error: unknown, ...codes: string[]): boolean {
  return typeof error === "object" && error !== null && codes.includes((error as { code?: string }).code ?? "");
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isErrno(error, "EPERM");
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Keeps tokens in one JSON file (never an executable format such as pickle), mode 0600, replaced
 * atomically (temporary file in the same directory, fsync, rename) so a crash mid-write leaves the
 * previous file intact. Writers in several processes are serialised with lock files created with
 * O_EXCL (`<file>.lock` around each read-modify-write; `<file>.<hash>.lock` per user around
 * `save`/`delete`/`withLock`), holding pid, host and a heartbeat; a lock whose holder died or stopped
 * its heartbeat is taken over.
 */
export class FileTokenStore implements TokenStore {
  /** Absolute path of the token file. */
  readonly path: string;
  private readonly optionKey: "path" | "directory";
  private readonly lockTimeoutMs: number;
  private readonly staleLockMs: number;
  private readonly mutex = new KeyedMutex();

  constructor(options: FileTokenStoreOptions) {
    const o = (options ?? {}) as { path?: unknown; directory?: unknown } & FileTokenStoreLockOptions;
    const hasPath = o.path !== undefined;
    const hasDirectory = o.directory !== undefined;
    if (hasPath === hasDirectory) {
      throw new ZohoConfigError(
        hasPath
          ? "FileTokenStore takes either `path` (the token file) or `directory` (where zcrm_oauthtokens.json goes), not both."
          : "FileTokenStore needs `path` (the token file) or `directory` (where zcrm_oauthtokens.json goes).",
        { code: "TOKEN_FILE_OPTIONS", keys: ["path", "directory"] },
      );
    }
    this.optionKey = hasPath ? "path" : "directory";
    const value = hasPath ? o.path : o.directory;
    if (typeof value !== "string" || value.trim() === "") {
      throw new ZohoConfigError(`FileTokenStore: \`${this.optionKey}\` must be a non-empty string.`, {
        code: "TOKEN_FILE_OPTIONS",
        keys: [this.optionKey],
      });
    }
    this.path = hasPath ? resolve(value) : join(resolve(value), TOKEN_FILE_NAME);
    this.lockTimeoutMs = positiveMs(o.lockTimeoutMs, 30_000, "lockTimeoutMs", FILE_STORE);
    const stale = positiveMs(o.staleLockMs, 10_000, "staleLockMs", FILE_STORE);
    this.staleLockMs = stale < this.lockTimeoutMs ? stale : Math.max(1, Math.floor(this.lockTimeoutMs / 2));
  }

  async get(user: string): Promise<TokenRecord | undefined> {
    assertUser(user);
    const state = await this.readState();
    const record = state.tokens[user];
    return record === undefined ? undefined : copyRecord(record);
  }

  async save(record: TokenRecord): Promise<void> {
    assertRecord(record);
    const copy = copyRecord(record);
    await this.withUserLock(copy.user, () =>
      this.mutate((tokens) => {
        tokens[copy.user] = copy;
      }),
    );
  }

  async delete(user: string): Promise<void> {
    assertUser(user);
    await this.withUserLock(user, () =>
      this.mutate((tokens) => {
        delete tokens[user];
      }),
    );
  }

  /**
   * Runs `fn` holding this user's lock (other processes using the same file wait), with the record
   * as read inside the lock; persists what `fn` returns. Resolves to the record now stored.
   */
  async withLock(user: string, fn: LockedRefresh): Promise<TokenRecord | undefined> {
    assertUser(user);
    return this.withUserLock(user, async () => {
      const current = (await this.readState()).tokens[user];
      const next = await fn(current === undefined ? undefined : copyRecord(current));
      if (next === undefined) return current === undefined ? undefined : copyRecord(current);
      assertRecord(next);
      assertSameUser(user, next);
      const copy = copyRecord(next);
      await this.mutate((tokens) => {
        tokens[user] = copy;
      });
      return copyRecord(copy);
    });
  }

  async close(): Promise<void> {}

  async users(): Promise<string[]> {
    return Object.keys((await this.readState()).tokens).sort();
  }

  // ---------------------------------------------------------------------------------------------

  private userLockPath(user: string): string {
    const digest = createHash("sha256").update(user).digest("hex").slice(0, 16);
    return `${this.path}.${digest}.lock`;
  }

  private withUserLock<T>(user: string, work: () => Promise<T>): Promise<T> {
    return this.mutex.run(`user:${user}`, work, () => this.acquireFileLock(this.userLockPath(user), user));
  }

  /** Read-modify-write of the whole file under the file lock. */
  private mutate(change: (tokens: Record<string, TokenRecord>) => void): Promise<void> {
    return this.mutex.run(
      "file",
      async () => {
        const state = await this.readState();
        change(state.tokens);
        await this.removeStaleTempFiles();
        await this.writeAtomic(`${JSON.stringify(state, null, 2)}\n`);
      },
      () => this.acquireFileLock(`${this.path}.lock`, undefined),
    );
  }

  private fileError(code: string, message: string, cause?: unknown): ZohoConfigError {
    return new ZohoConfigError(message, {
      code,
      keys: [this.optionKey],
      ...(cause === undefined ? {} : { cause: safeCause(cause) }),
    });
  }

  private async readState(): Promise<FileState> {
    let text: string;
    try {
      await this.checkMode();
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if (isErrno(error, "ENOENT")) return { format: FORMAT, version: 1, tokens: noTokens() };
      if (error instanceof ZohoConfigError) throw error;
      throw this.fileError(
        "TOKEN_FILE_UNREADABLE",
        `Cannot read the token file ${this.path} (${(error as { code?: string }).code ?? "error"}). Check that it is a file this process may read and write.`,
        error,
      );
    }
    if (text.trim() === "") return { format: FORMAT, version: 1, tokens: noTokens() };
    const corrupt = (why: string): ZohoConfigError =>
      this.fileError(
        "TOKEN_FILE_CORRUPT",
        `The token file ${this.path} ${why}. It was left untouched: repair it or move it away, then store tokens again (exchange a new grant token).`,
      );
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw corrupt("is not valid JSON");
    }
    const tokens = (parsed as { tokens?: unknown } | null)?.tokens;
    if (
      typeof parsed !== "object" ||
      parsed === null ||
      (parsed as { format?: unknown }).format !== FORMAT ||
      typeof tokens !== "object" ||
      tokens === null ||
      Array.isArray(tokens)
    ) {
      throw corrupt(`is not a zcrm-typed token file (expected {"format":"${FORMAT}","version":1,"tokens":{...}})`);
    }
    const out = noTokens();
    for (const [user, record] of Object.entries(tokens as Record<string, unknown>)) {
      try {
        assertRecord(record);
      } catch {
        throw corrupt("holds an entry that is not a valid token record");
      }
      if (record.user !== user) throw corrupt("holds an entry whose user does not match its key");
      out[user] = copyRecord(record);
    }
    return { format: FORMAT, version: 1, tokens: out };
  }

  /**
   * The token file must be a regular file of its own — not a symbolic link (which would make us
   * read, chmod and replace whatever it points at) — and not readable by others: a wider mode is
   * tightened to 0600, or refused clearly.
   */
  private async checkMode(): Promise<void> {
    const info = await lstat(this.path);
    if (info.isSymbolicLink()) {
      throw this.fileError(
        "TOKEN_FILE_SYMLINK",
        `The token file path ${this.path} is a symbolic link; it is refused (reading or replacing it would touch the file it points at). Point the store at the real file.`,
      );
    }
    if (IS_WINDOWS) return;
    if (!info.isFile()) {
      throw this.fileError("TOKEN_FILE_UNREADABLE", `The token file path ${this.path} exists but is not a regular file.`);
    }
    if ((info.mode & 0o077) === 0) return;
    try {
      await chmod(this.path, 0o600);
    } catch (error) {
      throw this.fileError(
        "TOKEN_FILE_PERMISSIONS",
        `The token file ${this.path} is accessible to other users (mode ${(info.mode & 0o777).toString(8)}) and could not be changed to 0600. Run: chmod 600 ${this.path}`,
        error,
      );
    }
  }

  private async writeAtomic(text: string): Promise<void> {
    const dir = dirname(this.path);
    const temp = join(dir, `.${basename(this.path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
    const handle = await open(temp, "wx", 0o600);
    try {
      try {
        if (!IS_WINDOWS) await handle.chmod(0o600);
        await handle.writeFile(text, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw this.fileError("TOKEN_FILE_WRITE_FAILED", `Could not write the token file ${this.path}; the previous file is unchanged.`, error);
    }
    // Make the rename durable; not every platform lets a directory be opened/fsynced.
    try {
      const dirHandle = await open(dir, "r");
      try {
        await dirHandle.sync();
      } finally {
        await dirHandle.close();
      }
    } catch {
      /* best effort */
    }
  }

  /** Temporary files left by a writer that died mid-write (called while holding the file lock). */
  private async removeStaleTempFiles(): Promise<void> {
    const dir = dirname(this.path);
    const pattern = new RegExp(`^\\.${escapeRegExp(basename(this.path))}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const match = pattern.exec(name);
      if (!match) continue;
      const full = join(dir, name);
      try {
        const info = await stat(full);
        if (!pidAlive(Number(match[1])) || Date.now() - info.mtimeMs > this.staleLockMs) await unlink(full);
      } catch {
        /* gone already */
      }
    }
  }

  // --- lock files -------------------------------------------------------------------------------

  private async acquireFileLock(lockPath: string, user: string | undefined): Promise<{ context: undefined; release: () => Promise<void> }> {
    const started = Date.now();
    const info: LockInfo = { pid: process.pid, hostname: hostname(), nonce: randomBytes(12).toString("hex"), createdAt: started };
    for (let attempt = 0; ; attempt++) {
      try {
        await this.createLockFile(lockPath, info);
        break;
      } catch (error) {
        if (isErrno(error, "ENOENT") && attempt === 0) {
          try {
            await mkdir(dirname(lockPath), { recursive: true, mode: 0o700 });
          } catch (mkdirError) {
            throw this.fileError("TOKEN_FILE_LOCK_FAILED", `Could not create the directory ${dirname(lockPath)}.`, mkdirError);
          }
          continue;
        }
        if (!isErrno(error, "EEXIST")) {
          throw this.fileError("TOKEN_FILE_LOCK_FAILED", `Could not create the lock file ${lockPath}.`, error);
        }
      }
      const staleIno = await this.staleLockIno(lockPath);
      if (staleIno !== undefined && (await this.breakStaleLock(lockPath, staleIno))) continue;
      const waited = Date.now() - started;
      if (waited >= this.lockTimeoutMs) {
        throw lockTimeoutError(lockPath, user, waited, `if no process is using ${this.path}, delete ${lockPath}; otherwise raise lockTimeoutMs.`);
      }
      await sleep(Math.min(lockPollMs(attempt), Math.max(1, this.lockTimeoutMs - waited)));
    }

    const beat = Math.max(50, Math.floor(this.staleLockMs / 3));
    const heartbeat = setInterval(() => {
      const now = new Date();
      utimes(lockPath, now, now).catch(() => {});
    }, beat);
    heartbeat.unref();
    return {
      context: undefined,
      release: async () => {
        clearInterval(heartbeat);
        try {
          const held = JSON.parse(await readFile(lockPath, "utf8")) as Partial<LockInfo>;
          if (held.nonce === info.nonce) await unlink(lockPath);
        } catch {
          /* already gone (taken over) */
        }
      },
    };
  }

  /**
   * Creates the lock file with its owner (pid, host) already in it: written to a private temporary
   * file, then hard-linked into place (fails with EEXIST if a lock exists). A crash can leave a
   * stray temporary file, never an empty lock.
   */
  private async createLockFile(lockPath: string, info: LockInfo): Promise<void> {
    const temp = `${lockPath}.${process.pid}.${randomBytes(6).toString("hex")}.new`;
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(JSON.stringify(info));
    } finally {
      await handle.close();
    }
    try {
      await link(temp, lockPath);
    } finally {
      await unlink(temp).catch(() => {});
    }
  }

  /** The lock's inode when it is stale: heartbeat older than staleLockMs, holder on this host dead, or no owner in it. */
  private async staleLockIno(lockPath: string): Promise<number | undefined> {
    try {
      const info = await stat(lockPath);
      if (Date.now() - info.mtimeMs > this.staleLockMs) return info.ino;
      let holder: Partial<LockInfo>;
      try {
        holder = JSON.parse(await readFile(lockPath, "utf8")) as Partial<LockInfo>;
      } catch {
        // Locks are created complete (createLockFile): an empty or garbled one was left by a crash
        // (or an older version mid-write): take it over once it is a moment old.
        return Date.now() - info.mtimeMs > EMPTY_LOCK_GRACE_MS ? info.ino : undefined;
      }
      if (holder.hostname === hostname() && typeof holder.pid === "number" && !pidAlive(holder.pid)) return info.ino;
      return undefined;
    } catch {
      return undefined; // released meanwhile: just retry
    }
  }

  /**
   * Removes a stale lock. Only the process holding `<lock>.takeover` (O_EXCL) may do it, and it
   * re-checks that the lock is still the same stale file first, so two waiters cannot both break
   * it and remove a fresh lock in between.
   */
  private async breakStaleLock(lockPath: string, ino: number): Promise<boolean> {
    const guard = `${lockPath}.takeover`;
    try {
      const handle = await open(guard, "wx", 0o600);
      await handle.close();
    } catch (error) {
      if (isErrno(error, "EEXIST")) {
        // A takeover takes milliseconds; a guard this old belongs to a process that died during one.
        try {
          const info = await stat(guard);
          if (Date.now() - info.mtimeMs > 10_000) await unlink(guard);
        } catch {
          /* gone */
        }
      }
      return false;
    }
    try {
      const again = await this.staleLockIno(lockPath);
      if (again !== ino) return false;
      await unlink(lockPath);
      return true;
    } catch {
      return false;
    } finally {
      await unlink(guard).catch(() => {});
    }
  }
}

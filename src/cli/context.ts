/**
 * What every command shares: the resolved configuration, a client made on demand (and closed
 * after the command), JSON in (`--data`, `--file`, stdin) and JSON out, and redaction of anything
 * written to stderr.
 */
import { readFile } from "node:fs/promises";
import { InvalidArgumentError, type Command } from "commander";
import { createZohoCRM, type ZohoCRMClient } from "../client.js";
import type { Logger, LogLevel } from "../logging.js";
import { Redactor } from "../logging.js";
import { createDefaultTokenStore, defaultTokenStorePath } from "../stores/default-store.js";
import { rememberCliUser, resolveCliUser } from "./cli-user.js";
import { resolveCliConfig, type GlobalFlags, type ResolvedCliConfig } from "./config.js";
import { CliUsageError } from "./exit-codes.js";
import { connectSharedConcurrency, type SharedConcurrencyConnection } from "./shared-concurrency-redis.js";

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export class CliContext {
  readonly io: CliIO;
  readonly redactor = new Redactor();
  verbose = false;
  #config: ResolvedCliConfig | undefined;
  #clients: ZohoCRMClient[] = [];
  /** One Redis connection per command, shared by its clients (`--redis-url`). */
  #shared: Promise<SharedConcurrencyConnection> | undefined;

  constructor(io: CliIO) {
    this.io = io;
  }

  /** The global flags as given (anywhere on the command line). */
  flags(command: Command): GlobalFlags {
    return command.optsWithGlobals() as GlobalFlags;
  }

  async config(command: Command): Promise<ResolvedCliConfig> {
    if (!this.#config) {
      const flags = this.flags(command);
      this.verbose = flags.verbose === true;
      this.#config = await resolveCliConfig(flags, this.io.env, this.io.cwd);
      for (const secret of this.#config.secrets) this.redactor.add(secret);
    }
    return this.#config;
  }

  /**
   * A client for the command. Without a configured token store the embedded default one
   * (`.zcrm/tokens.sqlite` under the working directory) is used, opened here so the CLI can see
   * whose tokens it holds. With `needsUser` and no `--user`/`ZCRM_USER`, the user is the one
   * remembered from the last `auth exchange`/`auth import`, or the only one with tokens.
   */
  async client(command: Command, options: { needsUser?: boolean } = {}): Promise<ZohoCRMClient> {
    const config = await this.config(command);
    const clientOptions = { ...config.options };
    if (!clientOptions.tokenStore && clientOptions.accessToken === undefined) {
      clientOptions.tokenStore = await createDefaultTokenStore({ cwd: this.io.cwd });
    }
    if (options.needsUser !== false && !clientOptions.user && clientOptions.tokenStore) {
      clientOptions.user = await resolveCliUser({ store: clientOptions.tokenStore, cwd: this.io.cwd, where: this.storeDescription(config) });
    }
    if (this.verbose) clientOptions.logger = this.#stderrLogger("debug");
    if (config.sharedConcurrency) clientOptions.sharedConcurrency = (await this.#sharedConnection(config)).options;
    const crm = createZohoCRM(clientOptions);
    this.#clients.push(crm);
    return crm;
  }

  /** Remembers who the CLI acts as from now on (after `auth exchange` / `auth import`). */
  rememberUser(user: string): Promise<void> {
    return rememberCliUser(this.io.cwd, user);
  }

  storeDescription(config: ResolvedCliConfig): string {
    return config.tokenFile
      ? `token file ${config.tokenFile}`
      : config.options.tokenStore
        ? "the configured token store"
        : `default store ${defaultTokenStorePath(this.io.cwd)}`;
  }

  async close(): Promise<void> {
    const clients = this.#clients.splice(0);
    // The stores were opened for the command (default store, token file): close them with it.
    await Promise.allSettled(clients.map((c) => c.close({ store: true })));
    // After the clients, so the permits they released reach Redis first; an open socket would
    // also keep the process (e.g. `sync --watch` after SIGTERM) from exiting.
    const shared = this.#shared;
    this.#shared = undefined;
    if (shared) await shared.then((c) => c.close()).catch(() => undefined);
  }

  #sharedConnection(config: ResolvedCliConfig): Promise<SharedConcurrencyConnection> {
    const shared = config.sharedConcurrency!;
    if (!this.#shared) {
      if (this.verbose) {
        this.note(`zcrm [debug] shared concurrency cap: ${shared.limit} on Redis ${shared.redacted}, key ${shared.key ?? "zcrm-typed:concurrency (default)"}`);
      }
      this.#shared = connectSharedConcurrency(shared, config.secrets);
    }
    return this.#shared;
  }

  /** Writes a value as JSON (two-space indent) to stdout. */
  async printJson(value: unknown): Promise<void> {
    await this.write(this.io.stdout, `${JSON.stringify(value, null, 2)}\n`);
  }

  /** A line on stderr, redacted. */
  note(line: string): void {
    this.io.stderr.write(`${this.redactor.text(line)}\n`);
  }

  write(stream: NodeJS.WritableStream, text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const ok = stream.write(text, (error) => (error ? reject(error) : undefined));
      if (ok) resolve();
      else stream.once("drain", resolve);
    });
  }

  /**
   * JSON input from `--data`, `--file` (`-` for stdin) or, when neither is given and stdin is not
   * a terminal, stdin.
   */
  async readJsonInput(options: { data?: string; file?: string }, what: string): Promise<unknown> {
    if (options.data !== undefined && options.file !== undefined) throw new CliUsageError("Give --data or --file, not both.");
    let text: string;
    let source: string;
    if (options.data !== undefined) {
      text = options.data;
      source = "--data";
    } else if (options.file !== undefined && options.file !== "-") {
      try {
        text = await readFile(options.file, "utf8");
      } catch (error) {
        throw new CliUsageError(`Cannot read ${options.file} (${(error as { code?: string }).code ?? "error"}).`);
      }
      source = options.file;
    } else if (options.file === "-" || !this.io.stdin.isTTY) {
      text = await readStream(this.io.stdin);
      source = "stdin";
    } else {
      throw new CliUsageError(`No input: pass ${what} as JSON with --data '<json>', --file <path>, or on stdin.`);
    }
    if (text.trim() === "") throw new CliUsageError(`No input: ${source} is empty; ${what} is expected as JSON.`);
    try {
      return JSON.parse(text);
    } catch (error) {
      const position = /position (\d+)/.exec(String((error as Error).message))?.[1];
      throw new CliUsageError(`The input from ${source} is not valid JSON${position ? ` (error at character ${position})` : ""}.`, "INVALID_JSON");
    }
  }

  /** All of stdin as text. */
  stdinText(): Promise<string> {
    return readStream(this.io.stdin);
  }

  #stderrLogger(level: LogLevel): Logger {
    const order: LogLevel[] = ["trace", "debug", "info", "warn", "error"];
    const min = order.indexOf(level);
    const make = (l: LogLevel) => (obj: Record<string, unknown>, msg?: string) => {
      if (order.indexOf(l) < min) return;
      const fields = Object.keys(obj).length > 0 ? ` ${JSON.stringify(this.redactor.value(obj))}` : "";
      this.note(`zcrm [${l}] ${msg ?? ""}${fields}`);
    };
    return { trace: make("trace"), debug: make("debug"), info: make("info"), warn: make("warn"), error: make("error") };
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** Comma-separated list flag → array (empty items dropped). */
export function commaList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return items.length > 0 ? items : undefined;
}

/** A whole-number flag from 1 (to `max`, when given): checked before anything is sent, naming the flag. */
export function positiveInt(name: string, max?: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a whole number >= 1 (got ${JSON.stringify(value)}).`);
    if (max !== undefined && n > max) throw new InvalidArgumentError(`${name} is at most ${max} (got ${n}): Zoho's limit.`);
    return n;
  };
}

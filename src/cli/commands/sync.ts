/**
 * `zcrm sync --to <database url> --modules Leads,Contacts [--watch]`: mirrors modules into SQL
 * (`zcrm-typed/sync`), once or — with --watch — kept current by Zoho's notifications plus a
 * polling fallback. Progress per module on a terminal, JSON lines otherwise, a summary at the end.
 * SIGINT/SIGTERM stop at the next commit (what is committed stays; the next run resumes).
 * Several processes may sync the same database: each module is synced by one worker at a time.
 */
import { InvalidArgumentError, Option, type Command } from "commander";
import type { SyncEvent, SyncSummary } from "../../sync/progress.js";
import type { CliContext } from "../context.js";
import { commaList } from "../context.js";
import { CliFailure, CliUsageError } from "../exit-codes.js";
import { jsonSyncOutput, ttySyncOutput, type SyncOutput } from "../sync-progress.js";
import { openSyncTarget, parseSyncTarget, SYNC_PASSWORD_ENV } from "../sync-target.js";

interface SyncFlags {
  to: string;
  modules: string;
  prefix: string;
  hardDelete?: boolean;
  initialLoad: "auto" | "bulk" | "rest";
  watch?: boolean;
  listen: { host: string; port: number };
  notifyUrl?: string;
  pollInterval: number;
  workerId?: string;
  json?: boolean;
}

const DEFAULT_LISTEN = "127.0.0.1:8787";

/** `host:port` or `[v6]:port`. */
export function parseListen(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[3]) : Number.NaN;
  if (!match || port > 65535) throw new InvalidArgumentError(`--listen must be host:port, e.g. ${DEFAULT_LISTEN} (got ${JSON.stringify(value)}).`);
  return { host: (match[1] ?? match[2])!, port };
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`--poll-interval must be a number of seconds > 0 (got ${JSON.stringify(value)}).`);
  return n;
}

const SYNC_HELP = `
--to takes a database URL:
  sqlite:./crm.sqlite                      a SQLite file (better-sqlite3)
  mysql://user:password@host:3306/db       MySQL (mysql2); mariadb://... for MariaDB
  postgres://user:password@host:5432/db    PostgreSQL (pg); postgresql:// too
Better leave the password out of the URL and set ${SYNC_PASSWORD_ENV}: command lines show up
in process lists. It is never printed.

Tables: <prefix><module> (e.g. zoho_leads) with one column per field, plus <prefix>sync_state
(checkpoints and leases: several zcrm sync processes may share a database; each module is synced
by one of them at a time). Deleted records get deleted_at set, or are removed with --hard-delete.

--watch keeps the mirror current: after a full run, a receiver listens on --listen for Zoho's
notifications (/actions/watch, channel token verified) and pulls a notified module at once; the
channel is renewed before it expires, and every module is pulled every --poll-interval seconds
anyway, since notifications can be lost. Zoho only notifies a public https URL: put a tunnel or
reverse proxy in front of the receiver and give its URL with --notify-url (path /zcrm/notify).
The token needs the ZohoCRM.notifications.ALL scope (and ZohoCRM.bulk.read for bulk loads).

Output: on a terminal, progress per module (records, records/s) and a summary table; otherwise
(or with --json) one JSON line per event and a last line {"type":"summary",...}.
Ctrl-C (SIGINT) or SIGTERM stops at the next commit; run again to resume.`;

export function registerSyncCommand(program: Command, ctx: CliContext): void {
  program
    .command("sync")
    .description("Mirror modules into SQL (SQLite, MySQL/MariaDB, PostgreSQL), once or kept current with --watch")
    .requiredOption("--to <url>", "database URL: sqlite:<path>, mysql://, mariadb://, postgres://")
    .requiredOption("--modules <list>", "comma-separated module API names, e.g. Leads,Contacts")
    .option("--prefix <prefix>", "table name prefix", "zoho_")
    .option("--hard-delete", "delete rows of records deleted in Zoho (default: set deleted_at)")
    .addOption(
      new Option("--initial-load <how>", "first load of a module: bulk read, REST pages, or bulk with REST fallback")
        .choices(["auto", "bulk", "rest"])
        .default("auto"),
    )
    .option("--watch", "stay running: pull on Zoho notifications, and poll as a fallback")
    .addOption(
      new Option("--listen <host:port>", "with --watch: where the notification receiver listens")
        .argParser(parseListen)
        .default(parseListen(DEFAULT_LISTEN), DEFAULT_LISTEN),
    )
    .option("--notify-url <url>", "with --watch: the public URL Zoho POSTs to (a tunnel or proxy to --listen)")
    .option("--poll-interval <seconds>", "with --watch: pull every module this often anyway", seconds, 600)
    .option("--worker-id <id>", "this worker's name in the lease rows (default host:pid:random)")
    .option("--json", "JSON lines even on a terminal")
    .addHelpText("after", SYNC_HELP)
    .action(async (flags: SyncFlags, command: Command) => {
      const modules = commaList(flags.modules);
      if (!modules) throw new CliUsageError("--modules names no module; e.g. --modules Leads,Contacts.");
      if (!/^[A-Za-z0-9_]{0,30}$/.test(flags.prefix)) throw new CliUsageError("--prefix may hold letters, digits and _ (at most 30), e.g. zoho_.");
      if (!flags.watch) {
        const watchOnly = ["listen", "notifyUrl", "pollInterval"].filter((key) => command.getOptionValueSource(key) === "cli");
        if (watchOnly.length > 0) throw new CliUsageError("--listen, --notify-url and --poll-interval only apply with --watch.");
      }
      const target = parseSyncTarget(flags.to, ctx.io.cwd, ctx.io.env);
      ctx.redactor.add(target.password);
      const stdout = ctx.io.stdout as NodeJS.WritableStream & { isTTY?: boolean };
      const output: SyncOutput = stdout.isTTY && !flags.json ? ttySyncOutput(stdout, ctx.io.stderr) : jsonSyncOutput(stdout);
      const crm = await ctx.client(command);
      const dataSource = await openSyncTarget(target);
      const stop = new AbortController();
      const onSignal = (signal: NodeJS.Signals) =>
        stop.abort(new CliFailure(`Stopped by ${signal}; what was committed stays: run zcrm sync again to resume.`, "INTERRUPTED"));
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        const { syncModules, watchModules } = await import("../../sync/index.js");
        const common = {
          crm,
          dataSource,
          modules,
          tablePrefix: flags.prefix,
          hardDeletes: flags.hardDelete === true,
          initialLoad: flags.initialLoad,
          workerId: flags.workerId,
          signal: stop.signal,
          onProgress: (event: SyncEvent) => output.event(event),
        };
        if (!flags.watch) {
          output.summary(await runOnce(() => syncModules(common), output, stop.signal));
          return;
        }
        const handle = await watchModules({ ...common, listen: flags.listen, notifyUrl: flags.notifyUrl, pollIntervalMs: flags.pollInterval * 1000 });
        try {
          output.summary(await runOnce(() => handle.ready, output, stop.signal), { phase: "initial" });
        } catch (error) {
          await handle.stop();
          throw error;
        }
        output.note(`Watching ${modules.join(", ")} (Ctrl-C to stop).`);
        await handle.done;
        output.note("Stopped watching: the notification channel is disabled.");
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        await dataSource.destroy().catch(() => undefined);
      }
    });
}

/** Awaits a run; a failed one still shows its summary, an interrupted one says how to resume. */
async function runOnce(run: () => Promise<SyncSummary>, output: SyncOutput, signal: AbortSignal): Promise<SyncSummary> {
  try {
    return await run();
  } catch (error) {
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new CliFailure("Stopped; run zcrm sync again to resume.", "INTERRUPTED");
    const partial = (error as { summary?: SyncSummary } | null)?.summary;
    if (partial) output.summary(partial, { failed: true });
    throw error;
  }
}

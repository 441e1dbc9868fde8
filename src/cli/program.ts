/**
 * The `zcrm` command line: global connection options, the command groups, and the mapping of
 * errors to one stderr line and an exit code (see EXIT_CODES_HELP). `runCli()` never calls
 * `process.exit`; it resolves to the exit code.
 */
import { Command, CommanderError, Option } from "commander";
import { ZohoApiError, ZohoConfigError, ZohoError } from "../errors.js";
import { SDK_VERSION } from "../version.js";
import { CliContext, type CliIO } from "./context.js";
import { ENV_VARS } from "./config.js";
import { SHARED_ENV_VARS } from "./shared-concurrency-config.js";
import { CliFailure, CliUsageError, EXIT, EXIT_CODES_HELP, exitCodeFor, type ExitCode } from "./exit-codes.js";
import { UnknownModuleError } from "../codegen/fetch-metadata.js";
import { registerAuthCommands } from "./commands/auth.js";
import { registerCoqlCommand } from "./commands/coql.js";
import { registerEmulatorCommand } from "./commands/emulator.js";
import { registerExportCommand } from "./commands/export.js";
import { registerGenTypesCommand } from "./commands/gen-types.js";
import { registerRecordCommands } from "./commands/records.js";
import { registerSyncCommand } from "./commands/sync.js";

const CONFIG_HELP = `Configuration (flags > environment variables > config file):
  --client-id          ${ENV_VARS.clientId}
  --client-secret      ${ENV_VARS.clientSecret} (prefer the variable: flags show up in process lists)
  --redirect-uri       ${ENV_VARS.redirectUri}
  --user               ${ENV_VARS.user} (default: the only user in the token file)
  --data-center        ${ENV_VARS.dataCenter} (us eu in au jp cn ca sa uk)
  --environment        ${ENV_VARS.environment} (production sandbox developer)
  --accounts-url       ${ENV_VARS.accountsUrl}
  --api-base-url       ${ENV_VARS.apiBaseUrl}
  --api-version        ${ENV_VARS.apiVersion} (v2 v2.1)
  --token-file         ${ENV_VARS.tokenFile} (JSON token file; default: SQLite at ./.zcrm/tokens.sqlite)
  --timeout            ${ENV_VARS.timeoutMs}
  --retries            ${ENV_VARS.retries} (retries of reads and provably unprocessed writes; 0: none)
  --redis-url          ${SHARED_ENV_VARS.redisUrl}: share the org's concurrency cap with every process on this
                       Redis (redis://[:password@]host:6379[/db]; needs the ioredis package; never printed)
  --shared-concurrency ${SHARED_ENV_VARS.sharedConcurrency} (required with --redis-url: your org's limit, 5–25 by edition)
  --shared-concurrency-key ${SHARED_ENV_VARS.sharedConcurrencyKey} (the Redis key of the pool; one per org;
                       default zcrm-typed:concurrency, as the SDK's)
  --config             ${ENV_VARS.config}: a JSON file with the client options (clientId, clientSecret,
                       redirectUri, user, dataCenter, accountsUrl, apiBaseUrl, tokenFile, redisUrl,
                       sharedConcurrency (a number), sharedConcurrencyKey, ...) or the
                       Python SDK's dictionary (client_id, client_secret, redirect_uri, currentUserEmail,
                       token_persistence_path, ...).
Secrets and tokens are never printed, not even with --verbose.`;

export function buildProgram(ctx: CliContext): Command {
  const program = new Command("zcrm");
  program
    .description("Zoho CRM from the command line (zcrm-typed): OAuth tokens, records, COQL, exports, SQL mirrors, org types, a local emulator")
    .version(SDK_VERSION, "-V, --version")
    .option("--config <file>", "JSON config file (ours or the Python SDK's keys)")
    .option("--client-id <id>", "OAuth client id")
    .option("--client-secret <secret>", "OAuth client secret")
    .option("--redirect-uri <uri>", "OAuth redirect URI")
    .option("--user <email>", "the Zoho user whose tokens to use")
    .option("--data-center <dc>", "us eu in au jp cn ca sa uk")
    .option("--environment <env>", "production sandbox developer")
    .option("--accounts-url <url>", "Zoho Accounts base URL (e.g. an emulator's)")
    .option("--api-base-url <url>", "CRM API base URL (overrides the token's api_domain)")
    .option("--api-version <version>", "v2 or v2.1")
    .option("--token-file <path>", "keep tokens in this JSON file")
    .option("--timeout <ms>", "per-request timeout in ms")
    .option("--retries <n>", "retries of idempotent calls (default 3; 0 turns them off)")
    .option("--redis-url <url>", "Redis holding the org-wide concurrency cap shared by every process (needs ioredis)")
    .option("--shared-concurrency <n>", "with --redis-url: concurrent calls allowed across all processes (your org's limit)")
    .option("--shared-concurrency-key <key>", "with --redis-url: the Redis key of the org's pool (default zcrm-typed:concurrency)")
    .addOption(new Option("-v, --verbose", "debug logging and error details on stderr (redacted)"))
    .addHelpText("after", `\n${CONFIG_HELP}\n\n${EXIT_CODES_HELP}\n`);
  registerAuthCommands(program, ctx);
  registerRecordCommands(program, ctx);
  registerCoqlCommand(program, ctx);
  registerExportCommand(program, ctx);
  registerSyncCommand(program, ctx);
  registerGenTypesCommand(program, ctx);
  registerEmulatorCommand(program, ctx);
  // Every command: commander's errors come back as exceptions (no process.exit), same output routing.
  const configure = (command: Command) => {
    command.exitOverride();
    command.configureOutput({
      writeOut: (text) => ctx.io.stdout.write(text),
      writeErr: (text) => ctx.io.stderr.write(text),
      // Usage errors: one line, like every other error (`zcrm: unknown command 'x' (see zcrm --help)`).
      outputError: (text, write) => write(`zcrm: ${oneLine(text.replace(/^error: /, ""))} (see zcrm ${[...commandPath(command), "--help"].join(" ")})\n`),
    });
    command.commands.forEach(configure);
  };
  configure(program);
  return program;
}

function commandPath(command: Command): string[] {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names;
}

/** One line for stderr: multi-line messages (config problems) joined with "; ". */
function oneLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/^- /, ""))
    .filter((l) => l !== "");
  return lines.reduce((out, line, i) => (i === 0 ? line : `${out}${out.endsWith(":") ? " " : "; "}${line}`), "");
}

/** SDK option names in a configuration error, as the CLI's own flags and variables. */
const CLI_SPELLING: Record<string, string> = {
  clientId: `--client-id / ${ENV_VARS.clientId}`,
  clientSecret: `${ENV_VARS.clientSecret} (or --client-secret)`,
  redirectUri: `--redirect-uri / ${ENV_VARS.redirectUri}`,
  user: `--user / ${ENV_VARS.user}`,
  accountsUrl: `--accounts-url / ${ENV_VARS.accountsUrl}`,
  apiBaseUrl: `--api-base-url / ${ENV_VARS.apiBaseUrl}`,
  dataCenter: `--data-center / ${ENV_VARS.dataCenter}`,
};

function cliHint(error: unknown): string {
  if (!(error instanceof ZohoConfigError)) return "";
  const spelled = error.keys.map((key) => CLI_SPELLING[key]).filter((s): s is string => s !== undefined);
  return spelled.length > 0 && !spelled.every((s) => describe(error).includes(s.split(" ")[0]!)) ? ` (zcrm: ${spelled.join(", ")})` : "";
}

function describe(error: unknown): string {
  if (error instanceof Error) return oneLine(error.message);
  return oneLine(String(error));
}

function details(error: unknown): string[] {
  const lines: string[] = [];
  if (error instanceof ZohoError) {
    const fields: Record<string, unknown> = { kind: error.kind, code: error.code };
    for (const key of ["status", "method", "url", "user", "reauthRequired", "keys", "details"]) {
      const value = (error as unknown as Record<string, unknown>)[key];
      if (value !== undefined && !(typeof value === "object" && value !== null && Object.keys(value).length === 0)) fields[key] = value;
    }
    lines.push(JSON.stringify(fields));
  } else if (error && typeof error === "object" && "code" in error) {
    lines.push(JSON.stringify({ code: (error as { code: unknown }).code }));
  }
  if (error instanceof Error && error.stack) lines.push(error.stack);
  let cause = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; cause instanceof Error && depth < 3; depth += 1) {
    lines.push(`caused by: ${cause.stack ?? cause.message}`);
    cause = cause.cause;
  }
  return lines;
}

export async function runCli(argv: readonly string[], io: CliIO): Promise<ExitCode> {
  const ctx = new CliContext(io);
  const program = buildProgram(ctx);
  ctx.verbose = argv.includes("--verbose") || argv.includes("-v");
  try {
    await program.parseAsync([...argv], { from: "user" });
    return EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? EXIT.OK : EXIT.API_OR_USAGE;
    }
    const code = exitCodeFor(error);
    const prefix = error instanceof ZohoApiError ? "zcrm: API error: " : "zcrm: ";
    const unexpected =
      !(error instanceof ZohoError) && !(error instanceof CliUsageError) && !(error instanceof CliFailure) && !(error instanceof UnknownModuleError);
    ctx.note(`${prefix}${describe(error)}${cliHint(error)}${unexpected && !ctx.verbose ? " (run with --verbose for details)" : ""}`);
    if (ctx.verbose) for (const line of details(error)) ctx.note(line);
    return code;
  } finally {
    await ctx.close();
  }
}

/**
 * `zcrm emulator --port N`: runs the local Zoho CRM + Accounts emulator (src/emulator) and prints
 * its URL on stdout; stops cleanly on SIGINT/SIGTERM.
 */
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { CliUsageError } from "../exit-codes.js";

interface EmulatorFlags {
  port: string;
  host?: string;
  seed?: string;
  seedRecords: boolean;
  persist?: string;
}

export function registerEmulatorCommand(program: Command, ctx: CliContext): void {
  program
    .command("emulator")
    .description("Run a local, stateful Zoho CRM + Accounts emulator (for tests and demos) until SIGINT/SIGTERM")
    .option("-p, --port <port>", "TCP port (0 picks a free one)", "0")
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--seed <seed>", "seed of the generated sample data")
    .option("--no-seed-records", "start with empty modules")
    .option("--persist <file>", "keep data and tokens in this SQLite file across restarts")
    .addHelpText("after", "\nPoint the CLI or the SDK at it with --accounts-url <url> --api-base-url <url>.")
    .action(async (flags: EmulatorFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliUsageError(`--port must be 0-65535 (got ${JSON.stringify(flags.port)}).`);
      const { startEmulator } = await import("../../emulator/index.js");
      const emulator = await startEmulator({
        port,
        ...(flags.host ? { host: flags.host } : {}),
        ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
        seedRecords: flags.seedRecords,
        ...(flags.persist ? { persistPath: flags.persist } : {}),
      });
      await ctx.write(ctx.io.stdout, `${emulator.url}\n`);
      ctx.note(`zcrm: Zoho CRM emulator listening on ${emulator.url} (Ctrl-C to stop).`);
      ctx.note(
        `zcrm: connect with --client-id ${emulator.clientId} --accounts-url ${emulator.url} --api-base-url ${emulator.url} and ZCRM_CLIENT_SECRET set to the emulator's client secret (EMULATOR_CLIENT_SECRET); mint a grant token with POST ${emulator.url}/emulator/grant (Content-Type: application/json, body {}).`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          resolve();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      await emulator.close();
      ctx.note("zcrm: emulator stopped.");
    });
}

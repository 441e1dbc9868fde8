/**
 * `zcrm emulator --port N`: runs the local Zoho CRM + Accounts emulator (src/emulator), prints its
 * URL on stdout and how to connect on stderr (the emulator's own, test-only client credentials);
 * stops cleanly on SIGINT/SIGTERM. `zcrm emulator grant` mints a grant token from a running one.
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
  records?: string;
}

export function registerEmulatorCommand(program: Command, ctx: CliContext): void {
  const emulatorCommand = program
    .command("emulator")
    .description("Run a local, stateful Zoho CRM + Accounts emulator (for tests and demos) until SIGINT/SIGTERM")
    .option("-p, --port <port>", "TCP port (0 picks a free one)", "0")
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--seed <seed>", "seed of the generated sample data")
    .option("--no-seed-records", "start with empty modules")
    .option("--persist <file>", "keep data and tokens in this SQLite file across restarts")
    .option("--records <n>", "also generate N realistic records per module (Accounts, Contacts, Deals, Leads), deterministic from --seed")
    .addHelpText(
      "after",
      `
Then, in another terminal (the three commands from an emulator to an API call):
  export ZCRM_CLIENT_ID=<printed> ZCRM_CLIENT_SECRET=<printed> ZCRM_ACCOUNTS_URL=<printed URL>
  zcrm auth exchange "$(zcrm emulator grant)"
  zcrm whoami`,
    )
    .action(async (flags: EmulatorFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliUsageError(`--port must be 0-65535 (got ${JSON.stringify(flags.port)}).`);
      const records = flags.records === undefined ? 0 : Number(flags.records);
      if (!Number.isSafeInteger(records) || records < 0)
        throw new CliUsageError(`--records must be a whole number >= 0 (got ${JSON.stringify(flags.records)}).`);
      const { startEmulator } = await import("../../emulator/index.js");
      const emulator = await startEmulator({
        port,
        ...(flags.host ? { host: flags.host } : {}),
        ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
        seedRecords: flags.seedRecords,
        ...(flags.persist ? { persistPath: flags.persist } : {}),
        ...(records > 0 ? { generatedRecords: records } : {}),
      });
      await ctx.write(ctx.io.stdout, `${emulator.url}\n`);
      // The emulator's client secret is a fixed, test-only value (EMULATOR_CLIENT_SECRET): printing it is the point.
      ctx.io.stderr.write(
        [
          `zcrm: Zoho CRM emulator (Zoho Accounts and the CRM API) on ${emulator.url} — Ctrl-C to stop.`,
          "zcrm: connect with its test-only client credentials:",
          `  export ZCRM_CLIENT_ID=${emulator.clientId} ZCRM_CLIENT_SECRET=${emulator.clientSecret} ZCRM_ACCOUNTS_URL=${emulator.url}`,
          `  zcrm auth exchange "$(zcrm emulator grant)"   # a grant token from the emulator's consent shortcut`,
          "  zcrm whoami",
          "",
        ].join("\n"),
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

  emulatorCommand
    .command("grant")
    .description("Mint a grant token from a running emulator (its consent shortcut) and print it")
    .option("--url <url>", "the emulator's URL (default: --accounts-url / ZCRM_ACCOUNTS_URL)")
    .option("--for <email>", "the consenting user (default: the emulator's seeded admin)")
    .action(async (flags: { url?: string; for?: string }, command: Command) => {
      const config = await ctx.config(command);
      const url = flags.url ?? config.options.accountsUrl;
      if (!url) throw new CliUsageError("Which emulator? Pass --url <url> or set ZCRM_ACCOUNTS_URL to the URL `zcrm emulator` printed.");
      // A script may ask right after starting the emulator in the background: give it a moment to listen.
      let response: Response | undefined;
      for (let attempt = 0; response === undefined; attempt++) {
        try {
          response = await fetch(`${url.replace(/\/+$/, "")}/emulator/grant`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(flags.for ? { user: flags.for } : {}),
          });
        } catch {
          if (attempt >= 100) throw new CliUsageError(`No emulator answers at ${url}: start one with \`zcrm emulator\`.`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      const body = (await response.json().catch(() => undefined)) as { code?: unknown } | undefined;
      if (!response.ok || typeof body?.code !== "string")
        throw new CliUsageError(`${url} did not mint a grant token (HTTP ${response.status}): is it a zcrm emulator?`);
      await ctx.write(ctx.io.stdout, `${body.code}\n`);
    });
}

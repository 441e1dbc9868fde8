/**
 * `zcrm auth exchange <grant>`, `zcrm auth status`, `zcrm auth revoke`, `zcrm whoami`. Token
 * values are never printed: only who, until when, and on which API host.
 */
import type { Command } from "commander";
import type { TokenStatus } from "../../auth/token-manager.js";
import { ZohoAuthError } from "../../errors.js";
import { apiError } from "../../api-error.js";
import type { CliContext } from "../context.js";
import { CliUsageError } from "../exit-codes.js";

function statusJson(status: TokenStatus): Record<string, unknown> {
  return {
    user: status.user,
    expiresAt: new Date(status.expiresAt).toISOString(),
    expired: status.expired,
    apiDomain: status.apiDomain ?? null,
    hasRefreshToken: status.hasRefreshToken,
  };
}

export function registerAuthCommands(program: Command, ctx: CliContext): void {
  const auth = program.command("auth").description("Exchange, inspect and revoke OAuth tokens");

  auth
    .command("exchange")
    .description("Exchange a grant token (the `code` from Zoho's consent redirect or the API console's self client) for tokens, and store them")
    .argument("<grant>", "the single-use grant token; `-` reads it from stdin")
    .action(async (grant: string, _options: unknown, command: Command) => {
      if (grant === "-") grant = (await ctx.stdinText()).trim();
      ctx.redactor.add(grant);
      const crm = await ctx.client(command, { needsUser: false });
      const status = await crm.auth.exchangeGrantToken(grant);
      await ctx.rememberUser(status.user); // later commands act as this user without --user
      await ctx.printJson(statusJson(status));
    });

  auth
    .command("import")
    .description(
      "Start from a refresh token you already hold (the API console's Self Client): refresh at once to prove it works, find whose it is, and store the tokens",
    )
    .argument("[refresh-token]", "the refresh token; `-` or nothing reads it from stdin (keeps it out of shell history and process lists)")
    .action(async (token: string | undefined, _options: unknown, command: Command) => {
      if (token === undefined || token === "-") {
        if (token === undefined && ctx.io.stdin.isTTY)
          throw new CliUsageError("Pass the refresh token on stdin (e.g. `zcrm auth import < token.txt`), or as an argument.");
        token = (await ctx.stdinText()).trim();
      }
      ctx.redactor.add(token);
      const crm = await ctx.client(command, { needsUser: false });
      const status = await crm.auth.importRefreshToken(token);
      await ctx.rememberUser(status.user);
      await ctx.printJson(statusJson(status));
    });

  auth
    .command("status")
    .description("Show whose tokens are stored, until when the access token is valid, and the API host (never the tokens)")
    .action(async (_options: unknown, command: Command) => {
      const crm = await ctx.client(command);
      const status = await crm.auth.status();
      if (!status) {
        throw new ZohoAuthError(`No tokens are stored for ${crm.config.user ?? "this user"}: run \`zcrm auth exchange <grant>\` first.`, {
          code: "NO_TOKENS",
          user: crm.config.user,
          reauthRequired: true,
        });
      }
      await ctx.printJson(statusJson(status));
    });

  auth
    .command("revoke")
    .description("Revoke the refresh token at Zoho and delete the stored tokens")
    .action(async (_options: unknown, command: Command) => {
      const crm = await ctx.client(command);
      const user = crm.config.user;
      await crm.auth.revoke();
      await ctx.printJson({ revoked: true, user: user ?? null });
    });

  program
    .command("whoami")
    .description("Show the CRM user the stored tokens act for")
    .action(async (_options: unknown, command: Command) => {
      const crm = await ctx.client(command);
      const { data, error, response } = await crm.GET("/crm/v2/users", { params: { query: { type: "CurrentUser" } } });
      if (error !== undefined || !data) throw apiError("Reading the current user", "GET", { error, response });
      const user = data.users[0];
      await ctx.printJson(user ?? null);
    });
}

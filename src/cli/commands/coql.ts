/**
 * `zcrm coql "<query>"`: runs a COQL SELECT and prints the matching records as a JSON array
 * (an empty array when nothing matches: Zoho's 204).
 */
import type { Command } from "commander";
import { apiError } from "../../api-error.js";
import type { CliContext } from "../context.js";
import { CliUsageError } from "../exit-codes.js";

export function registerCoqlCommand(program: Command, ctx: CliContext): void {
  program
    .command("coql")
    .description("Run a COQL query (select ... from <Module> where ... limit offset, count) and print the records as a JSON array")
    .argument("<query>", "the COQL SELECT statement; `-` reads it from stdin")
    .action(async (query: string, _flags: unknown, command: Command) => {
      if (query === "-") query = (await ctx.stdinText()).trim();
      if (query.trim() === "")
        throw new CliUsageError('coql needs a query, e.g. zcrm coql "select Last_Name from Leads where Last_Name is not null limit 10".');
      const crm = await ctx.client(command);
      const { data, error, response } = await crm.POST("/crm/v2/coql", { body: { select_query: query } });
      if (error !== undefined || !response.ok) throw apiError("COQL query", "POST", { error, response });
      await ctx.printJson(data?.data ?? []);
      if (data?.info?.more_records === true) ctx.note("zcrm: more records match: raise the LIMIT or page with `limit <offset>, <count>`.");
    });
}

/**
 * `zcrm gen-types [--modules Leads,Deals] [-o src/zoho-types.ts]`: reads the org's module, field
 * and layout metadata and writes TypeScript record types for it (see src/codegen/gen-types.ts),
 * used as `crm.modules<OrgModules>()` — the one spelling the README documents too.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { fetchOrgMetadata } from "../../codegen/fetch-metadata.js";
import { generateOrgTypes } from "../../codegen/gen-types.js";
import type { CliContext } from "../context.js";
import { commaList } from "../context.js";

export function registerGenTypesCommand(program: Command, ctx: CliContext): void {
  program
    .command("gen-types")
    .description("Generate TypeScript types of the org's modules (records, create and update inputs, picklist unions) from its metadata")
    .option("--modules <list>", "comma-separated module API names (default: every module the API supports)")
    .option("-o, --output <file>", "file to write (default: stdout)")
    .addHelpText(
      "after",
      [
        "",
        "Use the output with the client:",
        '  import type { OrgModules } from "./zoho-types.js";',
        '  const leads = crm.modules<OrgModules>()("Leads");',
        "A module in the file is typed by it (standard fields as your org has them, plus custom fields);",
        "other standard modules by the types zcrm-typed ships, as crm.module() is; any other name by the open record.",
      ].join("\n"),
    )
    .action(async (flags: { modules?: string; output?: string }, command: Command) => {
      const modules = commaList(flags.modules);
      const crm = await ctx.client(command);
      const metadata = await fetchOrgMetadata(crm, modules ? { modules } : {});
      const status = await crm.auth.status().catch(() => undefined);
      const source = new URL(crm.config.apiBaseUrl ?? status?.apiDomain ?? crm.config.defaultApiBaseUrl).origin;
      const text = generateOrgTypes({ ...metadata, source, command: `zcrm gen-types${modules ? ` --modules ${modules.join(",")}` : ""}` });
      if (flags.output && flags.output !== "-") {
        const file = path.resolve(ctx.io.cwd, flags.output);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, text, "utf8");
        ctx.note(`Wrote types of ${metadata.modules.length} modules (${metadata.modules.map((m) => m.api_name).join(", ")}) to ${flags.output}.`);
      } else {
        await ctx.write(ctx.io.stdout, text);
      }
    });
}

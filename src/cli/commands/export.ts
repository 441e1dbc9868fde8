/**
 * `zcrm export <Module> --format csv|ndjson -o file`: streams every record page by page to the
 * file (memory stays at one page), with a progress line on stderr. The file appears only when the
 * export is complete: it is written next to the target and renamed at the end.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { rename, unlink } from "node:fs/promises";
import path from "node:path";
import { Option, type Command } from "commander";
import { createModuleApi } from "../../module-api.js";
import type { CliContext } from "../context.js";
import { commaList, positiveInt } from "../context.js";

/** Zoho returns at most 200 records per page. */
const MAX_PER_PAGE = 200;
import { columnsForFields, columnsOf, csvRow, recordRow } from "../csv.js";
import { ProgressLine } from "../progress.js";

interface ExportFlags {
  format: "csv" | "ndjson";
  output?: string;
  fields?: string;
  perPage?: number;
  max?: number;
}

export function registerExportCommand(program: Command, ctx: CliContext): void {
  program
    .command("export")
    .description("Export every record of a module to CSV or NDJSON, page by page (flat memory), with progress on stderr")
    .argument("<Module>", "module API name, e.g. Leads")
    .addOption(new Option("--format <format>", "output format").choices(["csv", "ndjson"]).default("csv"))
    .option("-o, --output <file>", "file to write (default: stdout)")
    .option(
      "--fields <list>",
      "comma-separated fields (CSV columns after `id`; `Owner.name` picks one part of a lookup). Default: every field of the first page",
    )
    .option("--per-page <n>", "records per API call (at most 200)", positiveInt("--per-page", MAX_PER_PAGE))
    .option("--max <n>", "stop after this many records", positiveInt("--max"))
    .addHelpText(
      "after",
      "\nCSV: a header row, RFC 4180 quoting, CRLF line ends; lookups become Owner.id / Owner.name columns;\nmulti-select values are joined with ';'; subform rows are written as JSON.",
    )
    .action(async (name: string, flags: ExportFlags, command: Command) => {
      const fields = commaList(flags.fields);
      const apiFields = fields ? [...new Set(fields.map((f) => f.split(".")[0]!))] : undefined;
      const module = createModuleApi(await ctx.client(command))(name);
      const target = flags.output && flags.output !== "-" ? path.resolve(ctx.io.cwd, flags.output) : undefined;
      const partial = target ? `${target}.partial-${process.pid}` : undefined;
      const stream: NodeJS.WritableStream = partial ? createWriteStream(partial, { flags: "w" }) : ctx.io.stdout;
      const progress = new ProgressLine(ctx.io.stderr);
      let count = 0;
      let columns: string[] | undefined;
      try {
        for await (const page of module.pages({
          ...(apiFields ? { fields: apiFields } : {}),
          ...(flags.perPage ? { perPage: flags.perPage } : {}),
          ...(flags.max ? { maxRecords: flags.max } : {}),
        })) {
          const records = page.records as Record<string, unknown>[];
          let chunk = "";
          if (flags.format === "ndjson") {
            for (const record of records) chunk += `${JSON.stringify(record)}\n`;
          } else {
            if (!columns) {
              columns = fields ? columnsForFields(fields.includes("id") ? fields : ["id", ...fields], records) : columnsOf(records);
              if (columns.length > 0) chunk += csvRow(columns);
            }
            for (const record of records) chunk += recordRow(record, columns);
          }
          await ctx.write(stream, chunk);
          count += records.length;
          progress.update(`Exporting ${name}: ${count} records (page ${page.page})`);
        }
        if (flags.format === "csv" && !columns && fields) await ctx.write(stream, csvRow(fields.includes("id") ? fields : ["id", ...fields]));
        if (partial && target) {
          await closeStream(stream as WriteStream);
          await rename(partial, target);
        }
      } catch (error) {
        if (partial) {
          (stream as WriteStream).destroy();
          await unlink(partial).catch(() => undefined);
        }
        throw error;
      }
      progress.done(`Exported ${count} ${name} records${target ? ` to ${flags.output}` : ""} (${flags.format}).`);
    });
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once("error", reject);
    stream.end(() => resolve());
  });
}

/**
 * `zcrm records list|get|create|update|upsert|delete|search <Module>`: JSON in (`--data`, `--file`,
 * stdin), JSON out. Writes go in 100-record calls and print one outcome per input record; the exit
 * code is 1 when any record failed.
 */
import { Option, type Command } from "commander";
import { createModuleApi, type ModuleApi, type GenericOrg, type ListResult, type WriteSummary } from "../../module-api.js";
import type { WriteResultItem } from "../../results.js";
import type { CliContext } from "../context.js";
import { commaList, positiveInt } from "../context.js";

/** Zoho returns at most 200 records per page. */
const MAX_PER_PAGE = 200;
import { CliFailure, CliUsageError } from "../exit-codes.js";

type AnyModule = ModuleApi<GenericOrg[string]>;

interface ListFlags {
  fields?: string;
  page?: number;
  perPage?: number;
  sortBy?: string;
  sortOrder?: "asc" | "desc";
  cvid?: string;
  all?: boolean;
  max?: number;
}

interface InputFlags {
  data?: string;
  file?: string;
  trigger?: string;
}

const TRIGGERS = ["workflow", "approval", "blueprint"] as const;

function inputOptions(command: Command, what: string): Command {
  return command
    .option("-d, --data <json>", `${what} as JSON (one object, an array, or {"data": [...]})`)
    .option("-f, --file <path>", `read ${what} from a JSON file (\`-\` for stdin); without --data or --file, stdin is read`);
}

function triggerOption(command: Command): Command {
  return command.option("--trigger <list>", `automations to run: comma-separated ${TRIGGERS.join(", ")}, or \`none\` (default: all)`);
}

function parseTrigger(value: string | undefined): Array<(typeof TRIGGERS)[number]> | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === "none") return [];
  const items = commaList(value) ?? [];
  const bad = items.filter((t) => !(TRIGGERS as readonly string[]).includes(t));
  if (bad.length > 0) throw new CliUsageError(`--trigger: unknown automation ${bad.join(", ")} (use ${TRIGGERS.join(", ")} or none).`);
  return items as Array<(typeof TRIGGERS)[number]>;
}

/** Records to write from the JSON input: an object, an array of objects, or Zoho's `{data: [...]}`. */
export function recordsFromInput(input: unknown): Record<string, unknown>[] {
  const list = Array.isArray(input)
    ? input
    : input && typeof input === "object" && Array.isArray((input as { data?: unknown }).data)
      ? (input as { data: unknown[] }).data
      : [input];
  if (list.length === 0) throw new CliUsageError("The input holds no records (an empty array).");
  list.forEach((item, index) => {
    if (!item || typeof item !== "object" || Array.isArray(item)) throw new CliUsageError(`Input record ${index} is not a JSON object.`);
  });
  return list as Record<string, unknown>[];
}

/** Ids to delete from the JSON input: strings, or objects with `id`. */
export function idsFromInput(input: unknown): string[] {
  const list = Array.isArray(input)
    ? input
    : input && typeof input === "object" && Array.isArray((input as { data?: unknown }).data)
      ? (input as { data: unknown[] }).data
      : [input];
  return list.map((item, index) => {
    if (typeof item === "string" && item.trim() !== "") return item;
    if (typeof item === "number" && Number.isFinite(item)) return String(item);
    if (item && typeof item === "object" && typeof (item as { id?: unknown }).id === "string") return (item as { id: string }).id;
    throw new CliUsageError(`Input item ${index} is neither an id nor an object with an "id".`);
  });
}

function listOptions(command: Command, { sorting }: { sorting: boolean }): Command {
  command
    .option("--fields <list>", "comma-separated field API names to return")
    .option("--page <n>", "page number, from 1", positiveInt("--page"))
    .option("--per-page <n>", "records per page (at most 200)", positiveInt("--per-page", MAX_PER_PAGE))
    .option("--all", "fetch every page (streams; prints one JSON array)")
    .option("--max <n>", "with --all: stop after this many records", positiveInt("--max"));
  if (sorting) {
    command
      .option("--sort-by <field>", "field API name to sort by")
      .addOption(new Option("--sort-order <order>", "sort direction").choices(["asc", "desc"]))
      .option("--cvid <id>", "custom view id");
  }
  return command;
}

/** Prints one JSON array item by item, so `--all` never holds more than a page. */
async function printArray(ctx: CliContext, items: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  await ctx.write(ctx.io.stdout, "[");
  for await (const item of items) {
    const text = JSON.stringify(item, null, 2).replace(/\n/g, "\n  ");
    await ctx.write(ctx.io.stdout, `${count === 0 ? "\n  " : ",\n  "}${text}`);
    count += 1;
  }
  await ctx.write(ctx.io.stdout, count === 0 ? "]\n" : "\n]\n");
  return count;
}

async function printPage(ctx: CliContext, result: ListResult<object>): Promise<void> {
  await ctx.printJson(result.records);
  if (result.moreRecords) ctx.note(`zcrm: more records exist: --page ${result.page + 1} for the next page, or --all for every page.`);
}

async function printWriteSummary(ctx: CliContext, action: string, summary: WriteSummary<unknown, WriteResultItem>): Promise<void> {
  const outcomes = [...summary.succeeded, ...summary.failed].sort((a, b) => a.index - b.index);
  await ctx.printJson({
    succeeded: summary.succeeded.length,
    failed: summary.failed.length,
    results: outcomes.map(({ index, result }) => ({ index, ...result })),
  });
  if (summary.failed.length > 0) {
    const first = summary.failed[0]!;
    throw new CliFailure(
      `${action}: ${summary.failed.length} of ${outcomes.length} records failed (first: record ${first.index}, ${first.result.code}: ${first.result.message}); the results are on stdout.`,
    );
  }
}

export function registerRecordCommands(program: Command, ctx: CliContext): void {
  const records = program.command("records").description("List, read, write, delete and search the records of a module");
  const moduleOf = async (command: Command, name: string): Promise<AnyModule> => createModuleApi(await ctx.client(command))(name);

  listOptions(
    records
      .command("list")
      .description("List records (one page, or every page with --all) as a JSON array")
      .argument("<Module>", "module API name, e.g. Leads"),
    { sorting: true },
  ).action(async (name: string, flags: ListFlags, command: Command) => {
    const module = await moduleOf(command, name);
    const common = {
      ...(commaList(flags.fields) ? { fields: commaList(flags.fields)! } : {}),
      ...(flags.sortBy ? { sortBy: flags.sortBy } : {}),
      ...(flags.sortOrder ? { sortOrder: flags.sortOrder } : {}),
      ...(flags.cvid ? { cvid: flags.cvid } : {}),
    };
    if (flags.all) {
      await printArray(
        ctx,
        module.iterate({ ...common, ...(flags.perPage ? { perPage: flags.perPage } : {}), ...(flags.max ? { maxRecords: flags.max } : {}) }),
      );
      return;
    }
    if (flags.max !== undefined) throw new CliUsageError("--max goes with --all.");
    await printPage(ctx, await module.list({ ...common, ...(flags.page ? { page: flags.page } : {}), ...(flags.perPage ? { perPage: flags.perPage } : {}) }));
  });

  records
    .command("get")
    .description("Get one record by id as a JSON object")
    .argument("<Module>", "module API name")
    .argument("<id>", "record id")
    .option("--fields <list>", "comma-separated field API names to return")
    .action(async (name: string, id: string, flags: { fields?: string }, command: Command) => {
      const module = await moduleOf(command, name);
      const fields = commaList(flags.fields);
      const record = await module.get(id, fields ? { fields } : {});
      if (record === undefined) throw new CliFailure(`No ${name} record has the id ${id}.`, "NOT_FOUND");
      await ctx.printJson(record);
    });

  triggerOption(
    inputOptions(
      records.command("create").description("Insert records (any number; sent 100 per call)").argument("<Module>", "module API name"),
      "the record(s)",
    ),
  ).action(async (name: string, flags: InputFlags, command: Command) => {
    const input = recordsFromInput(await ctx.readJsonInput(flags, "the records to create"));
    const trigger = parseTrigger(flags.trigger);
    const module = await moduleOf(command, name);
    await printWriteSummary(ctx, `Creating ${name} records`, await module.create(input, trigger ? { trigger } : {}));
  });

  triggerOption(
    inputOptions(records.command("update").description("Update records; each carries its `id`").argument("<Module>", "module API name"), "the record(s)"),
  ).action(async (name: string, flags: InputFlags, command: Command) => {
    const input = recordsFromInput(await ctx.readJsonInput(flags, "the records to update"));
    const missing = input.findIndex((r) => typeof r.id !== "string" || r.id === "");
    if (missing >= 0) throw new CliUsageError(`Input record ${missing} has no "id": updates need the id of each record.`);
    const trigger = parseTrigger(flags.trigger);
    const module = await moduleOf(command, name);
    await printWriteSummary(
      ctx,
      `Updating ${name} records`,
      await module.update(input as Array<Record<string, unknown> & { id: string }>, trigger ? { trigger } : {}),
    );
  });

  triggerOption(
    inputOptions(
      records.command("upsert").description("Insert records, or update those matching on the duplicate-check fields").argument("<Module>", "module API name"),
      "the record(s)",
    ).option("--duplicate-check-fields <list>", "comma-separated field API names that identify an existing record (default: the module's)"),
  ).action(async (name: string, flags: InputFlags & { duplicateCheckFields?: string }, command: Command) => {
    const input = recordsFromInput(await ctx.readJsonInput(flags, "the records to upsert"));
    const trigger = parseTrigger(flags.trigger);
    const duplicateCheckFields = commaList(flags.duplicateCheckFields);
    const module = await moduleOf(command, name);
    await printWriteSummary(
      ctx,
      `Upserting ${name} records`,
      await module.upsert(input, { ...(trigger ? { trigger } : {}), ...(duplicateCheckFields ? { duplicateCheckFields } : {}) }),
    );
  });

  inputOptions(
    records
      .command("delete")
      .description("Delete records by id (ids as arguments, or JSON input: ids or objects with `id`)")
      .argument("<Module>", "module API name")
      .argument("[ids...]", "record ids"),
    "the ids",
  ).action(async (name: string, ids: string[], flags: InputFlags, command: Command) => {
    const list = ids.length > 0 ? ids : idsFromInput(await ctx.readJsonInput(flags, "the ids to delete"));
    if (ids.length > 0 && (flags.data !== undefined || flags.file !== undefined))
      throw new CliUsageError("Give the ids as arguments or as JSON input, not both.");
    const module = await moduleOf(command, name);
    await printWriteSummary(ctx, `Deleting ${name} records`, await module.delete(list));
  });

  listOptions(
    records
      .command("search")
      .description("Search records with exactly one of --criteria, --email, --phone, --word; prints a JSON array")
      .argument("<Module>", "module API name")
      .option("--criteria <criteria>", "e.g. ((Last_Name:equals:Smith)and(City:starts_with:Lon))")
      .option("--email <email>", "match the module's email fields")
      .option("--phone <phone>", "match the module's phone fields")
      .option("--word <word>", "match any text field"),
    { sorting: false },
  ).action(async (name: string, flags: ListFlags & { criteria?: string; email?: string; phone?: string; word?: string }, command: Command) => {
    const given = (["criteria", "email", "phone", "word"] as const).filter((k) => flags[k] !== undefined);
    if (given.length !== 1)
      throw new CliUsageError(
        `records search needs exactly one of --criteria, --email, --phone, --word (got ${given.length === 0 ? "none" : given.map((k) => `--${k}`).join(", ")}).`,
      );
    const key = given[0]!;
    const query = { [key]: flags[key]! } as { criteria: string };
    const fields = commaList(flags.fields);
    const module = await moduleOf(command, name);
    if (flags.all) {
      const max = flags.max ?? Number.POSITIVE_INFINITY;
      async function* all(): AsyncIterable<unknown> {
        let count = 0;
        for (let page = 1; ; page += 1) {
          const result = await module.search(query, { page, perPage: flags.perPage ?? 200, ...(fields ? { fields } : {}) });
          for (const record of result.records) {
            if (count >= max) return;
            count += 1;
            yield record;
          }
          if (!result.moreRecords) return;
        }
      }
      await printArray(ctx, all());
      return;
    }
    if (flags.max !== undefined) throw new CliUsageError("--max goes with --all.");
    await printPage(
      ctx,
      await module.search(query, {
        ...(flags.page ? { page: flags.page } : {}),
        ...(flags.perPage ? { perPage: flags.perPage } : {}),
        ...(fields ? { fields } : {}),
      }),
    );
  });
}

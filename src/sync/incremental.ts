/**
 * Pulling what changed: records by `Modified_Time` and deletions since the module's checkpoint.
 *
 * Records are read in windows: `If-Modified-Since` names the second before the cursor's, sorted by
 * `Modified_Time` ascending, 200 a page, and each page is committed with the cursor it reaches. A
 * page that ends later than the window starts a new window at that second (page 1 again), so a
 * record edited while we read moves to the end of the list instead of shifting one past us. A page
 * that ends in the window's own second — a same-second group bigger than a page — is followed with
 * page + 1; such a group is read once more when it is left, to catch a record that an edit in the
 * meantime shifted across a page boundary. Records read twice are upserted as unchanged, so a
 * group's members are neither skipped nor duplicated, and a run killed anywhere resumes at its
 * last committed window.
 *
 * Deletions come from `/{module}/deleted?type=all` since the deletion checkpoint, which advances
 * to the newest deletion seen once all pages of it are applied. 304 and 204 mean "nothing".
 */
import { apiError } from "../api-error.js";
import { ZohoSyncError } from "../errors.js";
import { rowOf } from "./row-values.js";
import { commit, type SyncContext } from "./sync-context.js";
import { secondOf, sinceHeader, zohoTimeMs } from "./sync-time.js";

const PER_PAGE = 200;
/** Re-reads of a same-second group before giving up on it changing under us. */
const MAX_GROUP_PASSES = 5;

type ZohoRecord = Record<string, unknown> & { id?: unknown; Modified_Time?: unknown };
type Page = { records: ZohoRecord[]; more: boolean };

async function recordsPage(ctx: SyncContext, windowMs: number | undefined, page: number): Promise<Page> {
  const header = windowMs === undefined ? {} : { "If-Modified-Since": sinceHeader(windowMs) };
  const result = await ctx.crm.GET("/crm/v2/{module}", {
    params: { path: { module: ctx.module }, query: { sort_by: "Modified_Time", sort_order: "asc", per_page: PER_PAGE, page }, header },
  });
  const status = result.response.status;
  if (status === 304 || status === 204) return { records: [], more: false };
  if (result.error !== undefined || !result.data) throw apiError(`Listing changed ${ctx.module} records`, "GET", result);
  const body = result.data as { data?: ZohoRecord[]; info?: { more_records?: boolean } };
  const records = body.data ?? [];
  for (const record of records) {
    if (typeof record.id !== "string" || zohoTimeMs(record.Modified_Time) === undefined) {
      throw new ZohoSyncError(`Zoho listed a ${ctx.module} record without an id or Modified_Time; nothing of that page was applied. Run the sync again.`, {
        code: "SYNC_BAD_RESPONSE",
        module: ctx.module,
      });
    }
  }
  return { records, more: body.info?.more_records === true && records.length > 0 };
}

const timeOf = (record: ZohoRecord) => zohoTimeMs(record.Modified_Time) as number;

/** Commits a page's records with the cursor at its last record. */
async function apply(ctx: SyncContext, records: ZohoRecord[], mode: "rest" | "incremental"): Promise<void> {
  const last = records[records.length - 1];
  if (!last) return;
  const syncedAt = new Date(ctx.now());
  const rows = records.map((r) => rowOf(r, ctx.columns, { fromCsv: false, syncedAt }));
  await commit(ctx, rows, { ...ctx.state, cursorTime: String(last.Modified_Time), cursorId: String(last.id) });
  ctx.emit({ type: "progress", module: ctx.module, mode, records: ctx.counts.inserted + ctx.counts.updated + ctx.counts.unchanged });
}

/** Reads a same-second group's pages again until a pass finds no member the first reads missed. */
async function rereadGroup(ctx: SyncContext, second: number, seen: Set<string>, mode: "rest" | "incremental"): Promise<void> {
  for (let pass = 0; pass < MAX_GROUP_PASSES; pass++) {
    let found = false;
    for (let page = 1; ; page++) {
      const { records, more } = await recordsPage(ctx, second, page);
      const missed = records.filter((r) => secondOf(timeOf(r)) === second && !seen.has(r.id as string));
      if (missed.length > 0) {
        found = true;
        for (const r of missed) seen.add(r.id as string);
        // The cursor stays in this second: a record of it may still be unread.
        const syncedAt = new Date(ctx.now());
        await commit(
          ctx,
          missed.map((r) => rowOf(r, ctx.columns, { fromCsv: false, syncedAt })),
          ctx.state,
        );
        ctx.emit({ type: "progress", module: ctx.module, mode, records: ctx.counts.inserted + ctx.counts.updated + ctx.counts.unchanged });
      }
      const last = records[records.length - 1];
      if (!more || !last || secondOf(timeOf(last)) > second) break;
    }
    if (!found) return;
  }
}

/** Applies every record changed since the cursor (all of them when there is none yet). */
export async function pullRecords(ctx: SyncContext, mode: "rest" | "incremental"): Promise<void> {
  const cursor = zohoTimeMs(ctx.state.cursorTime);
  let windowMs = cursor === undefined ? undefined : secondOf(cursor);
  let page = 1;
  let group: Set<string> | undefined; // ids of a same-second group being paged through
  for (;;) {
    const { records, more } = await recordsPage(ctx, windowMs, page);
    const last = records[records.length - 1];
    if (!last) break;
    const lastSecond = secondOf(timeOf(last));
    const inGroup = windowMs !== undefined && lastSecond === windowMs && more;
    if (inGroup) {
      group ??= new Set();
      for (const r of records) if (secondOf(timeOf(r)) === windowMs) group.add(r.id as string);
    } else if (group && windowMs !== undefined) {
      for (const r of records) if (secondOf(timeOf(r)) === windowMs) group.add(r.id as string);
    }
    await apply(ctx, records, mode);
    if (inGroup) {
      page += 1;
      continue;
    }
    if (group && windowMs !== undefined) {
      await rereadGroup(ctx, windowMs, group, mode);
      group = undefined;
    }
    if (!more) break;
    windowMs = lastSecond;
    page = 1;
  }
}

type DeletedEntry = { id?: unknown; deleted_time?: unknown };

async function deletedPage(
  ctx: SyncContext,
  sinceMs: number | undefined,
  page: number,
  perPage = PER_PAGE,
): Promise<{ entries: DeletedEntry[]; more: boolean }> {
  const header = sinceMs === undefined ? {} : { "If-Modified-Since": sinceHeader(sinceMs) };
  const result = await ctx.crm.GET("/crm/v2/{module}/deleted", {
    params: { path: { module: ctx.module }, query: { type: "all", per_page: perPage, page }, header },
  });
  const status = result.response.status;
  if (status === 304 || status === 204) return { entries: [], more: false };
  if (result.error !== undefined || !result.data) throw apiError(`Listing deleted ${ctx.module} records`, "GET", result);
  const body = result.data as { data?: DeletedEntry[]; info?: { more_records?: boolean } };
  const entries = body.data ?? [];
  return { entries, more: body.info?.more_records === true && entries.length > 0 };
}

/**
 * The newest deletion in the module's recycle bin now (`null` when it is empty): deletions up to it
 * happened before the initial load began, so they need not be applied.
 */
export async function newestDeletion(ctx: SyncContext): Promise<string | null> {
  const { entries } = await deletedPage(ctx, undefined, 1);
  let newest: { text: string; ms: number } | undefined;
  for (const e of entries) {
    const ms = zohoTimeMs(e.deleted_time);
    if (ms !== undefined && (!newest || ms > newest.ms)) newest = { text: String(e.deleted_time), ms };
  }
  return newest?.text ?? null;
}

/** Applies every deletion since the deletion checkpoint, then advances it. */
export async function pullDeletions(ctx: SyncContext): Promise<void> {
  const since = zohoTimeMs(ctx.state.deletedSince);
  const sinceSecond = since === undefined ? undefined : secondOf(since);
  let newest: { text: string; ms: number } | undefined;
  for (let page = 1; ; page++) {
    const { entries, more } = await deletedPage(ctx, since, page);
    const deletions: Array<{ id: string; at: Date }> = [];
    for (const e of entries) {
      const ms = zohoTimeMs(e.deleted_time);
      if (typeof e.id !== "string" || ms === undefined) continue;
      if (sinceSecond !== undefined && secondOf(ms) < sinceSecond) continue;
      deletions.push({ id: e.id, at: new Date(ms) });
      if (!newest || ms > newest.ms) newest = { text: String(e.deleted_time), ms };
    }
    if (deletions.length > 0) await commit(ctx, [], ctx.state, deletions);
    if (!more) break;
  }
  if (newest && (since === undefined || newest.ms > since)) await commit(ctx, [], { ...ctx.state, deletedSince: newest.text });
}

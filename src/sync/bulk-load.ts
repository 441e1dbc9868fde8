/**
 * The initial load through the Bulk Read API: one job per 200 000-record page, its ZIP streamed to
 * a temporary file and from there, row by row, into the database in batches — each batch committed
 * with a checkpoint (job, page, rows done), so a run killed mid-file resumes at the next row of the
 * same job (or a fresh job for the same page once Zoho has dropped it). When the last page is in,
 * the module switches to incremental runs from the first job's creation time (server time).
 */
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { apiError, type LooseResult } from "../api-error.js";
import { ZohoSyncError } from "../errors.js";
import { csvRows } from "./csv-rows.js";
import { csvRecord, rowOf, type Row } from "./row-values.js";
import { commit, type SyncContext } from "./sync-context.js";
import type { ModuleState } from "./sync-state.js";
import { zipFirstEntryStream } from "./zip-entry-stream.js";

/** Zoho's answers when the token lacks the bulk scope or the user the bulk permission. */
const NO_BULK = new Set(["OAUTH_SCOPE_MISMATCH", "NO_PERMISSION", "PERMISSION_DENIED", "FEATURE_NOT_SUPPORTED", "FEATURE_NOT_ENABLED"]);

type JobDetails = { state?: string; created_time?: string; result?: { page?: number; count?: number; more_records?: boolean } };

export type BulkOutcome = { ok: true } | { ok: false; reason: string };

const codeOf = (result: LooseResult): string | undefined => {
  const error = result.error as { code?: unknown; data?: Array<{ code?: unknown }> } | undefined;
  const code = error?.code ?? error?.data?.[0]?.code;
  return typeof code === "string" ? code : undefined;
};

/** Starts a job for the state's page; `{ ok: false }` when bulk read is not allowed for this token. */
async function startJob(ctx: SyncContext): Promise<{ ok: true; id: string; createdAt: string | null } | { ok: false; reason: string }> {
  const result = await ctx.crm.POST("/crm/bulk/v2/read", { body: { query: { module: ctx.module, page: ctx.state.bulkPage } } });
  if (result.error !== undefined || !result.data) {
    const code = codeOf(result);
    if (code && NO_BULK.has(code)) return { ok: false, reason: `bulk read is not allowed (${code}: the token needs the ZohoCRM.bulk.read scope)` };
    throw apiError(`Starting a bulk read of ${ctx.module}`, "POST", result);
  }
  const details = result.data.data?.[0]?.details as { id?: string; created_time?: string } | undefined;
  if (!details?.id)
    throw new ZohoSyncError(`Zoho accepted the bulk read of ${ctx.module} but named no job id; run the sync again.`, {
      code: "SYNC_BAD_RESPONSE",
      module: ctx.module,
    });
  return { ok: true, id: String(details.id), createdAt: details.created_time ?? null };
}

/** Polls the job until it completes; `undefined` when Zoho no longer knows it (expired). */
async function waitForJob(ctx: SyncContext, jobId: string): Promise<JobDetails | undefined> {
  const deadline = ctx.now() + ctx.bulkTimeoutMs;
  let wait = ctx.bulkPoll.minMs;
  for (;;) {
    ctx.signal?.throwIfAborted();
    const result = await ctx.crm.GET("/crm/bulk/v2/read/{jobId}", { params: { path: { jobId } } });
    if (result.error !== undefined || !result.data) {
      if (result.response.status === 404 || codeOf(result) === "RESOURCE_NOT_FOUND" || codeOf(result) === "INVALID_URL_PATTERN") return undefined;
      throw apiError(`Polling bulk read job ${jobId} of ${ctx.module}`, "GET", result);
    }
    const job = result.data.data?.[0] as JobDetails | undefined;
    if (job?.state === "COMPLETED") return job;
    if (job?.state === "FAILURE" || job?.state === "FAILED") {
      throw new ZohoSyncError(`Zoho's bulk read job ${jobId} of ${ctx.module} failed; run the sync again (a new job is started).`, {
        code: "SYNC_BULK_FAILED",
        module: ctx.module,
      });
    }
    if (ctx.now() + wait > deadline) {
      throw new ZohoSyncError(
        `Zoho's bulk read job ${jobId} of ${ctx.module} did not complete within ${ctx.bulkTimeoutMs} ms; run the sync again later (it resumes with the same job) or raise bulkTimeoutMs.`,
        { code: "SYNC_BULK_TIMEOUT", module: ctx.module },
      );
    }
    await ctx.sleep(wait);
    wait = Math.min(ctx.bulkPoll.maxMs, Math.ceil(wait * 1.5));
  }
}

/** Downloads the job's ZIP to a temporary file (flat memory whatever its size). */
async function download(ctx: SyncContext, jobId: string, file: string): Promise<boolean> {
  const result = await ctx.crm.GET("/crm/bulk/v2/read/{jobId}/result", { params: { path: { jobId } }, parseAs: "stream" });
  if (result.response.status === 404) return false;
  // With parseAs "stream", openapi-fetch hands over the body itself as `data`.
  const body = result.data as unknown as WebReadableStream<Uint8Array> | undefined;
  if (!result.response.ok || !body) throw apiError(`Downloading bulk read job ${jobId} of ${ctx.module}`, "GET", { ...result, error: result.error });
  await pipeline(Readable.fromWeb(body), createWriteStream(file, { mode: 0o600 }), { signal: ctx.signal });
  return true;
}

/** Streams the file's rows into the database, skipping those a killed run already committed. */
async function load(ctx: SyncContext, file: string, total: number | undefined): Promise<void> {
  const { stream } = await zipFirstEntryStream(file);
  let header: string[] | undefined;
  let seen = 0;
  let batch: Row[] = [];
  const syncedAt = new Date(ctx.now());
  const flush = async () => {
    const done = ctx.state.bulkRows + batch.length;
    await commit(ctx, batch, { ...ctx.state, bulkRows: done });
    batch = [];
    ctx.emit({ type: "progress", module: ctx.module, mode: "bulk", records: done, total });
  };
  try {
    for await (const cells of csvRows(stream)) {
      if (!header) {
        header = cells;
        continue;
      }
      seen += 1;
      if (seen <= ctx.state.bulkRows) continue;
      const record = csvRecord(header, cells);
      if (typeof record.id !== "string")
        throw new ZohoSyncError(`A bulk read row of ${ctx.module} has no Id; run the sync again.`, { code: "SYNC_BAD_RESPONSE", module: ctx.module });
      batch.push(rowOf(record, ctx.columns, { fromCsv: true, syncedAt }));
      if (batch.length >= ctx.batchSize) await flush();
    }
    if (batch.length > 0) await flush();
  } finally {
    stream.destroy();
  }
}

/**
 * Runs (or resumes) the bulk initial load. `{ ok: false }` before anything was loaded when bulk
 * read is not allowed: the caller falls back to REST pages.
 */
export async function bulkLoad(ctx: SyncContext): Promise<BulkOutcome> {
  for (;;) {
    if (!ctx.state.bulkJobId) {
      const job = await startJob(ctx);
      if (!job.ok) return job;
      const startedAt = ctx.state.bulkStartedAt ?? job.createdAt ?? new Date(ctx.now()).toISOString();
      await commit(ctx, [], { ...ctx.state, bulkJobId: job.id, bulkRows: 0, bulkStartedAt: startedAt });
    }
    const jobId = ctx.state.bulkJobId as string;
    const job = await waitForJob(ctx, jobId);
    const file = join(ctx.tempDir, `zcrm-sync-${ctx.module}-${jobId}-${randomUUID()}.zip`);
    try {
      if (!job || !(await download(ctx, jobId, file))) {
        // Zoho dropped the job (results live a day): a new job for the same page; rows already in are upserted again.
        await commit(ctx, [], { ...ctx.state, bulkJobId: null, bulkRows: 0 });
        continue;
      }
      await load(ctx, file, job.result?.count);
    } finally {
      await rm(file, { force: true });
    }
    const next: ModuleState = job.result?.more_records
      ? { ...ctx.state, bulkJobId: null, bulkRows: 0, bulkPage: ctx.state.bulkPage + 1 }
      : {
          ...ctx.state,
          phase: "incremental",
          bulkJobId: null,
          bulkRows: 0,
          cursorTime: ctx.state.bulkStartedAt,
          cursorId: null,
        };
    await commit(ctx, [], next);
    if (next.phase === "incremental") return { ok: true };
  }
}

/**
 * Bulk-read paging with a small `bulkReadPageSize`: each job exports one page (`query.page`) as a
 * ZIP holding one CSV (header of field API names, `Id` first, lookups as ids); `result.more_records`
 * says whether the next page has records. Jobs complete on the manual clock only.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/emulator/csv-codec.js";
import { BULK_COMPLETED_MS, BULK_IN_PROGRESS_MS, READ_AREA, type ReadArea } from "../../src/emulator/crm-routes/bulk-read-routes.js";
import { readZip } from "../../src/emulator/zip.js";
import { startHarness, type Harness } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ bulkReadPageSize: 7, generatedRecords: 10 });
});
afterEach(() => {
  expect(h.emulator.stats.responseValidationFailures).toEqual([]);
});
afterAll(async () => {
  await h.close();
});

async function runJob(page: number) {
  const created = await h.crm.POST("/crm/bulk/v2/read", { body: { query: { module: "Contacts", page } } });
  const jobId = created.data!.data[0]!.details.id!;
  const details = () => h.crm.GET("/crm/bulk/v2/read/{jobId}", { params: { path: { jobId } } });
  // The manual clock stands still: polling alone never completes a job.
  expect((await details()).data!.data[0]!.state).toBe("ADDED");
  h.emulator.state.advanceClock(BULK_IN_PROGRESS_MS);
  expect((await details()).data!.data[0]!.state).toBe("IN PROGRESS");
  h.emulator.state.advanceClock(BULK_COMPLETED_MS - BULK_IN_PROGRESS_MS);
  const job = (await details()).data!.data[0]!;
  const file = await h.crm.GET("/crm/bulk/v2/read/{jobId}/result", { params: { path: { jobId } }, parseAs: "arrayBuffer" });
  const entries = readZip(Buffer.from(file.data!));
  expect(entries.map((e) => e.name)).toEqual([`${jobId}.csv`]);
  return { job, rows: parseCsv(entries[0]!.data.toString("utf8")) };
}

describe("bulk read pages", () => {
  it("splits the module into per_page pages with more_records, ids in order across pages", async () => {
    const total = h.emulator.state.count("Contacts");
    expect(total).toBe(16); // 6 sample + 10 generated
    const pages = [await runJob(1), await runJob(2), await runJob(3)];
    expect(pages.map((p) => p.job.result)).toEqual([
      expect.objectContaining({ page: 1, per_page: 7, count: 7, more_records: true }),
      expect.objectContaining({ page: 2, per_page: 7, count: 7, more_records: true }),
      expect.objectContaining({ page: 3, per_page: 7, count: 2, more_records: false }),
    ]);
    const [header] = pages[0]!.rows;
    expect(header![0]).toBe("Id");
    expect(header).toEqual(expect.arrayContaining(["Last_Name", "Account_Name", "Owner", "Created_Time", "Modified_Time"]));
    const ids = pages.flatMap((p) => p.rows.slice(1).map((r) => r[0]));
    expect(ids).toEqual(h.emulator.state.records("Contacts").map((c) => c.id));
    const first = pages[0]!.rows[1]!;
    const record = h.emulator.state.record("Contacts", first[0]!)!;
    expect(first[header!.indexOf("Owner")]).toBe((record.Owner as { id: string }).id);
    expect(first[header!.indexOf("Modified_Time")]).toBe(record.Modified_Time);
  });

  it("advancing the manual clock by BULK_COMPLETED_MS completes a job and sends its callback without a poll", async () => {
    const received: unknown[] = [];
    const server = (await import("node:http")).createServer((req, res) => {
      req.resume().on("end", () => {
        received.push(req.url);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as { port: number };
      const created = await h.crm.POST("/crm/bulk/v2/read", {
        body: { query: { module: "Leads" }, callback: { url: `http://127.0.0.1:${port}/done`, method: "post" } },
      });
      const jobId = created.data!.data[0]!.details.id!;
      const job = () => (h.emulator.state.crm.areas.peek(READ_AREA) as ReadArea).jobs.get(jobId)!;
      h.emulator.state.advanceClock(BULK_COMPLETED_MS - 1);
      expect(job().state).not.toBe("COMPLETED"); // intermediate states move on polls
      h.emulator.state.advanceClock(1);
      expect(job().state).toBe("COMPLETED");
      await expect.poll(() => received, { timeout: 20_000 }).toEqual(["/done"]);
    } finally {
      server.close();
    }
  });
});

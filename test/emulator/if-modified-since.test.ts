/**
 * If-Modified-Since on record lists and deleted records, as Zoho's v2: entries changed after the
 * header's time at second resolution (Modified_Time and deleted_time have seconds), 304 when none;
 * ties in sort_by=Modified_Time are by id ascending in both orders.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, leads, type Harness } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ seedRecords: false });
});
afterAll(async () => {
  await h.close();
});

const httpDate = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");
type Row = { id: string; Modified_Time: string };

async function list(query: string, since?: number): Promise<{ status: number; rows: Row[]; more: boolean }> {
  const res = await h.raw("GET", `/crm/v2/Leads?${query}`, since === undefined ? {} : { headers: { "if-modified-since": httpDate(since) } });
  const body = res.json as { data?: Row[]; info?: { more_records: boolean } } | undefined;
  return { status: res.status, rows: body?.data ?? [], more: body?.info?.more_records ?? false };
}

async function insert(count: number, tag: string): Promise<string[]> {
  const res = await h.crm.POST("/crm/v2/{module}", { params: { path: { module: "Leads" } }, body: { data: leads(count, tag) } });
  return res.data!.data.map((r) => r.details.id!);
}

describe("If-Modified-Since at second resolution", () => {
  it("returns every record changed in a later second, 304 for the same second, and orders ties by id", async () => {
    const clock = h.emulator.state.clock;
    // Land mid-second, so modifiedMs has a sub-second part Modified_Time does not show.
    clock.advance(1000 - (clock.now() % 1000) + 400);
    const second = Math.floor(clock.now() / 1000) * 1000;
    const first = await insert(3, "same-second");
    clock.advance(300); // still the same second
    const more = await insert(2, "same-second-later");
    const ids = [...first, ...more];
    for (const id of ids) expect(h.emulator.state.record("Leads", id)!.Modified_Time).toBe(httpDate(second));

    const all = await list("sort_by=Modified_Time&sort_order=asc", second - 1000);
    expect(all.rows.map((r) => r.id)).toEqual(ids);
    // The records' own second is not "after" it, even though modifiedMs is 400-700 ms past it.
    expect((await list("sort_by=Modified_Time", second)).status).toBe(304);
    expect((await list("", second)).status).toBe(304);

    clock.advance(1000);
    const [later] = await insert(1, "next-second");
    const asc = await list("sort_by=Modified_Time&sort_order=asc&per_page=2", second - 1000);
    expect(asc.rows.map((r) => r.id)).toEqual(ids.slice(0, 2));
    expect(asc.more).toBe(true);
    const desc = await list("sort_by=Modified_Time&sort_order=desc", second - 1000);
    expect(desc.rows.map((r) => r.id)).toEqual([later, ...ids]); // newest second first, its ties still by id
    expect((await list("sort_by=Modified_Time", second)).rows.map((r) => r.id)).toEqual([later]);
    expect((await list("page=2&per_page=1", second)).status).toBe(204);
  });

  it("an update moves a record to its new second; unchanged records stay out", async () => {
    const [id] = await insert(1, "update-me");
    const before = h.emulator.state.clock.now();
    h.emulator.state.advanceClock(5000);
    await h.crm.PUT("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id: id! } }, body: { data: [{ Company: "Updated" }] } });
    const rows = (await list("sort_by=Modified_Time", before)).rows;
    expect(rows.map((r) => r.id)).toEqual([id]);
  });
});

describe("deleted records and If-Modified-Since", () => {
  it("lists only what was deleted after the time, newest first, 304 when nothing newer", async () => {
    const ids = await insert(4, "to-delete");
    const clock = h.emulator.state.clock;
    clock.advance(1000);
    await h.crm.DELETE("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id: ids[0]! } } });
    const firstDeleteSecond = Math.floor(clock.now() / 1000) * 1000;
    clock.advance(2000);
    await h.crm.DELETE("/crm/v2/{module}", { params: { path: { module: "Leads" }, query: { ids: ids.slice(1, 3) } } });
    const get = (since?: number, query = "type=all") =>
      h.raw("GET", `/crm/v2/Leads/deleted?${query}`, since === undefined ? {} : { headers: { "if-modified-since": httpDate(since) } });

    const everything = (await get()).json as { data: Array<{ id: string; deleted_time: string; type: string }> };
    expect(everything.data.map((d) => d.id)).toEqual([ids[1], ids[2], ids[0]]);
    expect(everything.data[0]!.deleted_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);

    const newer = (await get(firstDeleteSecond)).json as { data: Array<{ id: string }>; info: { count: number } };
    expect(newer.data.map((d) => d.id)).toEqual([ids[1], ids[2]]);
    expect(newer.info.count).toBe(2);
    expect((await get(firstDeleteSecond, "type=recycle&per_page=1&page=2")).json).toMatchObject({
      data: [{ id: ids[2] }],
      info: { page: 2, more_records: false },
    });
    expect((await get(clock.now())).status).toBe(304);
    // The list itself: deletions alone are not newer records.
    expect((await list("sort_by=Modified_Time", firstDeleteSecond)).status).toBe(304);
    expect((await get(firstDeleteSecond, "type=permanent")).status).toBe(304);
  });
});

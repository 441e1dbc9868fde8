/**
 * `watchModules` against the emulator (manual clock, SQLite mirror): a change is mirrored through
 * the notification path; callbacks without the channel's token are refused and pull nothing; the
 * channel is renewed before it lapses on the emulator's clock (and enabled again when Zoho dropped
 * it); the polling fallback catches changes whose notification was lost; stop() disables the
 * channel and closes the port.
 */
import { afterEach, describe, expect, it } from "vitest";
import { notificationDeliveries } from "../../src/emulator/crm-routes/notification-routes.js";
import { watchModules, type SyncEvent, type WatchHandle, type WatchModulesOptions } from "../../src/sync/index.js";
import { waitUntil } from "../helpers/wait.js";
import { startSyncHarness, type SyncHarness } from "./helpers.js";

let s: SyncHarness | undefined;
let handle: WatchHandle | undefined;
afterEach(async () => {
  await handle?.stop();
  handle = undefined;
  await s?.close();
  s = undefined;
});

const HOUR = 3_600_000;

async function startWatch(extra: Partial<WatchModulesOptions> = {}): Promise<{ s: SyncHarness; events: SyncEvent[]; handle: WatchHandle }> {
  s = await startSyncHarness("sqlite");
  const events: SyncEvent[] = [];
  const h = s.h;
  handle = await watchModules({
    crm: h.crm,
    dataSource: s.ds,
    modules: ["Leads"],
    tablePrefix: s.prefix,
    bulkPoll: { minMs: 1, maxMs: 5 },
    tempDir: s.dir,
    listen: { host: "127.0.0.1", port: 0 },
    pollIntervalMs: 10 * HOUR, // no polling unless a test asks for it
    debounceMs: 0,
    checkIntervalMs: 10,
    now: () => h.emulator.state.clock.now(),
    onProgress: (e) => events.push(e),
    ...extra,
  });
  await handle.ready;
  return { s, events, handle };
}

const of = <T extends SyncEvent["type"]>(events: SyncEvent[], type: T) => events.filter((e): e is Extract<SyncEvent, { type: T }> => e.type === type);

async function createLead(s: SyncHarness, name: string): Promise<string> {
  const made = await s.h.crm.POST("/crm/v2/{module}", { params: { path: { module: "Leads" } }, body: { data: [{ Last_Name: name, Company: "Watched" }] } });
  return String(made.data!.data[0]!.details.id);
}

async function channelOf(s: SyncHarness, channelId: string) {
  const listed = await s.h.crm.GET("/crm/v2/actions/watch", { params: { query: { channel_id: channelId } } });
  return listed.response.status === 204 ? undefined : listed.data!.watch[0];
}

describe("watchModules", () => {
  it("mirrors a record created after the start through its notification", async () => {
    const { s, events, handle } = await startWatch();
    expect(of(events, "watch-run").map((e) => e.reason)).toEqual(["initial"]);
    expect(of(events, "watch-channel")).toMatchObject([{ action: "enabled", channelId: handle.channelId }]);
    const channel = await channelOf(s, handle.channelId);
    expect(channel).toMatchObject({ events: ["Leads.create", "Leads.edit", "Leads.delete"], notify_url: handle.notifyUrl });
    expect(handle.notifyUrl).toBe(handle.localUrl);
    expect(JSON.stringify(events)).not.toContain(channel!.token!); // the token is never reported

    const id = await createLead(s, "Notified");
    await waitUntil(() => of(events, "watch-run-done").some((e) => e.reason === "notification" && e.summary.inserted === 1), { what: "the notified run" });
    expect(notificationDeliveries(s.h.emulator.state.crm).filter((d) => d.ok && (d.payload.ids as string[]).includes(id))).toHaveLength(1);
    expect(of(events, "watch-notified")).toEqual([{ type: "watch-notified", module: "Leads", operation: "insert", ids: 1 }]);
    expect((await s.mirror("Leads")).get(id)?.Last_Name).toBe("Notified");
    await s.expectExact("Leads");
    expect(of(events, "watch-error")).toEqual([]);
  });

  it("refuses callbacks without the channel's token (403) and pulls nothing for them", async () => {
    const { s, events, handle } = await startWatch();
    const post = (body: unknown, init: { method?: string; url?: string } = {}) =>
      fetch(init.url ?? handle.localUrl, {
        method: init.method ?? "POST",
        headers: { "content-type": "application/json" },
        body: init.method === "GET" ? undefined : JSON.stringify(body),
      });
    const callback = { module: "Leads", ids: ["1"], operation: "update", channel_id: handle.channelId };
    expect((await post({ ...callback, token: "wrong" })).status).toBe(403);
    expect((await post(callback)).status).toBe(403);
    expect((await post({ ...callback, token: null })).status).toBe(403);
    expect((await post("not an object")).status).toBe(400);
    expect((await post(undefined, { method: "GET" })).status).toBe(405);
    expect((await post({ ...callback, token: "x" }, { url: handle.localUrl.replace("/zcrm/notify", "/other") })).status).toBe(404);
    const big = await fetch(handle.localUrl, { method: "POST", body: "x".repeat(70 * 1024) }).catch(() => undefined);
    if (big) expect(big.status).toBe(413);

    // The real token (Zoho lists it with the channel) is accepted: the only notification seen is that one.
    const token = (await channelOf(s, handle.channelId))!.token!;
    expect((await post({ ...callback, token })).status).toBe(200);
    await waitUntil(() => of(events, "watch-run-done").some((e) => e.reason === "notification"), { what: "the verified callback's run" });
    expect(of(events, "watch-notified")).toHaveLength(1);
    expect(of(events, "watch-run").map((e) => e.reason)).toEqual(["initial", "notification"]);
  });

  it("renews the channel before it lapses, and enables it again when Zoho dropped it", async () => {
    const { s, events, handle } = await startWatch({ channelTtlMs: HOUR, renewBeforeMs: 10 * 60_000 });
    const clock = s.h.emulator.state.clock;
    const first = Date.parse((await channelOf(s, handle.channelId))!.channel_expiry!);
    expect(first).toBeGreaterThan(clock.now() + 40 * 60_000);
    expect(of(events, "watch-channel").map((e) => e.action)).toEqual(["enabled"]);

    s.h.emulator.state.advanceClock(first - clock.now() - 5 * 60_000); // 5 minutes before it lapses
    await waitUntil(() => of(events, "watch-channel").some((e) => e.action === "renewed"), { what: "the renewal" });
    const renewed = Date.parse((await channelOf(s, handle.channelId))!.channel_expiry!);
    expect(renewed).toBeGreaterThan(first + 50 * 60_000);

    // Zoho forgets the channel: the next renewal is refused, and the channel is enabled again.
    await s.h.crm.DELETE("/crm/v2/actions/watch", { params: { query: { channel_ids: [handle.channelId] } } });
    s.h.emulator.state.advanceClock(renewed - clock.now() - 5 * 60_000);
    await waitUntil(() => of(events, "watch-channel").some((e) => e.action === "re-enabled"), { what: "the channel enabled again" });
    expect(await channelOf(s, handle.channelId)).toMatchObject({ notify_url: handle.notifyUrl });
    expect(of(events, "watch-error").some((e) => e.message.includes("Renewing the notification channel failed"))).toBe(true);

    const id = await createLead(s, "After re-enable");
    await waitUntil(() => of(events, "watch-run-done").some((e) => e.reason === "notification" && e.summary.inserted === 1), { what: "the notified run" });
    expect((await s.mirror("Leads")).has(id)).toBe(true);
  });

  it("catches a change by polling when its notification is lost", async () => {
    const { s, events, handle } = await startWatch({ pollIntervalMs: 50, checkIntervalMs: 10 * HOUR });
    // Notifications are lost: Zoho no longer knows the channel.
    await s.h.crm.DELETE("/crm/v2/actions/watch", { params: { query: { channel_ids: [handle.channelId] } } });
    const id = await createLead(s, "Polled");
    await waitUntil(() => of(events, "watch-run-done").some((e) => e.reason === "poll" && e.summary.inserted === 1), { what: "the poll that finds it" });
    expect(notificationDeliveries(s.h.emulator.state.crm).some((d) => (d.payload.ids as string[]).includes(id))).toBe(false);
    expect(of(events, "watch-notified")).toEqual([]);
    expect((await s.mirror("Leads")).get(id)?.Last_Name).toBe("Polled");
  });

  it("stop() disables the channel and closes the port", async () => {
    const { s, events, handle } = await startWatch();
    expect(await channelOf(s, handle.channelId)).toBeDefined();
    await handle.stop();
    await handle.done;
    expect(await channelOf(s, handle.channelId)).toBeUndefined();
    expect(of(events, "watch-channel").at(-1)).toMatchObject({ action: "disabled", channelId: handle.channelId });
    await expect(fetch(handle.localUrl, { method: "POST", body: "{}" })).rejects.toThrow();
    await handle.stop(); // idempotent
  });

  it("rejects ready when the first run fails, without an unhandled rejection", async () => {
    s = await startSyncHarness("sqlite");
    const events: SyncEvent[] = [];
    handle = await watchModules({
      crm: s.h.crm,
      dataSource: s.ds,
      modules: ["NoSuchModule"],
      tablePrefix: s.prefix,
      listen: { host: "127.0.0.1", port: 0 },
      onProgress: (e) => events.push(e),
    });
    await expect(handle.ready).rejects.toThrow(/NoSuchModule/);
    expect(of(events, "watch-error").length).toBeGreaterThan(0); // the channel could not be enabled either
  });
});

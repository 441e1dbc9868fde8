/**
 * Notification channels (`/crm/v2/actions/watch`) through the typed client: enable, list, replace,
 * partial update and event removal, disable; record changes of watched modules are POSTed to the
 * channel's notify_url in Zoho's callback shape, until the channel is disabled or expires.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startCallbackReceiver, type CallbackReceiver } from "./callback-receiver.js";
import { notificationDeliveries } from "../../src/emulator/crm-routes/notification-routes.js";
import { startHarness, type Harness } from "./helpers.js";

let h: Harness;
let hooks: CallbackReceiver;

beforeAll(async () => {
  [h, hooks] = await Promise.all([startHarness({ seedRecords: false }), startCallbackReceiver()]);
});
afterEach(() => {
  expect(h.emulator.stats.responseValidationFailures).toEqual([]);
});
afterAll(async () => {
  await Promise.all([h.close(), hooks.close()]);
});

const inOneHour = () => new Date(h.emulator.state.clock.now() + 3_600_000).toISOString();
const list = (query: { channel_id?: string; module?: string } = {}) => h.crm.GET("/crm/v2/actions/watch", { params: { query } });

describe("notification channels", () => {
  it("enable → callbacks for watched events → update (PUT, PATCH) → remove events → disable", async () => {
    const enabled = await h.crm.POST("/crm/v2/actions/watch", {
      body: {
        watch: [
          {
            channel_id: "1000000068001",
            events: ["Leads.create", "Deals.all"],
            channel_expiry: inOneHour(),
            token: "leads.token",
            notify_url: hooks.url,
            return_affected_field_values: true,
          },
        ],
      },
    });
    expect(enabled.response.status).toBe(201);
    const result = enabled.data!.watch[0]!;
    expect(result).toMatchObject({ code: "SUCCESS", status: "success", message: "Successfully subscribed for actions-watch of the given module" });
    expect(result.details.events!.map((e) => e.resource_name).sort()).toEqual(["Deals", "Leads"]);

    const listed = await list();
    expect(listed.data!.watch.map((w) => [w.resource_name, w.events])).toEqual([
      ["Leads", ["Leads.create"]],
      ["Deals", ["Deals.create", "Deals.edit", "Deals.delete"]],
    ]);
    expect(listed.data!.info).toMatchObject({ count: 2, more_records: false });
    expect((await list({ module: "Deals" })).data!.watch).toHaveLength(1);
    expect((await list({ channel_id: "42" })).response.status).toBe(204);

    // Leads.create fires on insert; Leads edits are not watched.
    const created = await h.crm.POST("/crm/v2/{module}", { params: { path: { module: "Leads" } }, body: { data: [{ Last_Name: "Watched", Company: "W" }] } });
    const id = created.data!.data[0]!.details.id!;
    await h.crm.PUT("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id } }, body: { data: [{ Company: "W2" }] } });
    const insert = await hooks.waitForBody((b) => (b as { operation?: string }).operation === "insert");
    expect(insert).toMatchObject({
      module: "Leads",
      ids: [id],
      operation: "insert",
      channel_id: "1000000068001",
      token: "leads.token",
      resource_uri: `${h.emulator.url}/crm/v2/Leads`,
    });

    // PUT replaces: now only Leads edits.
    const replaced = await h.crm.PUT("/crm/v2/actions/watch", {
      body: { watch: [{ channel_id: "1000000068001", events: ["Leads.edit"], notify_url: hooks.url }] },
    });
    expect(replaced.data!.watch[0]!.status).toBe("success");
    expect((await list()).data!.watch.map((w) => w.events)).toEqual([["Leads.edit"]]);
    expect((await list()).data!.watch[0]!.token).toBeNull();

    // PATCH merges keys and events.
    await h.crm.PATCH("/crm/v2/actions/watch", { body: { watch: [{ channel_id: "1000000068001", events: ["Leads.delete"], token: "patched" }] } });
    expect((await list()).data!.watch[0]).toMatchObject({ events: ["Leads.edit", "Leads.delete"], token: "patched" });
    await h.crm.PUT("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id } }, body: { data: [{ Company: "W3" }] } });
    await h.crm.DELETE("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id } } });
    // Two fire-and-forget deliveries: they may arrive in either order.
    const bodies = await hooks.waitFor(3);
    expect(
      bodies
        .slice(1)
        .map((b) => (b as { operation: string }).operation)
        .sort(),
    ).toEqual(["delete", "update"]);
    expect(bodies.slice(1)).toEqual([expect.objectContaining({ token: "patched" }), expect.objectContaining({ token: "patched" })]);

    // PATCH with _delete_events removes events (Zoho's disableNotification).
    const removed = await h.crm.PATCH("/crm/v2/actions/watch", {
      body: { watch: [{ channel_id: "1000000068001", events: ["Leads.delete"], _delete_events: true }] },
    });
    expect(removed.data!.watch[0]!.status).toBe("success");
    expect((await list()).data!.watch[0]!.events).toEqual(["Leads.edit"]);

    const disabled = await h.crm.DELETE("/crm/v2/actions/watch", { params: { query: { channel_ids: ["1000000068001"] } } });
    expect(disabled.data!.watch[0]).toMatchObject({ code: "SUCCESS", status: "success" });
    expect((await list()).response.status).toBe(204);
    await h.crm.POST("/crm/v2/{module}", { params: { path: { module: "Leads" } }, body: { data: [{ Last_Name: "Unwatched", Company: "W" }] } });
    // Deliveries are recorded when sent, so "none sent" needs no wait.
    expect(notificationDeliveries(h.emulator.state.crm)).toHaveLength(3);
  });

  it("channels expire (channel_expiry, at most a day ahead; default one hour)", async () => {
    const tooFar = new Date(h.emulator.state.clock.now() + 2 * 86_400_000).toISOString();
    const bad = await h.crm.POST("/crm/v2/actions/watch", {
      body: { watch: [{ channel_id: "7", events: ["Leads.all"], notify_url: hooks.url, channel_expiry: tooFar }] },
    });
    expect(bad.response.status).toBe(400);
    expect(bad.error).toMatchObject({ watch: [{ code: "INVALID_DATA", details: { api_name: "channel_expiry" } }] });
    await h.crm.POST("/crm/v2/actions/watch", { body: { watch: [{ channel_id: 7, events: ["Leads.all"], notify_url: hooks.url }] } });
    expect((await list({ channel_id: "7" })).data!.watch).toHaveLength(1);
    h.emulator.state.advanceClock(3_600_001);
    expect((await list({ channel_id: "7" })).response.status).toBe(204);
  });

  it("per-channel errors: mixed results are 207; unknown channels, modules and missing keys are reported per item", async () => {
    const mixed = await h.crm.POST("/crm/v2/actions/watch", {
      body: {
        watch: [
          { channel_id: "8", events: ["Contacts.edit"], notify_url: hooks.url },
          { channel_id: "9", events: ["Nope.create"], notify_url: hooks.url },
          { channel_id: "10", events: ["Leads.create"] },
        ],
      },
    });
    expect(mixed.response.status).toBe(207);
    expect(mixed.data!.watch.map((w) => w.code)).toEqual(["SUCCESS", "INVALID_DATA", "MANDATORY_NOT_FOUND"]);
    const unknown = await h.crm.PUT("/crm/v2/actions/watch", { body: { watch: [{ channel_id: "404", events: ["Leads.edit"], notify_url: hooks.url }] } });
    expect(unknown.error).toMatchObject({ watch: [{ code: "INVALID_DATA", details: { api_name: "channel_id" } }] });
    const bad = await h.crm.POST("/crm/v2/actions/watch", { body: { watch: [{ channel_id: "11", events: ["Leads.merge"], notify_url: hooks.url }] } });
    expect(bad.error).toMatchObject({ code: "INVALID_DATA" });
    expect((await h.crm.DELETE("/crm/v2/actions/watch", { params: { query: { channel_ids: ["404", "8"] } } })).data!.watch.map((w) => w.status)).toEqual([
      "error",
      "success",
    ]);
    expect((await h.raw("DELETE", "/crm/v2/actions/watch")).json).toMatchObject({ code: "REQUIRED_PARAM_MISSING" });
  });
});

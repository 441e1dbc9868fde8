/**
 * The watch callback body, field by field as Zoho documents it: server_time, query_params (the
 * notify_url's own), module, resource_uri, ids, affected_fields (with return_affected_field_values,
 * the changed fields of an update), operation, channel_id and the channel's token.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCallbackReceiver, type CallbackReceiver } from "./callback-receiver.js";
import { startHarness, type Harness } from "./helpers.js";

let h: Harness;
let hooks: CallbackReceiver;
beforeAll(async () => {
  [h, hooks] = await Promise.all([startHarness({ seedRecords: false }), startCallbackReceiver()]);
});
afterAll(async () => {
  await Promise.all([h.close(), hooks.close()]);
});

describe("watch callback payload", () => {
  it("carries what Zoho's callback carries, token and notify_url query parameters included", async () => {
    const notifyUrl = `${hooks.url}?source=zcrm&tenant=t1`;
    const enabled = await h.crm.POST("/crm/v2/actions/watch", {
      body: {
        watch: [{ channel_id: "1000000068101", events: ["Contacts.all"], token: "verify-me", notify_url: notifyUrl, return_affected_field_values: true }],
      },
    });
    expect(enabled.response.status).toBe(201);
    const created = await h.crm.POST("/crm/v2/{module}", {
      params: { path: { module: "Contacts" } },
      body: { data: [{ Last_Name: "Payload", Title: "CTO" }] },
    });
    const id = created.data!.data[0]!.details.id!;
    h.emulator.state.advanceClock(1000);
    await h.crm.PUT("/crm/v2/{module}/{id}", { params: { path: { module: "Contacts", id } }, body: { data: [{ Title: "CEO", Department: "Board" }] } });
    await h.crm.DELETE("/crm/v2/{module}/{id}", { params: { path: { module: "Contacts", id } } });
    // Deliveries are fire and forget: they may arrive in any order.
    const bodies = (await hooks.waitFor(3)) as Array<Record<string, unknown>>;
    const [insert, update, remove] = ["insert", "update", "delete"].map((op) => bodies.find((b) => b.operation === op));

    const common = {
      module: "Contacts",
      ids: [id],
      channel_id: "1000000068101",
      token: "verify-me",
      query_params: { source: "zcrm", tenant: "t1" },
      resource_uri: `${h.emulator.url}/crm/v2/Contacts`,
    };
    expect(insert).toMatchObject({ ...common, operation: "insert", affected_fields: [] });
    expect(update).toMatchObject({ ...common, operation: "update", affected_fields: [{ [id]: ["Title", "Department"] }] });
    expect(remove).toMatchObject({ ...common, operation: "delete" });
    expect(update!.server_time).toBe(h.emulator.state.clock.now());
    expect(typeof insert!.server_time).toBe("number");
    expect(Object.keys(insert!).sort()).toEqual(
      ["affected_fields", "channel_id", "ids", "module", "operation", "query_params", "resource_uri", "server_time", "token"].sort(),
    );
  });
});

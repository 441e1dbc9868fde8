/**
 * `persistPath` keeps the whole emulator state, not only records, users and tokens: every area of
 * `CrmState.areas` (attachments with their bytes, photos, tags, links, contact roles, settings,
 * bulk jobs with their ZIPs, watch channels, files...), the clock offset and the id counters.
 * Everything reads back identically through the typed client after a restart, new ids do not reuse
 * old ones, nothing answered is lost without `close()` (a crash), and timers are re-armed.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ZohoCRMClient } from "../../src/client.js";
import { downloadFile, uploadFile } from "../../src/files.js";
import { BULK_COMPLETED_MS } from "../../src/emulator/crm-routes/bulk-read-routes.js";
import { AREA_CODECS } from "../../src/emulator/crm-routes/codecs/index.js";
import type { ReadArea } from "../../src/emulator/crm-routes/bulk-read-routes.js";
import { DEFAULT_USER_EMAIL, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { writeZip } from "../../src/emulator/zip.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";
import { startCallbackReceiver, type CallbackReceiver } from "./callback-receiver.js";
import { client } from "./helpers.js";

let dir: string;
let hooks: CallbackReceiver;

beforeAll(async () => {
  [dir, hooks] = await Promise.all([mkdtemp(path.join(tmpdir(), "zcrm-areas-")), startCallbackReceiver()]);
});
afterAll(async () => {
  await Promise.all([rm(dir, { recursive: true, force: true }), hooks.close()]);
});

interface Instance {
  emulator: Emulator;
  crm: ZohoCRMClient;
  close(): Promise<void>;
}

/** An emulator on `file`; the token store carries the grant over restarts. */
async function boot(file: string, store: MemoryTokenStore): Promise<Instance> {
  const emulator = await startEmulator({ port: 0, persistPath: file, clock: "manual", log: () => {} });
  const crm = client(emulator, store, { apiBaseUrl: emulator.url });
  if (!(await store.get(DEFAULT_USER_EMAIL))) await crm.auth.exchangeGrantToken(emulator.mintGrantCode());
  return {
    emulator,
    crm,
    async close() {
      expect(emulator.stats.responseValidationFailures).toEqual([]);
      expect(emulator.stats.specMismatches).toEqual([]);
      await crm.close();
      await emulator.close();
    },
  };
}

/** Resolves with the first callback body that `match` accepts (bodies of earlier tests may still arrive). */
async function callbackWhere(match: (body: Record<string, unknown>) => boolean, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = hooks.bodies.find((b) => typeof b === "object" && b !== null && match(b as Record<string, unknown>));
    if (found) return found as Record<string, unknown>;
    if (Date.now() > until) throw new Error("no matching callback arrived");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const PNG = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), randomBytes(2048)]);
const form = (field: string, data: Buffer, name: string) => {
  const body = new FormData();
  body.append(field, new Blob([data]), name);
  return body;
};

async function insert(crm: ZohoCRMClient, module: string, records: Array<Record<string, unknown>>): Promise<string[]> {
  const { data, error } = await crm.POST("/crm/v2/{module}", { params: { path: { module } }, body: { data: records } });
  expect(error).toBeUndefined();
  return data!.data.map((item) => String(item.details.id));
}

/** What the first instance created, by name. */
interface Made {
  leadId: string;
  contactId: string;
  dealId: string;
  productId: string;
  attachmentId: string;
  noteId: string;
  tagId: string;
  roleId: string;
  jobId: string;
  massJobId: string;
  writeJobId: string;
  fileId: string;
  viewId: string;
  channelId: string;
}

/** Everything the API shows of the created state (bytes as Buffers, compared byte for byte). */
async function readAll(crm: ZohoCRMClient, m: Made): Promise<Record<string, unknown>> {
  const lead = { module: "Leads", recordId: m.leadId };
  const body = <T>(r: { data?: T; error?: unknown; response: Response }) => {
    expect(r.error, r.response.url).toBeUndefined();
    return r.data;
  };
  const attachment = await downloadFile(crm, "/crm/v2/{module}/{recordId}/Attachments/{id}", { params: { path: { ...lead, id: m.attachmentId } } });
  const photo = await downloadFile(crm, "/crm/v2/{module}/{id}/photo", { params: { path: { module: "Contacts", id: m.contactId } } });
  const zip = await crm.GET("/crm/bulk/v2/read/{jobId}/result", { params: { path: { jobId: m.jobId } }, parseAs: "arrayBuffer" });
  const orgPhoto = await crm.GET("/crm/v2/org/photo", { parseAs: "arrayBuffer" });
  const file = await crm.GET("/crm/v2/files", { params: { query: { id: m.fileId } }, parseAs: "arrayBuffer" });
  return {
    attachments: body(await crm.GET("/crm/v2/{module}/{recordId}/Attachments", { params: { path: lead } })),
    attachmentBytes: [attachment!.buffer, attachment!.fileName, attachment!.contentType],
    photo: [photo!.buffer, photo!.fileName, photo!.contentType],
    tags: body(await crm.GET("/crm/v2/settings/tags", { params: { query: { module: "Leads" } } })),
    lead: body(await crm.GET("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id: m.leadId } } })),
    note: body(await crm.GET("/crm/v2/Notes/{id}", { params: { path: { id: m.noteId } } })),
    products: body(await crm.GET("/crm/v2/{module}/{recordId}/{relatedList}", { params: { path: { ...lead, relatedList: "Products" } } })),
    roles: body(await crm.GET("/crm/v2/Contacts/roles", {})),
    dealRoles: body(await crm.GET("/crm/v2/Deals/{dealId}/Contact_Roles", { params: { path: { dealId: m.dealId } } })),
    shares: body(await crm.GET("/crm/v2/{module}/{recordId}/actions/share", { params: { path: lead } })),
    currencies: body(await crm.GET("/crm/v2/org/currencies", {})),
    taxes: body(await crm.GET("/crm/v2/org/taxes", {})),
    variables: body(await crm.GET("/crm/v2/settings/variables", {})),
    channels: body(await crm.GET("/crm/v2/actions/watch", {})),
    readJob: body(await crm.GET("/crm/bulk/v2/read/{jobId}", { params: { path: { jobId: m.jobId } } })),
    readZip: Buffer.from(zip.data as ArrayBuffer),
    writeJob: body(await crm.GET("/crm/bulk/v2/write/{jobId}", { params: { path: { jobId: m.writeJobId } } })),
    massJob: body(await crm.GET("/crm/v2/{module}/actions/mass_update", { params: { path: { module: "Products" }, query: { job_id: m.massJobId } } })),
    view: body(await crm.GET("/crm/v2/settings/custom_views/{id}", { params: { path: { id: m.viewId }, query: { module: "Leads" } } })),
    relatedLists: body(await crm.GET("/crm/v2/settings/related_lists", { params: { query: { module: "Accounts" } } })),
    territories: body(await crm.GET("/crm/v2/settings/territories", {})),
    org: body(await crm.GET("/crm/v2/org", {})),
    orgPhoto: Buffer.from(orgPhoto.data as ArrayBuffer),
    file: Buffer.from(file.data as ArrayBuffer),
    deals: body(await crm.GET("/crm/v2/settings/modules/{module}", { params: { path: { module: "Deals" } } })),
    leadFields: body(await crm.GET("/crm/v2/settings/fields", { params: { query: { module: "Leads" } } })),
  };
}

/** Creates one of everything through the typed client; returns what it made and the ids it saw. */
async function makeEverything(first: Instance, bytes: Buffer): Promise<{ made: Made; ids: Set<string> }> {
  const { crm, emulator } = first;
  const ids = new Set<string>();
  const keep = <T extends string | undefined | null>(id: T): string => {
    expect(id).toEqual(expect.any(String));
    ids.add(id!);
    return id!;
  };
  keep(String(emulator.state.addField("Leads", { api_name: "Kept_Tier", data_type: "picklist", pick_list_values: ["Gold", "Silver"] }).id));
  const [leadId] = await insert(crm, "Leads", [{ Last_Name: "Persisted", Company: "Keep Co", Kept_Tier: "Gold" }]);
  const [contactId] = await insert(crm, "Contacts", [{ Last_Name: "Pictured" }]);
  const [dealId] = await insert(crm, "Deals", [{ Deal_Name: "Kept", Stage: "Qualification", Closing_Date: "2030-01-01" }]);
  const productId = String(emulator.state.records("Products")[0]!.id);
  const lead = { module: "Leads", recordId: leadId! };

  const up = await uploadFile(
    crm,
    "/crm/v2/{module}/{recordId}/Attachments",
    { params: { path: lead } },
    { file: bytes, fileName: "kept.bin", contentType: "application/x-kept" },
  );
  const attachmentId = keep(String(up.data!.data[0]!.details.id));
  expect(
    (
      await uploadFile(
        crm,
        "/crm/v2/{module}/{id}/photo",
        { params: { path: { module: "Contacts", id: contactId! } } },
        { file: PNG, fileName: "me.png", contentType: "image/png" },
      )
    ).data!.status,
  ).toBe("success");

  const tags = await crm.POST("/crm/v2/settings/tags", { params: { query: { module: "Leads" } }, body: { tags: [{ name: "Durable" }] } });
  const tagId = keep(String(tags.data!.tags[0]!.details.id));
  await crm.POST("/crm/v2/{module}/{recordId}/actions/add_tags", { params: { path: lead, query: { tag_names: ["Durable", "Auto made"] } } });
  for (const tag of (await crm.GET("/crm/v2/settings/tags", { params: { query: { module: "Leads" } } })).data!.tags) keep(tag.id);

  const note = await crm.POST("/crm/v2/{module}/{recordId}/Notes", {
    params: { path: lead },
    body: { data: [{ Note_Title: "Kept", Note_Content: "survives restarts" }] },
  });
  const noteId = keep(String(note.data!.data[0]!.details.id));
  await crm.PUT("/crm/v2/{module}/{recordId}/{relatedList}/{relatedRecordId}", {
    params: { path: { ...lead, relatedList: "Products", relatedRecordId: productId } },
    body: { data: [{ list_price: 9.75 }] },
  });

  const role = await crm.POST("/crm/v2/Contacts/roles", { body: { contact_roles: [{ name: "Keeper" }] } });
  const roleId = keep(String(role.data!.contact_roles[0]!.details.id));
  await crm.PUT("/crm/v2/Deals/{dealId}/Contact_Roles/{contactId}", {
    params: { path: { dealId: dealId!, contactId: contactId! } },
    body: { data: [{ Contact_Role: { id: roleId } }] },
  });
  const paul = emulator.state.users().find((u) => u.email.startsWith("paul."))!;
  await crm.POST("/crm/v2/{module}/{recordId}/actions/share", {
    params: { path: lead },
    body: { share: [{ user: { id: paul.id }, permission: "read_write" }] },
  });

  await crm.POST("/crm/v2/org/currencies/actions/enable", { body: { base_currency: { iso_code: "USD", exchange_rate: "1.0" } } });
  const eur = await crm.POST("/crm/v2/org/currencies", { body: { currencies: [{ iso_code: "EUR", exchange_rate: "0.92" }] } });
  keep(eur.data!.currencies[0]!.details.id);
  keep((await crm.POST("/crm/v2/org/taxes", { body: { taxes: [{ name: "Kept Tax", value: 7 }] } })).data!.taxes[0]!.details.id);
  const variable = await crm.POST("/crm/v2/settings/variables", {
    body: { variables: [{ name: "Kept", api_name: "Kept_Var", type: "integer", value: "3", variable_group: { api_name: "General" } }] },
  });
  keep(variable.data!.variables[0]!.details.id);

  const channelId = "1000000068042";
  const expiry = new Date(emulator.state.clock.now() + 3_600_000).toISOString();
  await crm.POST("/crm/v2/actions/watch", {
    body: { watch: [{ channel_id: channelId, events: ["Leads.create"], channel_expiry: expiry, token: "kept", notify_url: hooks.url }] },
  });

  const read = await crm.POST("/crm/bulk/v2/read", { body: { query: { module: "Leads", fields: ["Last_Name", "Company"] } } });
  const jobId = keep(read.data!.data[0]!.details.id);
  emulator.state.advanceClock(BULK_COMPLETED_MS);
  expect((await crm.GET("/crm/bulk/v2/read/{jobId}", { params: { path: { jobId } } })).data!.data[0]!.state).toBe("COMPLETED");

  const mass = await crm.POST("/crm/v2/{module}/actions/mass_update", {
    params: { path: { module: "Products" } },
    body: { data: [{ Product_Category: "Software" }], cvid: "4150868000000087501" },
  });
  const massJobId = keep(String(mass.data!.data[0]!.details.job_id));

  const zip = writeZip([{ name: "Leads.csv", data: Buffer.from("Last_Name,Company\r\nImported,Bulk Co\r\n") }]);
  const upload = await crm.POST("/crm/v2/upload", {
    params: { header: { feature: "bulk-write", "X-CRM-ORG": String(emulator.state.crm.org.zgid) } },
    body: { file: "" },
    bodySerializer: () => form("file", zip, "leads.zip"),
  });
  const writeFileId = keep(upload.data!.details.file_id);
  const write = await crm.POST("/crm/bulk/v2/write", { body: { operation: "insert", resource: [{ type: "data", module: "Leads", file_id: writeFileId }] } });
  const writeJobId = keep(write.data!.details.id);
  emulator.state.advanceClock(BULK_COMPLETED_MS);
  expect((await crm.GET("/crm/bulk/v2/write/{jobId}", { params: { path: { jobId: writeJobId } } })).data!.status).toBe("COMPLETED");

  const views = await crm.GET("/crm/v2/settings/custom_views", { params: { query: { module: "Leads" } } });
  const viewId = views.data!.custom_views[0]!.id!;
  for (const v of views.data!.custom_views) keep(v.id);
  await crm.PUT("/crm/v2/settings/custom_views/{id}", {
    params: { path: { id: viewId }, query: { module: "Leads" } },
    body: { custom_views: [{ sort_by: "Company", sort_order: "desc" }] },
  });
  await crm.PUT("/crm/v2/settings/modules/{module}", { params: { path: { module: "Deals" } }, body: { modules: [{ plural_label: "Opportunities" }] } });
  await crm.POST("/crm/v2/org/photo", { body: { file: "" }, bodySerializer: () => form("file", PNG, "logo.png") });
  const files = await crm.POST("/crm/v2/files", { body: { file: "" }, bodySerializer: () => form("file", Buffer.from("kept file"), "kept.txt") });
  const fileId = keep(files.data!.data[0]!.details.id);
  // The last id handed out is not a record's: only the persisted counter knows it.
  keep((await crm.POST("/crm/v2/settings/tags", { params: { query: { module: "Deals" } }, body: { tags: [{ name: "Last" }] } })).data!.tags[0]!.details.id);
  return {
    made: {
      leadId: keep(leadId),
      contactId: keep(contactId),
      dealId: keep(dealId),
      productId,
      attachmentId,
      noteId,
      tagId,
      roleId,
      jobId,
      massJobId,
      writeJobId,
      fileId,
      viewId,
      channelId,
    },
    ids,
  };
}

describe("persistPath keeps every area", () => {
  it("everything reads back identically after a restart; new ids never reuse old ones", async () => {
    const file = path.join(dir, "areas.sqlite");
    const store = new MemoryTokenStore();
    const bytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(200_000)]);
    const first = await boot(file, store);
    const { made, ids } = await makeEverything(first, bytes);
    const before = await readAll(first.crm, made);
    expect((before.attachmentBytes as [Buffer])[0].equals(bytes)).toBe(true);
    // Every area the emulator created has a codec (and this suite exercises each codec).
    expect([...first.emulator.state.crm.areas.keys()].sort()).toEqual(AREA_CODECS.map((c) => c.name).sort());
    const clockBefore = first.emulator.state.clock.now();
    await first.close();

    const second = await boot(file, store);
    expect(second.emulator.state.clock.now()).toBe(clockBefore); // a manual clock resumes where it stood
    const after = await readAll(second.crm, made);
    expect(after).toEqual(before);
    expect((after.attachmentBytes as [Buffer])[0].equals(bytes)).toBe(true);
    expect((after.readZip as Buffer).equals(before.readZip as Buffer)).toBe(true);

    // New objects of every kind get ids the first instance never handed out.
    const { crm } = second;
    const lead = { module: "Leads", recordId: made.leadId };
    const fresh = [
      (await uploadFile(crm, "/crm/v2/{module}/{recordId}/Attachments", { params: { path: lead } }, { file: Buffer.from("new"), fileName: "new.txt" })).data!
        .data[0]!.details.id,
      (await crm.POST("/crm/v2/settings/tags", { params: { query: { module: "Leads" } }, body: { tags: [{ name: "Fresh" }] } })).data!.tags[0]!.details.id,
      (await crm.POST("/crm/v2/{module}/{recordId}/Notes", { params: { path: lead }, body: { data: [{ Note_Content: "new" }] } })).data!.data[0]!.details.id,
      (await crm.POST("/crm/v2/Contacts/roles", { body: { contact_roles: [{ name: "Fresh role" }] } })).data!.contact_roles[0]!.details.id,
      (await crm.POST("/crm/v2/org/currencies", { body: { currencies: [{ iso_code: "GBP", exchange_rate: "0.8" }] } })).data!.currencies[0]!.details.id,
      (await crm.POST("/crm/v2/org/taxes", { body: { taxes: [{ name: "Fresh Tax", value: 1 }] } })).data!.taxes[0]!.details.id,
      (
        await crm.POST("/crm/v2/settings/variables", {
          body: { variables: [{ name: "Fresh", api_name: "Fresh_Var", type: "text", value: "x", variable_group: { api_name: "General" } }] },
        })
      ).data!.variables[0]!.details.id,
      (await crm.POST("/crm/bulk/v2/read", { body: { query: { module: "Deals" } } })).data!.data[0]!.details.id,
      (
        await crm.POST("/crm/v2/{module}/actions/mass_update", {
          params: { path: { module: "Products" } },
          body: { data: [{ Taxable: true }], cvid: "4150868000000087501" },
        })
      ).data!.data[0]!.details.job_id,
      ...(await insert(crm, "Deals", [{ Deal_Name: "After", Stage: "Qualification", Closing_Date: "2030-01-01" }])),
    ].map(String);
    expect(fresh).toHaveLength(10);
    for (const id of fresh) expect(ids, id).not.toContain(id);
    expect(new Set(fresh).size).toBe(fresh.length);

    // The restored channel is live: a new lead is POSTed to its notify_url.
    const [newLead] = await insert(crm, "Leads", [{ Last_Name: "Watched after restart" }]);
    const delivered = await callbackWhere((b) => Array.isArray(b.ids) && b.ids[0] === newLead);
    expect(delivered).toMatchObject({ channel_id: made.channelId, token: "kept", operation: "insert", resource_uri: expect.stringContaining("/crm/v2/Leads") });
    await second.close();
  });

  it("a crash (no close) loses nothing that was answered", async () => {
    const file = path.join(dir, "crash.sqlite");
    const store = new MemoryTokenStore();
    const first = await boot(file, store);
    const [leadId] = await insert(first.crm, "Leads", [{ Last_Name: "Crash" }]);
    const bytes = randomBytes(50_000);
    const up = await uploadFile(
      first.crm,
      "/crm/v2/{module}/{recordId}/Attachments",
      { params: { path: { module: "Leads", recordId: leadId! } } },
      { file: bytes, fileName: "c.bin" },
    );
    const tax = (await first.crm.POST("/crm/v2/org/taxes", { body: { taxes: [{ name: "Crash Tax", value: 3 }] } })).data!.taxes[0]!.details.id;
    first.emulator.state.advanceClock(5000); // then a request: the clock rides on its flush
    await first.crm.GET("/crm/v2/org", {});
    const clockBefore = first.emulator.state.clock.now();

    // The first instance is abandoned, not closed: no close-time flush ever runs for what follows.
    const second = await boot(file, store);
    try {
      const att = await downloadFile(second.crm, "/crm/v2/{module}/{recordId}/Attachments/{id}", {
        params: { path: { module: "Leads", recordId: leadId!, id: String(up.data!.data[0]!.details.id) } },
      });
      expect(att!.buffer.equals(bytes)).toBe(true);
      expect((await second.crm.GET("/crm/v2/org/taxes/{id}", { params: { path: { id: tax! } } })).data!.taxes[0]!.name).toBe("Crash Tax");
      expect(second.emulator.state.clock.now()).toBe(clockBefore);
    } finally {
      await second.close();
      await first.crm.close();
      await first.emulator.close();
    }
  });

  it("an unfinished bulk job completes after a restart (timer re-armed); expired channels are dropped", async () => {
    const file = path.join(dir, "timers.sqlite");
    const store = new MemoryTokenStore();
    const first = await boot(file, store);
    const expiry = new Date(first.emulator.state.clock.now() + 60_000).toISOString();
    await first.crm.POST("/crm/v2/actions/watch", {
      body: { watch: [{ channel_id: "1000000068043", events: ["Deals.all"], channel_expiry: expiry, notify_url: hooks.url }] },
    });
    const read = await first.crm.POST("/crm/bulk/v2/read", { body: { query: { module: "Deals" }, callback: { url: hooks.url, method: "post" } } });
    const jobId = read.data!.data[0]!.details.id!;
    await first.close(); // before the job's timer fires

    const second = await boot(file, store);
    try {
      // No polling: the restored job completes on its re-armed timer (read without touching the area).
      const job = () => (second.emulator.state.crm.areas.peek("bulk-read") as ReadArea).jobs.get(jobId)!;
      expect(job().state).toBe("ADDED");
      second.emulator.state.advanceClock(BULK_COMPLETED_MS + 10);
      expect(job().state).toBe("COMPLETED");
      expect(job().zip).toBeInstanceOf(Buffer);
      await callbackWhere((b) => Array.isArray(b.data) && (b.data[0] as { id?: string }).id === jobId);
      second.emulator.state.advanceClock(120_000);
      expect((await second.crm.GET("/crm/v2/actions/watch", {})).response.status).toBe(204);
    } finally {
      await second.close();
    }
  });
});

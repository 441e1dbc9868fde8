/**
 * Records-adjacent operations (issue 6 A) through the typed client against the emulator: related
 * records, notes, attachments (multipart upload, binary download), record photos, mass update,
 * tags, blueprint, sharing and contact roles. Every response is checked against the spec.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { downloadFile, fileNameFromDisposition, uploadFile } from "../../src/files.js";
import { ZohoApiError } from "../../src/errors.js";
import { parseMultipart } from "../../src/emulator/crm-routes/records-extra/multipart.js";
import { RECORDS_EXTRA_ROUTES } from "../../src/emulator/crm-routes/records-extra/index.js";
import { RecordsExtraState } from "../../src/emulator/crm-routes/records-extra/state.js";
import { useSharedHarness, type Harness } from "./helpers.js";

let h: Harness;

useSharedHarness((harness) => (h = harness));

/** Every byte value, then random bytes (a binary round trip must keep them all). */
function binary(size: number): Buffer {
  return Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from("\r\n--boundary\r\n"), randomBytes(Math.max(0, size - 270))]);
}

async function insert(module: string, records: Array<Record<string, unknown>>): Promise<string[]> {
  const { data, error } = await h.crm.POST("/crm/v2/{module}", { params: { path: { module } }, body: { data: records } });
  expect(error).toBeUndefined();
  return data!.data.map((item) => String(item.details.id));
}

const firstId = (module: string) => String(h.emulator.state.records(module)[0]!.id);

describe("operations", () => {
  const SPEC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../generated/crm-v2.openapi.json");
  const spec = JSON.parse(readFileSync(SPEC, "utf8")) as { paths: Record<string, Record<string, { operationId?: string }>> };
  const ops = new Map<string, string>();
  for (const [p, item] of Object.entries(spec.paths))
    for (const [m, op] of Object.entries(item)) if (op && typeof op === "object" && op.operationId) ops.set(op.operationId, `${m.toUpperCase()} ${p}`);

  it("the spec has every operation of the records-adjacent groups, and the emulator serves each", () => {
    const expected: Record<string, string> = {
      massUpdateRecords: "POST /crm/v2/{module}/actions/mass_update",
      getMassUpdateStatus: "GET /crm/v2/{module}/actions/mass_update",
      getPhoto: "GET /crm/v2/{module}/{id}/photo",
      uploadPhoto: "POST /crm/v2/{module}/{id}/photo",
      deletePhoto: "DELETE /crm/v2/{module}/{id}/photo",
      getRelatedRecords: "GET /crm/v2/{module}/{recordId}/{relatedList}",
      updateRelatedRecords: "PUT /crm/v2/{module}/{recordId}/{relatedList}",
      delinkRecords: "DELETE /crm/v2/{module}/{recordId}/{relatedList}",
      getRelatedRecord: "GET /crm/v2/{module}/{recordId}/{relatedList}/{relatedRecordId}",
      updateRelatedRecord: "PUT /crm/v2/{module}/{recordId}/{relatedList}/{relatedRecordId}",
      delinkRecord: "DELETE /crm/v2/{module}/{recordId}/{relatedList}/{relatedRecordId}",
      getNotes: "GET /crm/v2/Notes",
      createNotes: "POST /crm/v2/Notes",
      updateNotes: "PUT /crm/v2/Notes",
      deleteNotes: "DELETE /crm/v2/Notes",
      getNote: "GET /crm/v2/Notes/{id}",
      updateNote: "PUT /crm/v2/Notes/{id}",
      deleteNote: "DELETE /crm/v2/Notes/{id}",
      getRecordNotes: "GET /crm/v2/{module}/{recordId}/Notes",
      createRecordNotes: "POST /crm/v2/{module}/{recordId}/Notes",
      updateRecordNote: "PUT /crm/v2/{module}/{recordId}/Notes/{id}",
      deleteRecordNote: "DELETE /crm/v2/{module}/{recordId}/Notes/{id}",
      getAttachments: "GET /crm/v2/{module}/{recordId}/Attachments",
      uploadAttachment: "POST /crm/v2/{module}/{recordId}/Attachments",
      deleteAttachments: "DELETE /crm/v2/{module}/{recordId}/Attachments",
      downloadAttachment: "GET /crm/v2/{module}/{recordId}/Attachments/{id}",
      deleteAttachment: "DELETE /crm/v2/{module}/{recordId}/Attachments/{id}",
      getTags: "GET /crm/v2/settings/tags",
      createTags: "POST /crm/v2/settings/tags",
      updateTags: "PUT /crm/v2/settings/tags",
      updateTag: "PUT /crm/v2/settings/tags/{id}",
      deleteTag: "DELETE /crm/v2/settings/tags/{id}",
      mergeTags: "POST /crm/v2/settings/tags/{id}/actions/merge",
      getRecordCountForTag: "GET /crm/v2/settings/tags/{id}/actions/records_count",
      addTagsToMultipleRecords: "POST /crm/v2/{module}/actions/add_tags",
      removeTagsFromMultipleRecords: "POST /crm/v2/{module}/actions/remove_tags",
      addTagsToRecord: "POST /crm/v2/{module}/{recordId}/actions/add_tags",
      removeTagsFromRecord: "POST /crm/v2/{module}/{recordId}/actions/remove_tags",
      getBlueprint: "GET /crm/v2/{module}/{recordId}/actions/blueprint",
      updateBlueprint: "PUT /crm/v2/{module}/{recordId}/actions/blueprint",
      getSharedRecordDetails: "GET /crm/v2/{module}/{recordId}/actions/share",
      shareRecord: "POST /crm/v2/{module}/{recordId}/actions/share",
      updateSharePermissions: "PUT /crm/v2/{module}/{recordId}/actions/share",
      revokeSharedRecord: "DELETE /crm/v2/{module}/{recordId}/actions/share",
      getContactRoles: "GET /crm/v2/Contacts/roles",
      createContactRoles: "POST /crm/v2/Contacts/roles",
      updateContactRoles: "PUT /crm/v2/Contacts/roles",
      deleteContactRoles: "DELETE /crm/v2/Contacts/roles",
      getContactRole: "GET /crm/v2/Contacts/roles/{id}",
      updateContactRole: "PUT /crm/v2/Contacts/roles/{id}",
      deleteContactRole: "DELETE /crm/v2/Contacts/roles/{id}",
      getAllContactRolesOfDeal: "GET /crm/v2/Deals/{dealId}/Contact_Roles",
      getContactRoleOfDeal: "GET /crm/v2/Deals/{dealId}/Contact_Roles/{contactId}",
      addContactRoleToDeal: "PUT /crm/v2/Deals/{dealId}/Contact_Roles/{contactId}",
      removeContactRoleFromDeal: "DELETE /crm/v2/Deals/{dealId}/Contact_Roles/{contactId}",
    };
    for (const [id, route] of Object.entries(expected)) expect(ops.get(id), id).toBe(route);
    expect(RECORDS_EXTRA_ROUTES.map((r) => `${r.operationId} ${r.method} ${r.path}`).sort()).toEqual(
      Object.entries(expected)
        .map(([id, r]) => `${id} ${r}`)
        .sort(),
    );
  });

  it("routes literal segments first: Notes, Contacts/roles and Deals/.../Contact_Roles beat the record templates", async () => {
    await h.crm.GET("/crm/v2/Notes", {});
    await h.crm.GET("/crm/v2/Contacts/roles", {});
    expect(h.emulator.stats.perOperation.getNotes).toBeGreaterThan(0);
    expect(h.emulator.stats.perOperation.getContactRoles).toBeGreaterThan(0);
  });
});

describe("multipart parser", () => {
  it("splits parts binary-safely, with quoted boundaries and RFC 5987 file names", () => {
    const payload = binary(600);
    const body = Buffer.concat([
      Buffer.from('--x y\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n'),
      Buffer.from(
        `--x y\r\nContent-Disposition: form-data; name="file"; filename="a.bin"; filename*=UTF-8''%C3%A9t%C3%A9.bin\r\nContent-Type: application/x-test\r\n\r\n`,
      ),
      payload,
      Buffer.from("\r\n--x y--\r\n"),
    ]);
    const parts = parseMultipart(body, 'multipart/form-data; boundary="x y"')!;
    expect(parts.map((p) => [p.name, p.filename, p.contentType])).toEqual([
      ["note", undefined, undefined],
      ["file", "été.bin", "application/x-test"],
    ]);
    expect(parts[0]!.data.toString()).toBe("hello");
    expect(Buffer.compare(parts[1]!.data, payload)).toBe(0);
    expect(parseMultipart(body, "application/json")).toBeUndefined();
    expect(parseMultipart(Buffer.from("garbage"), "multipart/form-data; boundary=b")).toBeUndefined();
  });

  it("reads file names of Content-Disposition headers", () => {
    expect(fileNameFromDisposition('attachment; filename="r\\"q.pdf"')).toBe('r"q.pdf');
    expect(fileNameFromDisposition("attachment; filename=plain.txt")).toBe("plain.txt");
    expect(fileNameFromDisposition(`attachment; filename="_t_.txt"; filename*=UTF-8''%C3%A9t%C3%A9.txt`)).toBe("été.txt");
    expect(fileNameFromDisposition(null)).toBeUndefined();
  });
});

describe("related records", () => {
  it("lists lookup-based related records page by page with crm.paginate, and relates/delinks them", async () => {
    const accountId = firstId("Accounts");
    const before = h.emulator.state.records("Contacts").filter((c) => (c.Account_Name as { id?: string } | null)?.id === accountId).length;
    const created = await insert(
      "Contacts",
      Array.from({ length: 5 }, (_, i) => ({ Last_Name: `Rel ${i}` })),
    );
    const path = { module: "Accounts", recordId: accountId, relatedList: "Contacts" };
    const { data: put, response } = await h.crm.PUT("/crm/v2/{module}/{recordId}/{relatedList}", {
      params: { path },
      body: { data: created.map((id) => ({ id })) },
    });
    expect(response.status).toBe(200);
    expect(put!.data.every((r) => r.code === "SUCCESS" && r.message === "relation added")).toBe(true);

    const pages: number[] = [];
    for await (const page of h.crm.paginate.pages(
      "/crm/v2/{module}/{recordId}/{relatedList}",
      { params: { path, query: { sort_by: "Last_Name" } } },
      { perPage: 2 },
    ))
      pages.push(page.items.length);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(before + 5);
    expect(pages.length).toBe(Math.ceil((before + 5) / 2));
    const names: string[] = [];
    for await (const contact of h.crm.paginate(
      "/crm/v2/{module}/{recordId}/{relatedList}",
      { params: { path, query: { fields: ["Last_Name"] } } },
      { perPage: 3 },
    ))
      names.push(String(contact.Last_Name));
    expect(names).toEqual(expect.arrayContaining(["Rel 0", "Rel 4"]));

    const one = await h.crm.GET("/crm/v2/{module}/{recordId}/{relatedList}/{relatedRecordId}", { params: { path: { ...path, relatedRecordId: created[0]! } } });
    expect(one.data!.data[0]).toMatchObject({ id: created[0], Account_Name: { id: accountId } });

    const del = await h.crm.DELETE("/crm/v2/{module}/{recordId}/{relatedList}", { params: { path, query: { ids: [created[0]!, created[1]!, "999"] } } });
    expect(del.response.status).toBe(207);
    expect(del.data!.data.map((r) => r.status)).toEqual(["success", "success", "error"]);
    expect(h.emulator.state.record("Contacts", created[0]!)!.Account_Name).toBeNull();
    const single = await h.crm.DELETE("/crm/v2/{module}/{recordId}/{relatedList}/{relatedRecordId}", {
      params: { path: { ...path, relatedRecordId: created[2]! } },
    });
    expect(single.data!.data[0]).toMatchObject({ code: "SUCCESS", message: "relation removed", details: { id: created[2] } });
    const gone = await h.crm.GET("/crm/v2/{module}/{recordId}/{relatedList}/{relatedRecordId}", {
      params: { path: { ...path, relatedRecordId: created[2]! } },
    });
    expect(gone.response.status).toBe(204);
  });

  it("keeps many-to-many links with the relation's fields (Products of a Lead), both ways", async () => {
    const [leadId] = await insert("Leads", [{ Last_Name: "Linked" }]);
    const productId = firstId("Products");
    const path = { module: "Leads", recordId: leadId!, relatedList: "Products" };
    const empty = await h.crm.GET("/crm/v2/{module}/{recordId}/{relatedList}", { params: { path } });
    expect(empty.response.status).toBe(204);
    const put = await h.crm.PUT("/crm/v2/{module}/{recordId}/{relatedList}/{relatedRecordId}", {
      params: { path: { ...path, relatedRecordId: productId } },
      body: { data: [{ list_price: 12.5 }] },
    });
    expect(put.data!.data[0]!.status).toBe("success");
    const list = await h.crm.GET("/crm/v2/{module}/{recordId}/{relatedList}", { params: { path } });
    expect(list.data!.data).toEqual([expect.objectContaining({ id: productId, list_price: 12.5 })]);
    const reverse = await h.crm.GET("/crm/v2/{module}/{recordId}/{relatedList}", {
      params: { path: { module: "Products", recordId: productId, relatedList: "Leads" } },
    });
    expect(reverse.data!.data.map((r) => r.id)).toContain(leadId);
    const since = new Date(h.emulator.state.clock.now() + 60_000).toISOString();
    const notModified = await h.crm.GET("/crm/v2/{module}/{recordId}/{relatedList}", { params: { path, header: { "If-Modified-Since": since } } });
    expect(notModified.response.status).toBe(304);
  });

  it("resolves the parent by X-EXTERNAL and rejects unknown related lists and ids", async () => {
    const [leadId] = await insert("Leads", [{ Last_Name: "External parent", External_Lead_ID: "REL-EXT-1" }]);
    const productId = firstId("Products");
    const external = { "X-EXTERNAL": "Leads.External_Lead_ID" };
    await h.crm.PUT("/crm/v2/{module}/{recordId}/{relatedList}/{relatedRecordId}", {
      params: { path: { module: "Leads", recordId: "REL-EXT-1", relatedList: "Products", relatedRecordId: productId }, header: external },
      body: { data: [{}] },
    });
    const byExternal = await h.crm.GET("/crm/v2/{module}/{recordId}/{relatedList}", {
      params: { path: { module: "Leads", recordId: "REL-EXT-1", relatedList: "Products" }, header: external },
    });
    expect(byExternal.response.status).toBe(200);
    expect(byExternal.data!.data.map((p) => p.id)).toEqual([productId]);
    expect(
      RecordsExtraState.of(h.emulator.state.crm)
        .linksOf("products", "Leads", leadId!, "Products")
        .map((l) => l.otherId),
    ).toEqual([productId]);
    // Only external-id fields may be named: Account_Name is unique, not external.
    const account = h.emulator.state.records("Accounts")[1]!;
    const byName = await h.crm.GET("/crm/v2/{module}/{recordId}/{relatedList}", {
      params: { path: { module: "Accounts", recordId: String(account.Account_Name), relatedList: "Deals" }, header: { "X-EXTERNAL": "Accounts.Account_Name" } },
    });
    expect(byName.error).toMatchObject({ code: "INVALID_DATA", details: { api_name: "Account_Name" } });
    const badList = await h.crm.GET("/crm/v2/{module}/{recordId}/{relatedList}", {
      params: { path: { module: "Accounts", recordId: String(account.id), relatedList: "Nope" } },
    });
    expect(badList.error).toMatchObject({ code: "INVALID_DATA", message: "The relation name given seems to be invalid" });
    const badId = await h.crm.GET("/crm/v2/{module}/{recordId}/{relatedList}", {
      params: { path: { module: "Accounts", recordId: "12345", relatedList: "Deals" } },
    });
    expect(badId.error).toMatchObject({ code: "INVALID_DATA", status: "error" });
  });
});

describe("notes", () => {
  it("creates, lists (paginated), reads, updates and deletes notes", async () => {
    const leadId = firstId("Leads");
    const created = await h.crm.POST("/crm/v2/Notes", {
      body: { data: Array.from({ length: 3 }, (_, i) => ({ Note_Title: `T${i}`, Note_Content: `C${i}`, Parent_Id: leadId, $se_module: "Leads" })) },
    });
    expect(created.response.status).toBe(201);
    const ids = created.data!.data.map((r) => String(r.details.id));

    const all: string[] = [];
    for await (const note of h.crm.paginate("/crm/v2/Notes", {}, { perPage: 2 })) all.push(String(note.id));
    expect(all).toEqual(expect.arrayContaining(ids));

    const one = await h.crm.GET("/crm/v2/Notes/{id}", { params: { path: { id: ids[0]! } } });
    expect(one.data!.data[0]).toMatchObject({ id: ids[0], Note_Title: "T0", Note_Content: "C0", $se_module: "Leads", Parent_Id: { id: leadId } });

    const bulk = await h.crm.PUT("/crm/v2/Notes", {
      body: {
        data: [
          { id: ids[0], Note_Content: "edited" },
          { id: "1", Note_Content: "x" },
        ],
      },
    });
    expect(bulk.response.status).toBe(207);
    const single = await h.crm.PUT("/crm/v2/Notes/{id}", { params: { path: { id: ids[1]! } }, body: { data: [{ Note_Title: "renamed" }] } });
    expect(single.data!.data[0]).toMatchObject({ code: "SUCCESS", message: "record updated" });
    expect(h.emulator.state.record("Notes", ids[1]!)!.Note_Title).toBe("renamed");

    const del = await h.crm.DELETE("/crm/v2/Notes", { params: { query: { ids: [ids[0]!] } } });
    expect(del.data!.data[0]).toMatchObject({ code: "SUCCESS", message: "record deleted" });
    const delOne = await h.crm.DELETE("/crm/v2/Notes/{id}", { params: { path: { id: ids[1]! } } });
    expect(delOne.data!.data[0]!.status).toBe("success");
    const gone = await h.crm.GET("/crm/v2/Notes/{id}", { params: { path: { id: ids[1]! } } });
    expect(gone.response.status).toBe(204);
  });

  it("rejects a note without its parent (schema) and an unknown parent (record level)", async () => {
    const noParent = await h.raw("POST", "/crm/v2/Notes", { body: { data: [{ Note_Content: "orphan" }] } });
    expect(noParent.status).toBe(400);
    const unknownParent = await h.crm.POST("/crm/v2/Notes", { body: { data: [{ Note_Content: "x", Parent_Id: "123", $se_module: "Leads" }] } });
    expect(unknownParent.error).toMatchObject({ data: [{ code: "INVALID_DATA", details: { api_name: "Parent_Id" } }] });
  });

  it("manages the notes of one record, paginated", async () => {
    const [dealId] = await insert("Deals", [{ Deal_Name: "Noted", Stage: "Qualification", Closing_Date: "2030-01-01" }]);
    const path = { module: "Deals", recordId: dealId! };
    const added = await h.crm.POST("/crm/v2/{module}/{recordId}/Notes", {
      params: { path },
      body: { data: Array.from({ length: 5 }, (_, i) => ({ Note_Content: `n${i}` })) },
    });
    expect(added.response.status).toBe(201);
    const ids = added.data!.data.map((r) => String(r.details.id));
    const seen: string[] = [];
    for await (const note of h.crm.paginate(
      "/crm/v2/{module}/{recordId}/Notes",
      { params: { path, query: { sort_by: "Note_Content", sort_order: "desc" } } },
      { perPage: 2 },
    ))
      seen.push(String(note.Note_Content));
    expect(seen).toEqual(["n4", "n3", "n2", "n1", "n0"]);

    const upd = await h.crm.PUT("/crm/v2/{module}/{recordId}/Notes/{id}", {
      params: { path: { ...path, id: ids[0]! } },
      body: { data: [{ Note_Content: "changed", $se_module: "Leads" }] },
    });
    expect(upd.data!.data[0]!.status).toBe("success");
    expect(h.emulator.state.record("Notes", ids[0]!)).toMatchObject({ Note_Content: "changed", $se_module: "Deals" });
    const foreign = await h.crm.PUT("/crm/v2/{module}/{recordId}/Notes/{id}", {
      params: { path: { module: "Deals", recordId: firstId("Deals"), id: ids[1]! } },
      body: { data: [{ Note_Content: "no" }] },
    });
    expect(foreign.error).toMatchObject({ data: [{ code: "INVALID_DATA" }] });
    const del = await h.crm.DELETE("/crm/v2/{module}/{recordId}/Notes/{id}", { params: { path: { ...path, id: ids[1]! } } });
    expect(del.data!.data[0]).toMatchObject({ code: "SUCCESS", details: { id: ids[1] } });
    const list = await h.crm.GET("/crm/v2/{module}/{recordId}/Notes", { params: { path } });
    expect(list.data!.info.count).toBe(4);
  });
});

describe("attachments", () => {
  let leadId: string;
  beforeAll(async () => {
    [leadId] = (await insert("Leads", [{ Last_Name: "Files" }])) as [string];
  });
  const at = () => ({ params: { path: { module: "Leads", recordId: leadId } } });
  const attachmentsOfLead = () =>
    [...RecordsExtraState.of(h.emulator.state.crm).attachments.values()].filter((a) => a.parentId === leadId).map((a) => ({ File_Name: a.fileName }));

  it("uploads a Buffer and downloads it byte-exact, with its name, as a binary download", async () => {
    const bytes = binary(300_000);
    const up = await uploadFile(h.crm, "/crm/v2/{module}/{recordId}/Attachments", at(), {
      file: bytes,
      fileName: "report 2024.pdf",
      contentType: "application/pdf",
    });
    expect(up.error).toBeUndefined();
    expect(up.data!.data[0]).toMatchObject({ code: "SUCCESS", message: "attachment uploaded successfully", status: "success" });
    const id = String(up.data!.data[0]!.details.id);

    const file = await downloadFile(h.crm, "/crm/v2/{module}/{recordId}/Attachments/{id}", { params: { path: { module: "Leads", recordId: leadId, id } } });
    expect(file!.fileName).toBe("report 2024.pdf");
    // Zoho serves attachments as downloads (its OAS: application/octet-stream), not with the uploaded type.
    expect(file!.contentType).toBe("application/octet-stream");
    expect(file!.size).toBe(bytes.length);
    expect(Buffer.compare(file!.buffer, bytes)).toBe(0);

    const streamed = await downloadFile(
      h.crm,
      "/crm/v2/{module}/{recordId}/Attachments/{id}",
      { params: { path: { module: "Leads", recordId: leadId, id } } },
      { as: "stream" },
    );
    const chunks: Buffer[] = [];
    for await (const chunk of Readable.fromWeb(streamed!.stream as import("node:stream/web").ReadableStream)) chunks.push(chunk as Buffer);
    expect(Buffer.compare(Buffer.concat(chunks), bytes)).toBe(0);
    expect(streamed!.size).toBe(bytes.length);

    const raw = await h.crm.GET("/crm/v2/{module}/{recordId}/Attachments/{id}", {
      params: { path: { module: "Leads", recordId: leadId, id } },
      parseAs: "blob",
    });
    expect((raw.data as Blob).size).toBe(bytes.length);
  });

  it("replays a multipart upload byte-exact after a 401 INVALID_TOKEN (refresh once)", async () => {
    const refreshes = h.emulator.stats.refreshes;
    h.emulator.state.expireAccessTokens();
    const bytes = binary(50_000);
    const up = await uploadFile(h.crm, "/crm/v2/{module}/{recordId}/Attachments", at(), { file: bytes, fileName: "replayed.bin" });
    expect(h.emulator.stats.refreshes).toBe(refreshes + 1);
    const id = String(up.data!.data[0]!.details.id);
    const down = await downloadFile(h.crm, "/crm/v2/{module}/{recordId}/Attachments/{id}", { params: { path: { module: "Leads", recordId: leadId, id } } });
    expect(down!.contentType).toBe("application/octet-stream");
    expect(Buffer.compare(down!.buffer, bytes)).toBe(0);
    expect(attachmentsOfLead().filter((a) => a.File_Name === "replayed.bin")).toHaveLength(1);
  });

  it("uploads from a path, a Blob, a Node stream and a web stream; keeps non-ASCII names", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "zcrm-files-"));
    try {
      const file = path.join(dir, "notes.txt");
      await writeFile(file, "from disk");
      const sources: Array<[Parameters<typeof uploadFile>[3], string, string]> = [
        [{ file }, "notes.txt", "from disk"],
        [{ file: new Blob(["from blob"], { type: "text/plain" }), fileName: "blob.txt" }, "blob.txt", "from blob"],
        [{ file: Readable.from([Buffer.from("from "), Buffer.from("node")]), fileName: "node.txt" }, "node.txt", "from node"],
        [{ file: new Blob(["from web"]).stream(), fileName: "été 📎.txt" }, "été 📎.txt", "from web"],
      ];
      for (const [options, name, text] of sources) {
        const up = await uploadFile(h.crm, "/crm/v2/{module}/{recordId}/Attachments", at(), options);
        const id = String(up.data!.data[0]!.details.id);
        const down = await downloadFile(h.crm, "/crm/v2/{module}/{recordId}/Attachments/{id}", { params: { path: { module: "Leads", recordId: leadId, id } } });
        // A text/plain upload still comes back as a download, never as a type a client would parse.
        expect([down!.fileName, down!.buffer.toString(), down!.contentType]).toEqual([name, text, "application/octet-stream"]);
      }
      await expect(uploadFile(h.crm, "/crm/v2/{module}/{recordId}/Attachments", at(), { file: path.join(dir, "missing.bin") })).rejects.toMatchObject({
        code: "FILE_NOT_READABLE",
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("attaches links (query parameter or form field), lists them, and refuses to download them", async () => {
    const byQuery = await h.crm.POST("/crm/v2/{module}/{recordId}/Attachments", {
      params: { path: { module: "Leads", recordId: leadId }, query: { attachmentUrl: "https://www.example.com/spec" } },
    });
    expect(byQuery.data!.data[0]!.status).toBe("success");
    const linkId = String(byQuery.data!.data[0]!.details.id);
    // The link as a form field (Zoho's Python SDK); a part that is not `file` is ignored.
    const byForm = await uploadFile(h.crm, "/crm/v2/{module}/{recordId}/Attachments", at(), {
      file: Buffer.alloc(0),
      field: "ignored",
      fields: { attachmentUrl: "https://zoho.example/doc" },
    });
    expect(byForm.data!.data[0]!.status).toBe("success");
    const both = await uploadFile(h.crm, "/crm/v2/{module}/{recordId}/Attachments", at(), {
      file: Buffer.from("x"),
      fields: { attachmentUrl: "https://zoho.example/other" },
    });
    expect(both.error).toMatchObject({ code: "INVALID_DATA", message: "send either a file or an attachmentUrl, not both" });
    const dup = await h.crm.POST("/crm/v2/{module}/{recordId}/Attachments", {
      params: { path: { module: "Leads", recordId: leadId }, query: { attachmentUrl: "https://www.example.com/spec" } },
    });
    expect(dup.error).toMatchObject({ code: "INVALID_DATA", message: "Attachment link already exists" });

    const list = await h.crm.GET("/crm/v2/{module}/{recordId}/Attachments", {
      params: { path: { module: "Leads", recordId: leadId }, query: { per_page: 200 } },
    });
    const link = list.data!.data.find((a) => a.id === linkId)!;
    expect(link).toMatchObject({
      $type: "Link URL",
      $link_url: "https://www.example.com/spec",
      Size: "0",
      $file_id: null,
      $se_module: "Leads",
      Parent_Id: { id: leadId },
    });
    expect(list.data!.data.find((a) => a.$type === "File")).toMatchObject({ $file_id: expect.any(String), Owner: { id: expect.any(String) } });
    const picked = await h.crm.GET("/crm/v2/{module}/{recordId}/Attachments", {
      params: { path: { module: "Leads", recordId: leadId }, query: { fields: ["File_Name"] } },
    });
    expect(Object.keys(picked.data!.data[0]!).sort()).toEqual(["File_Name", "id"]);

    await expect(
      downloadFile(h.crm, "/crm/v2/{module}/{recordId}/Attachments/{id}", { params: { path: { module: "Leads", recordId: leadId, id: linkId } } }),
    ).rejects.toSatisfy((e: unknown) => e instanceof ZohoApiError && e.code === "INVALID_DATA" && e.status === 400);
  });

  it("rejects uploads with no file, and deletes attachments one by one and in bulk", async () => {
    const none = await h.raw("POST", `/crm/v2/Leads/${leadId}/Attachments`);
    expect(none.json).toMatchObject({ code: "REQUIRED_PARAM_MISSING", details: { param_name: "file" } });
    const json = await h.raw("POST", `/crm/v2/Leads/${leadId}/Attachments`, { body: { file: "x" } });
    expect(json.status).toBe(415);

    const list = await h.crm.GET("/crm/v2/{module}/{recordId}/Attachments", at());
    const ids = list.data!.data.map((a) => String(a.id));
    const one = await h.crm.DELETE("/crm/v2/{module}/{recordId}/Attachments/{id}", { params: { path: { module: "Leads", recordId: leadId, id: ids[0]! } } });
    expect(one.data!.data[0]).toMatchObject({ code: "SUCCESS", details: { id: ids[0] } });
    const bulk = await h.crm.DELETE("/crm/v2/{module}/{recordId}/Attachments", {
      params: { path: { module: "Leads", recordId: leadId }, query: { ids: [...ids.slice(1), ids[0]!] } },
    });
    expect(bulk.response.status).toBe(207);
    expect(bulk.data!.data.at(-1)).toMatchObject({ code: "INVALID_DATA", status: "error" });
    const empty = await h.crm.GET("/crm/v2/{module}/{recordId}/Attachments", at());
    expect(empty.response.status).toBe(204);
  });
});

describe("record photo", () => {
  it("uploads, downloads byte-exact, replaces and deletes a photo; 204 when there is none", async () => {
    const [contactId] = await insert("Contacts", [{ Last_Name: "Pictured" }]);
    const path = { module: "Contacts", id: contactId! };
    expect(await downloadFile(h.crm, "/crm/v2/{module}/{id}/photo", { params: { path } })).toBeUndefined();
    const png = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), binary(4096)]);
    const up = await uploadFile(h.crm, "/crm/v2/{module}/{id}/photo", { params: { path } }, { file: png, fileName: "me.png", contentType: "image/png" });
    expect(up.data).toEqual({ code: "SUCCESS", details: {}, message: "photo uploaded successfully", status: "success" });
    const photo = await downloadFile(h.crm, "/crm/v2/{module}/{id}/photo", { params: { path } });
    expect([photo!.contentType, photo!.fileName]).toEqual(["image/png", "me.png"]);
    expect(Buffer.compare(photo!.buffer, png)).toBe(0);

    const notImage = await uploadFile(
      h.crm,
      "/crm/v2/{module}/{id}/photo",
      { params: { path } },
      { file: Buffer.from("text"), fileName: "a.txt", contentType: "text/plain" },
    );
    expect(notImage.error).toMatchObject({ code: "INVALID_DATA", message: "invalid file type" });
    const deal = await uploadFile(
      h.crm,
      "/crm/v2/{module}/{id}/photo",
      { params: { path: { module: "Deals", id: firstId("Deals") } } },
      { file: png, fileName: "d.png" },
    );
    expect(deal.error).toMatchObject({ code: "INVALID_MODULE" });

    const del = await h.crm.DELETE("/crm/v2/{module}/{id}/photo", { params: { path } });
    expect(del.data).toMatchObject({ code: "SUCCESS", message: "Photo deleted" });
    const again = await h.crm.DELETE("/crm/v2/{module}/{id}/photo", { params: { path } });
    expect(again.error).toMatchObject({ code: "INVALID_DATA" });
    const after = await h.crm.GET("/crm/v2/{module}/{id}/photo", { params: { path }, parseAs: "blob" });
    expect(after.response.status).toBe(204);
  });
});

describe("mass update", () => {
  it("updates records by id at once, one result each", async () => {
    const ids = await insert(
      "Leads",
      Array.from({ length: 3 }, (_, i) => ({ Last_Name: `Mass ${i}` })),
    );
    const { data, response } = await h.crm.POST("/crm/v2/{module}/actions/mass_update", {
      params: { path: { module: "Leads" } },
      body: { data: [{ Lead_Status: "Contacted" }], ids: [...ids, "1"] },
    });
    expect(response.status).toBe(207);
    expect(data!.data.map((r) => r.message)).toEqual(["record updated", "record updated", "record updated", "the id given seems to be invalid"]);
    expect(ids.map((id) => h.emulator.state.record("Leads", id)!.Lead_Status)).toEqual(["Contacted", "Contacted", "Contacted"]);
  });

  it("schedules a job for a custom view and reports SCHEDULED, RUNNING, then COMPLETED with counts", async () => {
    await insert("Products", [
      { Product_Name: "Mass A", Manufacturer: "LexPon Inc." },
      { Product_Name: "Mass B", Manufacturer: "LexPon Inc." },
    ]);
    const { data, response } = await h.crm.POST("/crm/v2/{module}/actions/mass_update", {
      params: { path: { module: "Products" } },
      body: {
        data: [{ Product_Category: "Software" }],
        cvid: "4150868000000087501",
        criteria: [{ api_name: "Manufacturer", comparator: "equal", value: "LexPon Inc." }],
      },
    });
    expect(response.status).toBe(202);
    expect(data!.data[0]).toMatchObject({ code: "SUCCESS", message: "mass update scheduled successfully" });
    const jobId = String(data!.data[0]!.details.job_id);
    const status = async () =>
      (await h.crm.GET("/crm/v2/{module}/actions/mass_update", { params: { path: { module: "Products" }, query: { job_id: jobId } } })).data!.data[0]!;
    expect((await status()).Status).toBe("SCHEDULED");
    h.emulator.state.advanceClock(1500);
    expect((await status()).Status).toBe("RUNNING");
    h.emulator.state.advanceClock(1500);
    expect(await status()).toEqual({ Status: "COMPLETED", Total_Count: 2, Updated_Count: 2, Not_Updated_Count: 0, Failed_Count: 0 });
    expect(
      h.emulator.state
        .records("Products")
        .filter((p) => p.Manufacturer === "LexPon Inc.")
        .every((p) => p.Product_Category === "Software"),
    ).toBe(true);

    // v2 names the criterion's field in `field` (Zoho's v2 SDK, record/criteria); `api_name` above is the later form.
    await insert("Products", [{ Product_Name: "Mass C", Manufacturer: "MetBeat Corp." }]);
    const byField = await h.crm.POST("/crm/v2/{module}/actions/mass_update", {
      params: { path: { module: "Products" } },
      body: {
        data: [{ Product_Category: "Hardware" }],
        cvid: "4150868000000087501",
        criteria: [{ field: "Manufacturer", comparator: "equal", value: "MetBeat Corp." }],
      },
    });
    h.emulator.state.advanceClock(3000);
    const fieldJob = String(byField.data!.data[0]!.details.job_id);
    const fieldStatus = await h.crm.GET("/crm/v2/{module}/actions/mass_update", { params: { path: { module: "Products" }, query: { job_id: fieldJob } } });
    expect(fieldStatus.data!.data[0]).toMatchObject({ Status: "COMPLETED", Updated_Count: 1 });
    expect(h.emulator.state.records("Products").find((p) => p.Product_Name === "Mass C")).toMatchObject({ Product_Category: "Hardware" });

    const unknown = await h.crm.GET("/crm/v2/{module}/actions/mass_update", { params: { path: { module: "Products" }, query: { job_id: "1" } } });
    expect(unknown.error).toMatchObject({ code: "INVALID_DATA", details: { param_name: "job_id" } });
    const neither = await h.crm.POST("/crm/v2/{module}/actions/mass_update", {
      params: { path: { module: "Products" } },
      body: { data: [{ Taxable: false }] },
    });
    expect(neither.error).toMatchObject({ code: "MANDATORY_NOT_FOUND", details: { param_name: "cvid" } });
  });
});

describe("tags", () => {
  it("manages a module's tags and tags records, v2-style (query parameters)", async () => {
    const module = { query: { module: "Leads" } };
    const created = await h.crm.POST("/crm/v2/settings/tags", { params: module, body: { tags: [{ name: "Hot" }, { name: "Cold" }, { name: "hot" }] } });
    expect(created.response.status).toBe(207);
    expect(created.data!.tags.map((t) => t.code)).toEqual(["SUCCESS", "SUCCESS", "DUPLICATE_DATA"]);
    const [hot, cold] = created.data!.tags.map((t) => String(t.details.id));
    const dupOnly = await h.crm.POST("/crm/v2/settings/tags", { params: module, body: { tags: [{ name: "Hot" }] } });
    expect(dupOnly.error).toMatchObject({ tags: [{ code: "DUPLICATE_DATA", details: { api_name: "name", id: hot } }] });

    const list = await h.crm.GET("/crm/v2/settings/tags", { params: { query: { module: "Leads", my_tags: true } } });
    expect(list.data!.tags.map((t) => t.name)).toEqual(expect.arrayContaining(["Hot", "Cold"]));
    expect(list.data!.info).toMatchObject({ allowed_count: 100 });

    const [a, b] = await insert("Leads", [{ Last_Name: "Tagged A" }, { Last_Name: "Tagged B" }]);
    const one = await h.crm.POST("/crm/v2/{module}/{recordId}/actions/add_tags", {
      params: { path: { module: "Leads", recordId: a! }, query: { tag_names: ["Hot", "New one"] } },
    });
    expect(one.data!.data[0]).toMatchObject({ code: "SUCCESS", details: { id: a, tags: ["Hot", "New one"] } });
    const record = await h.crm.GET("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id: a! } } });
    expect(record.data!.data[0]!.Tag!.map((t) => t.name)).toEqual(["Hot", "New one"]);

    const many = await h.crm.POST("/crm/v2/{module}/actions/add_tags", {
      params: { path: { module: "Leads" }, query: { tag_names: ["Cold"], ids: [a!, b!, "1"], over_write: false } },
    });
    expect(many.response.status).toBe(207);
    // v2 types per Zoho's v2 SDK model (tags/record_action_wrapper): success_count a string, locked_count a number.
    expect(many.data).toMatchObject({ success_count: "2", locked_count: 0, wf_scheduler: false });
    const count = await h.crm.GET("/crm/v2/settings/tags/{id}/actions/records_count", { params: { path: { id: cold! }, query: { module: "Leads" } } });
    expect(count.data).toEqual({ count: "2" });

    const over = await h.crm.POST("/crm/v2/{module}/{recordId}/actions/add_tags", {
      params: { path: { module: "Leads", recordId: b! }, query: { tag_names: ["Hot"], over_write: true } },
    });
    expect(over.data!.data[0]!.details.tags).toEqual(["Hot"]);
    const removed = await h.crm.POST("/crm/v2/{module}/{recordId}/actions/remove_tags", {
      params: { path: { module: "Leads", recordId: a! }, query: { tag_names: ["New one"] } },
    });
    expect(removed.data!.data[0]!.details.tags).toEqual(["Hot", "Cold"]);
    const removedMany = await h.crm.POST("/crm/v2/{module}/actions/remove_tags", {
      params: { path: { module: "Leads" }, query: { tag_names: ["Hot"], ids: [a!, b!] } },
    });
    expect(removedMany.data!.data.map((r) => r.details.tags)).toEqual([["Cold"], []]);

    const renamed = await h.crm.PUT("/crm/v2/settings/tags", { params: module, body: { tags: [{ id: cold!, name: "Frozen" }] } });
    expect(renamed.data!.tags[0]).toMatchObject({ code: "SUCCESS", message: "tags updated successfully" });
    expect(h.emulator.state.record("Leads", a!)!.Tag).toEqual([{ name: "Frozen", id: cold }]);
    const renamedOne = await h.crm.PUT("/crm/v2/settings/tags/{id}", {
      params: { path: { id: hot! }, query: { module: "Leads" } },
      body: { tags: [{ name: "Warm" }] },
    });
    expect(renamedOne.data!.tags[0]!.status).toBe("success");

    const merged = await h.crm.POST("/crm/v2/settings/tags/{id}/actions/merge", { params: { path: { id: cold! } }, body: { tags: [{ conflict_id: hot! }] } });
    expect(merged.data!.tags[0]).toMatchObject({ code: "SUCCESS", details: { id: hot } });
    expect(h.emulator.state.record("Leads", a!)!.Tag).toEqual([{ name: "Warm", id: hot }]);
    const deleted = await h.crm.DELETE("/crm/v2/settings/tags/{id}", { params: { path: { id: hot! } } });
    expect(deleted.data!.tags[0]).toMatchObject({ code: "SUCCESS", message: "tags deleted successfully" });
    expect(h.emulator.state.record("Leads", a!)!.Tag).toEqual([]);
    const missing = await h.crm.DELETE("/crm/v2/settings/tags/{id}", { params: { path: { id: hot! } } });
    expect(missing.error).toMatchObject({ code: "INVALID_DATA" });
    const noModule = await h.raw("GET", "/crm/v2/settings/tags");
    expect(noModule.json).toMatchObject({ code: "REQUIRED_PARAM_MISSING", details: { param_name: "module" } });
  });
});

describe("blueprint", () => {
  it("shows a deal's state and transitions, performs one, and refuses others", async () => {
    const [dealId] = await insert("Deals", [{ Deal_Name: "Flow", Stage: "Qualification", Closing_Date: "2030-06-30" }]);
    const path = { module: "Deals", recordId: dealId! };
    const { data } = await h.crm.GET("/crm/v2/{module}/{recordId}/actions/blueprint", { params: { path } });
    expect(data!.blueprint.process_info).toMatchObject({ api_name: "Stage", field_value: "Qualification", name: "Deal Process" });
    const next = data!.blueprint.transitions!.find((t) => t.next_field_value === "Needs Analysis")!;
    expect(next.fields!.map((f) => f.api_name)).toEqual(["Next_Step"]);

    const done = await h.crm.PUT("/crm/v2/{module}/{recordId}/actions/blueprint", {
      params: { path },
      body: { blueprint: [{ transition_id: next.id, data: { Next_Step: "Demo" } }] },
    });
    expect(done.data).toEqual({ code: "SUCCESS", details: {}, message: "transition updated successfully", status: "success" });
    expect(h.emulator.state.record("Deals", dealId!)).toMatchObject({ Stage: "Needs Analysis", Next_Step: "Demo" });

    const stale = await h.crm.PUT("/crm/v2/{module}/{recordId}/actions/blueprint", { params: { path }, body: { blueprint: [{ transition_id: next.id }] } });
    expect(stale.error).toMatchObject({ code: "INVALID_DATA", message: "invalid transition" });
    const lead = await h.crm.GET("/crm/v2/{module}/{recordId}/actions/blueprint", { params: { path: { module: "Leads", recordId: firstId("Leads") } } });
    expect(lead.error).toMatchObject({ code: "RECORD_NOT_IN_PROCESS" });
  });
});

describe("share records", () => {
  it("shares a record, lists and updates the sharing, and revokes it", async () => {
    const [leadId] = await insert("Leads", [{ Last_Name: "Shared" }]);
    const path = { module: "Leads", recordId: leadId! };
    const paul = h.emulator.state.users().find((u) => u.email.startsWith("paul."))!;
    const ken = h.emulator.state.users().find((u) => u.status === "disabled")!;
    const shared = await h.crm.POST("/crm/v2/{module}/{recordId}/actions/share", {
      params: { path },
      body: {
        share: [
          { user: { id: paul.id }, permission: "read_only" },
          { user: { id: ken.id }, permission: "read_only" },
        ],
      },
    });
    expect(shared.response.status).toBe(207);
    expect(shared.data!.share.map((s) => s.message)).toEqual(["record will be shared successfully", "cannot share to the user"]);
    const again = await h.crm.POST("/crm/v2/{module}/{recordId}/actions/share", {
      params: { path },
      body: { share: [{ user: { id: paul.id }, permission: "full_access" }] },
    });
    expect(again.error).toMatchObject({ share: [{ code: "DUPLICATE_DATA" }] });

    const updated = await h.crm.PUT("/crm/v2/{module}/{recordId}/actions/share", {
      params: { path },
      body: { share: [{ user: { id: paul.id }, permission: "read_write", share_related_records: true }] },
    });
    expect(updated.data!.share[0]!.status).toBe("success");
    const details = await h.crm.GET("/crm/v2/{module}/{recordId}/actions/share", { params: { path, query: { view: "manage", sharedTo: paul.id } } });
    expect(details.data!.share).toEqual([
      expect.objectContaining({
        permission: "read_write",
        share_related_records: true,
        user: expect.objectContaining({ id: paul.id }),
        shared_through: expect.objectContaining({ id: leadId }),
      }),
    ]);
    expect(details.data!.shareable_user!.map((u) => u.id)).not.toContain(paul.id);

    const revoked = await h.crm.DELETE("/crm/v2/{module}/{recordId}/actions/share", { params: { path } });
    expect(revoked.data).toEqual({ share: { code: "SUCCESS", details: {}, message: "Sharing Revoked", status: "success" } });
    const none = await h.crm.DELETE("/crm/v2/{module}/{recordId}/actions/share", { params: { path } });
    expect(none.error).toMatchObject({ code: "INVALID_DATA" });
    const empty = await h.crm.GET("/crm/v2/{module}/{recordId}/actions/share", { params: { path } });
    expect(empty.data).toEqual({ share: [] });
  });
});

describe("contact roles", () => {
  it("manages contact roles and the contacts of a deal with their roles", async () => {
    const roles = await h.crm.GET("/crm/v2/Contacts/roles", {});
    expect(roles.data!.contact_roles.map((r) => r.name)).toContain("Purchasing");

    const created = await h.crm.POST("/crm/v2/Contacts/roles", { body: { contact_roles: [{ name: "Champion" }, { name: "purchasing" }] } });
    expect(created.response.status).toBe(207);
    expect(created.data!.contact_roles.map((r) => r.code)).toEqual(["SUCCESS", "DUPLICATE_DATA"]);
    const championId = String(created.data!.contact_roles[0]!.details.id);
    const one = await h.crm.GET("/crm/v2/Contacts/roles/{id}", { params: { path: { id: championId } } });
    expect(one.data!.contact_roles[0]).toMatchObject({ id: championId, name: "Champion" });
    const upd = await h.crm.PUT("/crm/v2/Contacts/roles", { body: { contact_roles: [{ id: championId, sequence_number: 1 }] } });
    expect(upd.data!.contact_roles[0]!.message).toBe("contact role updated");

    const [dealId] = await insert("Deals", [{ Deal_Name: "Roles", Stage: "Qualification", Closing_Date: "2030-01-01" }]);
    const [c1, c2] = await insert("Contacts", [{ Last_Name: "Buyer", Department: "Purchasing" }, { Last_Name: "Boss" }]);
    const empty = await h.crm.GET("/crm/v2/Deals/{dealId}/Contact_Roles", { params: { path: { dealId: dealId! } } });
    expect(empty.response.status).toBe(204);
    for (const [contactId, role] of [
      [c1!, championId],
      [c2!, { id: roles.data!.contact_roles[0]!.id }],
    ] as const) {
      const added = await h.crm.PUT("/crm/v2/Deals/{dealId}/Contact_Roles/{contactId}", {
        params: { path: { dealId: dealId!, contactId } },
        body: { data: [{ Contact_Role: role }] },
      });
      expect(added.data!.data[0]).toMatchObject({ code: "SUCCESS", message: "relation added", details: { id: contactId } });
    }
    const renamed = await h.crm.PUT("/crm/v2/Contacts/roles/{id}", { params: { path: { id: championId } }, body: { contact_roles: [{ name: "Sponsor" }] } });
    expect(renamed.data!.contact_roles[0]!.status).toBe("success");

    const all = await h.crm.GET("/crm/v2/Deals/{dealId}/Contact_Roles", { params: { path: { dealId: dealId! } } });
    expect(all.data!.data).toEqual([
      expect.objectContaining({ id: c1, Department: "Purchasing", Contact_Role: { name: "Sponsor", id: championId } }),
      expect.objectContaining({ id: c2, Contact_Role: expect.objectContaining({ name: roles.data!.contact_roles[0]!.name }) }),
    ]);
    const filtered = await h.crm.GET("/crm/v2/Deals/{dealId}/Contact_Roles", { params: { path: { dealId: dealId! }, query: { ids: [c2!] } } });
    expect(filtered.data!.data.map((c) => c.id)).toEqual([c2]);
    const single = await h.crm.GET("/crm/v2/Deals/{dealId}/Contact_Roles/{contactId}", { params: { path: { dealId: dealId!, contactId: c1! } } });
    expect(single.data!.data[0]).toMatchObject({ id: c1, Contact_Role: { id: championId } });
    const badRole = await h.crm.PUT("/crm/v2/Deals/{dealId}/Contact_Roles/{contactId}", {
      params: { path: { dealId: dealId!, contactId: c1! } },
      body: { data: [{ Contact_Role: "1" }] },
    });
    expect(badRole.error).toMatchObject({ data: [{ code: "INVALID_DATA", details: { api_name: "Contact_Role" } }] });

    const removed = await h.crm.DELETE("/crm/v2/Deals/{dealId}/Contact_Roles/{contactId}", { params: { path: { dealId: dealId!, contactId: c2! } } });
    expect(removed.data!.data[0]).toMatchObject({ code: "SUCCESS", message: "relation removed" });
    const notThere = await h.crm.GET("/crm/v2/Deals/{dealId}/Contact_Roles/{contactId}", { params: { path: { dealId: dealId!, contactId: c2! } } });
    expect(notThere.response.status).toBe(204);

    const delOne = await h.crm.DELETE("/crm/v2/Contacts/roles/{id}", { params: { path: { id: championId } } });
    expect(delOne.data!.contact_roles[0]!.message).toBe("contact role deleted");
    expect(
      (await h.crm.GET("/crm/v2/Deals/{dealId}/Contact_Roles/{contactId}", { params: { path: { dealId: dealId!, contactId: c1! } } })).data!.data[0]!
        .Contact_Role,
    ).toBeNull();
    const extra = await h.crm.POST("/crm/v2/Contacts/roles", { body: { contact_roles: [{ name: "Temp 1" }, { name: "Temp 2" }] } });
    const tempIds = extra.data!.contact_roles.map((r) => String(r.details.id));
    const delMany = await h.crm.DELETE("/crm/v2/Contacts/roles", { params: { query: { ids: [...tempIds, championId] } } });
    expect(delMany.response.status).toBe(207);
    expect(delMany.data!.contact_roles.map((r) => r.status)).toEqual(["success", "success", "error"]);
  });
});

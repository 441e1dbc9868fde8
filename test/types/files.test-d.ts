/**
 * Type tests of the file operations (issue 6 A): binary downloads read as Blob/stream, multipart
 * uploads only on upload paths, typed results of the records-adjacent operations.
 */
import { describe, expectTypeOf, it } from "vitest";
import { createZohoCRM, downloadFile, uploadFile, type components, type DownloadedBuffer, type DownloadedStream } from "../../src/index.js";

type Schemas = components["schemas"];
const crm = createZohoCRM({ accessToken: "static", apiBaseUrl: "http://127.0.0.1:1" });
const attachment = { params: { path: { module: "Leads", recordId: "1", id: "2" } } } as const;

describe("file operations", () => {
  it("reads binary responses as Blob or stream with parseAs", async () => {
    const blob = await crm.GET("/crm/v2/{module}/{id}/photo", { params: { path: { module: "Leads", id: "1" } }, parseAs: "blob" });
    expectTypeOf(blob.data).toEqualTypeOf<Blob | undefined>();
    const stream = await crm.GET("/crm/v2/{module}/{recordId}/Attachments/{id}", { ...attachment, parseAs: "stream" });
    expectTypeOf(stream.data).toEqualTypeOf<Response["body"] | undefined>();
  });

  it("downloadFile returns bytes or a stream, and accepts only binary GET paths", async () => {
    expectTypeOf(await downloadFile(crm, "/crm/v2/{module}/{recordId}/Attachments/{id}", attachment)).toEqualTypeOf<DownloadedBuffer | undefined>();
    expectTypeOf(await downloadFile(crm, "/crm/v2/{module}/{recordId}/Attachments/{id}", attachment, { as: "stream" })).toEqualTypeOf<
      DownloadedStream | undefined
    >();
    // @ts-expect-error a JSON list is not a download
    await downloadFile(crm, "/crm/v2/{module}/{recordId}/Attachments", { params: { path: { module: "Leads", recordId: "1" } } });
  });

  it("uploadFile accepts only multipart POST paths and types their results", async () => {
    const { data } = await uploadFile(
      crm,
      "/crm/v2/{module}/{recordId}/Attachments",
      { params: { path: { module: "Leads", recordId: "1" } } },
      { file: new Uint8Array(1) },
    );
    expectTypeOf(data!.data[0]!).toMatchTypeOf<Schemas["WriteResult"]>();
    const photo = await uploadFile(crm, "/crm/v2/{module}/{id}/photo", { params: { path: { module: "Leads", id: "1" } } }, { file: "photo.png" });
    expectTypeOf(photo.data!.message).toEqualTypeOf<string>();
    // @ts-expect-error records take JSON, not multipart
    await uploadFile(crm, "/crm/v2/{module}", { params: { path: { module: "Leads" } } }, { file: "a.csv" });
  });

  it("types the records-adjacent envelopes and v2 query-parameter tags", async () => {
    const tags = await crm.GET("/crm/v2/settings/tags", { params: { query: { module: "Leads" } } });
    expectTypeOf(tags.data!.tags[0]!.name).toEqualTypeOf<string>();
    const status = await crm.GET("/crm/v2/{module}/actions/mass_update", { params: { path: { module: "Leads" }, query: { job_id: "1" } } });
    expectTypeOf(status.data!.data[0]!.Status).toEqualTypeOf<"SCHEDULED" | "RUNNING" | "COMPLETED" | "FAILED">();
    await crm.POST("/crm/v2/{module}/actions/add_tags", { params: { path: { module: "Leads" }, query: { tag_names: ["a"], ids: ["1"], over_write: true } } });
    const share = await crm.GET("/crm/v2/{module}/{recordId}/actions/share", { params: { path: { module: "Leads", recordId: "1" } } });
    expectTypeOf(share.data!.share[0]!.permission).toEqualTypeOf<"read_only" | "read_write" | "full_access" | undefined>();
    // @ts-expect-error v2 add_tags takes tag_names in the query (required)
    await crm.POST("/crm/v2/{module}/{recordId}/actions/add_tags", { params: { path: { module: "Leads", recordId: "1" } } });
  });
});

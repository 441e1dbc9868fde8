/**
 * Zoho's SDK is the judge (issue 13): Zoho's official TypeScript SDK for CRM v2
 * (`@zohocrm/typescript-sdk-2.0`) drives a fresh emulator through its own OAuth code and its own
 * model classes. Each operation must come back as the SDK's model class (not an APIException nor
 * an SDKException) with the values that were written; where Zoho's SDK itself is at fault the case
 * is kept as a documented exception that asserts the fault. The emulator's answers are validated
 * against our spec all along. One file, one emulator: the SDK keeps a global Initializer.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { attachmentsArea } from "./zoho-sdk/areas/attachments.js";
import { blueprintQueryArea } from "./zoho-sdk/areas/blueprint-query.js";
import { bulkReadArea, bulkWriteArea } from "./zoho-sdk/areas/bulk.js";
import { metadataArea } from "./zoho-sdk/areas/metadata.js";
import { notesArea } from "./zoho-sdk/areas/notes.js";
import { notificationsArea, sharingArea } from "./zoho-sdk/areas/notifications-sharing.js";
import { orgUsersArea } from "./zoho-sdk/areas/org-users.js";
import { recordsArea } from "./zoho-sdk/areas/records.js";
import { relatedRecordsArea } from "./zoho-sdk/areas/related-records.js";
import { tagsArea } from "./zoho-sdk/areas/tags.js";
import { variablesArea } from "./zoho-sdk/areas/variables.js";
import type { AreaContext } from "./zoho-sdk/context.js";
import { Ledger } from "./zoho-sdk/ledger.js";
import { oauthArea } from "./zoho-sdk/areas/oauth.js";
import { startZohoSdkSession, type ZohoSdkSession } from "./zoho-sdk/session.js";

const ledger = new Ledger();
let session: ZohoSdkSession;
const ctx = (): AreaContext => ({ ledger, session });

beforeAll(async () => {
  session = await startZohoSdkSession();
});
afterEach(() => {
  expect(session.emulator.stats.responseValidationFailures).toEqual([]);
  expect(session.emulator.stats.specMismatches).toEqual([]);
  expect(session.logs).toEqual([]);
});
afterAll(async () => {
  await session?.close();
});

describe("Zoho's TypeScript SDK for v2 against the emulator", () => {
  it("logs in through its own OAuth code: grant exchange, then refresh (multipart form posts)", () => oauthArea(ctx()));
  it("records", () => recordsArea(ctx()));
  it("related records", () => relatedRecordsArea(ctx()));
  it("notes", () => notesArea(ctx()));
  it("attachments", () => attachmentsArea(ctx()));
  it("tags", () => tagsArea(ctx()));
  it("org, roles, profiles, territories, users", () => orgUsersArea(ctx()));
  it("modules, fields, layouts, custom views, related lists", () => metadataArea(ctx()));
  it("variables and variable groups", () => variablesArea(ctx()));
  it("blueprint and COQL", () => blueprintQueryArea(ctx()));
  it("bulk read", () => bulkReadArea(ctx()));
  it("bulk write", () => bulkWriteArea(ctx()));
  it("notifications", () => notificationsArea(ctx()));
  it("share records", () => sharingArea(ctx()));
});

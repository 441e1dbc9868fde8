/**
 * Tags through Zoho's SDK (TagsOperations): a module's tags (create, update, merge, delete, count)
 * and tags on records, v2-style by name in the query string. The record action wrapper parses
 * `locked_count` as a number (deviation 7: the emulator sent the string "0").
 */
import { expect } from "vitest";
import { detailsOf, modelOf, successes } from "../checks.js";
import { type AreaContext, big, params } from "../context.js";
import { type ZohoValue, zohoApi } from "../load.js";
import { createRecords } from "./records.js";

const T = zohoApi("tags/tags_operations");
const { TagsOperations } = T;
const { Tag } = zohoApi("tags/tag");
const { BodyWrapper } = zohoApi("tags/body_wrapper");
const { ResponseWrapper } = zohoApi("tags/response_wrapper");
const { ActionWrapper } = zohoApi("tags/action_wrapper");
const { SuccessResponse } = zohoApi("tags/success_response");
const { RecordActionWrapper } = zohoApi("tags/record_action_wrapper");
const { CountWrapper } = zohoApi("tags/count_wrapper");
const { MergeWrapper } = zohoApi("tags/merge_wrapper");
const { ConflictWrapper } = zohoApi("tags/conflict_wrapper");
const { RecordOperations } = zohoApi("record/record_operations");
const { ResponseWrapper: RecordsResponseWrapper } = zohoApi("record/response_wrapper");

const AREA = "tags";

function tags(...values: Array<{ name: string; id?: string }>): ZohoValue {
  const body = new BodyWrapper();
  body.setTags(
    values.map((v) => {
      const tag = new Tag();
      tag.setName(v.name);
      if (v.id) tag.setId(big(v.id));
      return tag;
    }),
  );
  return body;
}

export async function tagsArea(ctx: AreaContext): Promise<void> {
  const { ledger } = ctx;
  const ops = new TagsOperations();
  const leads = await params([T.GetTagsParam.MODULE, "Leads"]);
  const [l1, l2] = await createRecords(ctx, "Leads", [{ Last_Name: "Sdk-Tagged-1" }, { Last_Name: "Sdk-Tagged-2" }]);
  const tagsOfLead = async (id: string): Promise<string[]> => {
    const [lead] = modelOf(await new RecordOperations().getRecord(big(id), "Leads"), RecordsResponseWrapper).getData();
    return (lead.getTag() ?? []).map((t: ZohoValue) => t.getName()).sort();
  };
  const byName = async (): Promise<Map<string, string>> => {
    const all = modelOf(await ops.getTags(leads), ResponseWrapper).getTags();
    return new Map(all.map((t: ZohoValue) => [t.getName(), String(t.getId())]));
  };

  await ledger.ok(AREA, "TagsOperations.createTags", async () => {
    const created = successes(
      modelOf(
        await ops.createTags(tags({ name: "sdk-hot" }, { name: "sdk-cold" }, { name: "sdk-warm" }), await params([T.CreateTagsParam.MODULE, "Leads"])),
        ActionWrapper,
      ).getTags(),
      SuccessResponse,
    );
    expect(created).toHaveLength(3);
  });
  const ids = await ledger.ok(AREA, "TagsOperations.getTags", async () => {
    const found = await byName();
    for (const name of ["sdk-hot", "sdk-cold", "sdk-warm"]) expect(found.has(name)).toBe(true);
    return found;
  });
  await ledger.ok(AREA, "TagsOperations.updateTags", async () => {
    successes(
      modelOf(
        await ops.updateTags(tags({ id: ids.get("sdk-warm"), name: "sdk-lukewarm" }), await params([T.UpdateTagsParam.MODULE, "Leads"])),
        ActionWrapper,
      ).getTags(),
      SuccessResponse,
    );
  });
  await ledger.ok(AREA, "TagsOperations.updateTag", async () => {
    successes(
      modelOf(
        await ops.updateTag(big(ids.get("sdk-cold")), tags({ name: "sdk-frozen" }), await params([T.UpdateTagParam.MODULE, "Leads"])),
        ActionWrapper,
      ).getTags(),
      SuccessResponse,
    );
    const renamed = await byName();
    expect([renamed.get("sdk-lukewarm"), renamed.get("sdk-frozen")]).toEqual([ids.get("sdk-warm"), ids.get("sdk-cold")]);
  });

  await ledger.ok(AREA, "TagsOperations.addTagsToRecord", async () => {
    const wrapper = modelOf(
      await ops.addTagsToRecord(big(l1), "Leads", await params([T.AddTagsToRecordParam.TAG_NAMES, "sdk-hot,sdk-frozen"])),
      RecordActionWrapper,
    );
    successes(wrapper.getData(), SuccessResponse);
    expect(await tagsOfLead(l1!)).toEqual(["sdk-frozen", "sdk-hot"]);
  });
  await ledger.ok(AREA, "TagsOperations.removeTagsFromRecord", async () => {
    successes(
      modelOf(
        await ops.removeTagsFromRecord(big(l1), "Leads", await params([T.RemoveTagsFromRecordParam.TAG_NAMES, "sdk-frozen"])),
        RecordActionWrapper,
      ).getData(),
      SuccessResponse,
    );
    expect(await tagsOfLead(l1!)).toEqual(["sdk-hot"]);
  });
  await ledger.ok(AREA, "TagsOperations.addTagsToMultipleRecords", async () => {
    const p = await params(
      [T.AddTagsToMultipleRecordsParam.TAG_NAMES, "sdk-lukewarm"],
      [T.AddTagsToMultipleRecordsParam.IDS, big(l1)],
      [T.AddTagsToMultipleRecordsParam.IDS, big(l2)],
    );
    const wrapper = modelOf(await ops.addTagsToMultipleRecords("Leads", p), RecordActionWrapper);
    const items = successes(wrapper.getData(), SuccessResponse);
    expect(items.map((i) => String(detailsOf(i).id)).sort()).toEqual([l1, l2].sort());
    // v2 types, as the SDK's model reads them: a numeric locked_count, a string success_count.
    expect([wrapper.getLockedCount(), wrapper.getSuccessCount(), wrapper.getWfScheduler()]).toEqual([0, "2", false]);
    expect(await tagsOfLead(l2!)).toEqual(["sdk-lukewarm"]);
  });
  await ledger.ok(AREA, "TagsOperations.getRecordCountForTag", async () => {
    const count = modelOf(await ops.getRecordCountForTag(big(ids.get("sdk-warm")), await params([T.GetRecordCountForTagParam.MODULE, "Leads"])), CountWrapper);
    expect(count.getCount()).toBe("2");
  });
  await ledger.ok(AREA, "TagsOperations.removeTagsFromMultipleRecords", async () => {
    const p = await params([T.RemoveTagsFromMultipleRecordsParam.TAG_NAMES, "sdk-lukewarm"], [T.RemoveTagsFromMultipleRecordsParam.IDS, big(l2)]);
    successes(modelOf(await ops.removeTagsFromMultipleRecords("Leads", p), RecordActionWrapper).getData(), SuccessResponse);
    expect(await tagsOfLead(l2!)).toEqual([]);
  });
  await ledger.ok(AREA, "TagsOperations.mergeTags", async () => {
    // The path's tag (sdk-lukewarm) merges into the conflict tag (sdk-hot): lead 1 had both and keeps sdk-hot.
    const conflict = new ConflictWrapper();
    conflict.setConflictId(ids.get("sdk-hot"));
    const merge = new MergeWrapper();
    merge.setTags([conflict]);
    successes(modelOf(await ops.mergeTags(big(ids.get("sdk-warm")), merge), ActionWrapper).getTags(), SuccessResponse);
    expect(await tagsOfLead(l1!)).toEqual(["sdk-hot"]);
    expect((await byName()).has("sdk-lukewarm")).toBe(false);
  });
  await ledger.ok(AREA, "TagsOperations.deleteTag", async () => {
    successes(modelOf(await ops.deleteTag(big(ids.get("sdk-cold"))), ActionWrapper).getTags(), SuccessResponse);
    expect((await byName()).has("sdk-frozen")).toBe(false);
  });
}

/**
 * Notes through Zoho's SDK (NotesOperations): notes on a lead, created with Parent_Id and
 * $se_module, read, updated and deleted. Writing notes makes the SDK load the Notes field metadata,
 * whose Parent_Id lookup names `se_module` (deviation 6: it was `$se_module`, a 400 every time).
 */
import { expect } from "vitest";
import { detailsOf, modelOf, successes } from "../checks.js";
import { type AreaContext, big, params } from "../context.js";
import { type ZohoValue, zohoApi } from "../load.js";
import { createRecords } from "./records.js";

const N = zohoApi("notes/notes_operations");
const { NotesOperations } = N;
const { Note } = zohoApi("notes/note");
const { BodyWrapper } = zohoApi("notes/body_wrapper");
const { ResponseWrapper } = zohoApi("notes/response_wrapper");
const { ActionWrapper } = zohoApi("notes/action_wrapper");
const { SuccessResponse } = zohoApi("notes/success_response");
const { Record: ZohoRecord } = zohoApi("record/record");
const { RecordOperations } = zohoApi("record/record_operations");
const { ResponseWrapper: RecordsResponseWrapper } = zohoApi("record/response_wrapper");

const AREA = "notes";

function note(values: { title?: string; content: string; parent?: string; id?: string }): ZohoValue {
  const n = new Note();
  if (values.id) n.setId(big(values.id));
  if (values.title) n.setNoteTitle(values.title);
  n.setNoteContent(values.content);
  if (values.parent) {
    const parent = new ZohoRecord();
    parent.setId(big(values.parent));
    n.setParentId(parent);
    n.setSeModule("Leads");
  }
  return n;
}

function body(...notes: ZohoValue[]): ZohoValue {
  const b = new BodyWrapper();
  b.setData(notes);
  return b;
}

export async function notesArea(ctx: AreaContext): Promise<void> {
  const { ledger } = ctx;
  const ops = new NotesOperations();
  const [lead] = await createRecords(ctx, "Leads", [{ Last_Name: "Sdk-Noted" }]);
  const read = async (id: string): Promise<ZohoValue> => {
    const [one] = modelOf(await ops.getNote(big(id)), ResponseWrapper).getData();
    return one;
  };

  const [n1, n2, n3] = await ledger.ok(AREA, "NotesOperations.createNotes", async () => {
    const notes = [1, 2, 3].map((i) => note({ title: `Sdk note ${i}`, content: `Said through Zoho's SDK (${i})`, parent: lead }));
    return successes(modelOf(await ops.createNotes(body(...notes)), ActionWrapper).getData(), SuccessResponse).map((i) => String(detailsOf(i).id));
  });
  await ledger.ok(AREA, "NotesOperations.getNote", async () => {
    const one = await read(n1!);
    expect([one.getNoteTitle(), one.getNoteContent(), one.getSeModule(), String(one.getParentId().getId())]).toEqual([
      "Sdk note 1",
      "Said through Zoho's SDK (1)",
      "Leads",
      lead,
    ]);
  });
  await ledger.ok(AREA, "NotesOperations.getNotes", async () => {
    const all = modelOf(await ops.getNotes(await params([N.GetNotesParam.PER_PAGE, 200])), ResponseWrapper).getData();
    const ids = all.map((n: ZohoValue) => String(n.getId()));
    for (const id of [n1, n2, n3]) expect(ids).toContain(id);
  });
  await ledger.ok(AREA, "NotesOperations.updateNote", async () => {
    successes(modelOf(await ops.updateNote(big(n1), body(note({ content: "Edited once" }))), ActionWrapper).getData(), SuccessResponse);
    expect((await read(n1!)).getNoteContent()).toBe("Edited once");
  });
  await ledger.ok(AREA, "NotesOperations.updateNotes", async () => {
    const edits = body(note({ id: n2, content: "Edited in bulk (2)" }), note({ id: n3, content: "Edited in bulk (3)" }));
    successes(modelOf(await ops.updateNotes(edits), ActionWrapper).getData(), SuccessResponse);
    expect([(await read(n2!)).getNoteContent(), (await read(n3!)).getNoteContent()]).toEqual(["Edited in bulk (2)", "Edited in bulk (3)"]);
  });
  // Notes are a module too: reading one as a record makes the SDK load the Notes field metadata and, for each
  // lookup, its module's fields; Parent_Id's module must be `se_module`, which the SDK knows to skip.
  await ledger.ok(AREA, "RecordOperations.getRecord", async () => {
    const [one] = modelOf(await new RecordOperations().getRecord(big(n2), "Notes"), RecordsResponseWrapper).getData();
    expect([String(one.getId()), one.getKeyValue("Note_Content")]).toEqual([n2, "Edited in bulk (2)"]);
  });
  await ledger.ok(AREA, "NotesOperations.deleteNote", async () => {
    successes(modelOf(await ops.deleteNote(big(n1)), ActionWrapper).getData(), SuccessResponse);
    expect((await ops.getNote(big(n1))).getStatusCode()).not.toBe(200);
  });
  await ledger.ok(AREA, "NotesOperations.deleteNotes", async () => {
    const items = successes(
      modelOf(await ops.deleteNotes(await params([N.DeleteNotesParam.IDS, big(n2)], [N.DeleteNotesParam.IDS, big(n3)])), ActionWrapper).getData(),
      SuccessResponse,
    );
    expect(items.map((i) => String(detailsOf(i).id)).sort()).toEqual([n2, n3].sort());
  });
}

/**
 * Blueprint: Deals follow the "Deal Process" on `Stage`; from each open stage a record can move to
 * the next stage of the pipeline or be marked lost. Other modules' records are in no process
 * (400 RECORD_NOT_IN_PROCESS). Transition ids are stable per target stage.
 */
import { fieldOf, type ModuleDef } from "../../module-metadata.js";
import { buildRecord } from "../../record-writer.js";
import type { CrmHandler, HandlerContext } from "../../router.js";
import type { StoredRecord } from "../../types.js";
import { apiError } from "../../zoho-errors.js";
import { isReply, parentOf, success } from "./helpers.js";
import { fixedId } from "./state.js";

const PIPELINE = [
  "Qualification",
  "Needs Analysis",
  "Value Proposition",
  "Id. Decision Makers",
  "Perception Analysis",
  "Proposal/Price Quote",
  "Negotiation/Review",
  "Closed Won",
];
const LOST = "Closed Lost";

interface Transition {
  id: string;
  name: string;
  next: string;
  fields: string[];
}

function transitionsFrom(ctx: HandlerContext, stage: unknown): Transition[] {
  const index = typeof stage === "string" ? PIPELINE.indexOf(stage) : -1;
  if (index < 0 || index === PIPELINE.length - 1) return [];
  const next = PIPELINE[index + 1]!;
  return [
    {
      id: fixedId(ctx.state, 200 + index + 1),
      name: next === "Closed Won" ? "Win" : `Move to ${next}`,
      next,
      fields: next === "Closed Won" ? ["Amount"] : ["Next_Step"],
    },
    { id: fixedId(ctx.state, 299), name: "Mark Lost", next: LOST, fields: ["Description"] },
  ];
}

function inProcess(ctx: HandlerContext, module: ModuleDef, record: StoredRecord) {
  if (module.api_name !== "Deals") return apiError(400, "RECORD_NOT_IN_PROCESS", "record not in process", {});
  const stage = fieldOf(module, "Stage")!;
  return {
    process_info: {
      field_id: stage.id,
      is_continuous: false,
      api_name: "Stage",
      continuous: false,
      field_label: "Stage",
      name: "Deal Process",
      column_name: "STAGE",
      field_value: typeof record.data.Stage === "string" ? record.data.Stage : null,
      id: fixedId(ctx.state, 199),
      field_name: "Stage",
      escalation: null,
    },
    transitions: transitionsFrom(ctx, record.data.Stage),
  };
}

export const getBlueprint: CrmHandler = (req, ctx) => {
  const parent = parentOf(req, ctx);
  if (isReply(parent)) return parent;
  const state = inProcess(ctx, parent.module, parent.record);
  if (isReply(state)) return state;
  const transitions = state.transitions.map((t) => ({
    next_transitions: [],
    percent_partial_save: null,
    data: {},
    next_field_value: t.next,
    name: t.name,
    criteria_matched: true,
    id: t.id,
    fields: t.fields.map((name) => {
      const field = fieldOf(parent.module, name)!;
      return { display_label: field.label, field_label: field.label, api_name: field.api_name, id: field.id, data_type: field.data_type, required: false };
    }),
    criteria_message: null,
    execution_time: null,
    type: null,
  }));
  return { status: 200, body: { blueprint: { process_info: state.process_info, transitions } } };
};

export const updateBlueprint: CrmHandler = (req, ctx) => {
  const parent = parentOf(req, ctx);
  if (isReply(parent)) return parent;
  const state = inProcess(ctx, parent.module, parent.record);
  if (isReply(state)) return state;
  const input = (req.body as { blueprint: Array<{ transition_id: string; data?: Record<string, unknown> }> }).blueprint[0]!;
  const transition = state.transitions.find((t) => t.id === input.transition_id);
  if (!transition) return apiError(400, "INVALID_DATA", "invalid transition", { api_name: "transition_id" });
  const values = Object.fromEntries(Object.entries(input.data ?? {}).filter(([key]) => transition.fields.includes(key)));
  const outcome = buildRecord(ctx.state, parent.module, { ...values, Stage: transition.next }, { user: req.user, existing: parent.record });
  if (!outcome.ok) return apiError(400, outcome.error.code, outcome.error.message, outcome.error.details);
  ctx.state.saveRecord(outcome.record);
  return { status: 200, body: success("transition updated successfully") };
};

/**
 * Sharing a record with other users: who it is shared with (and, with `view=manage`, who it can
 * be shared with), share, change permissions, revoke everything.
 */
import { zohoDateTime } from "../../clock.js";
import type { CrmHandler, HandlerContext } from "../../router.js";
import type { CrmRequest, EmulatorUser } from "../../types.js";
import { apiError, errorItem, writeStatus, type ResultItem } from "../../zoho-errors.js";
import { isReply, parentOf, success, type Parent } from "./helpers.js";
import { RecordsExtraState, type StoredShare } from "./state.js";

type Input = { user: { id: string }; permission: StoredShare["permission"]; share_related_records?: boolean };

const userOf = (u: EmulatorUser) => ({ full_name: u.full_name, name: u.full_name, id: u.id, zuid: u.zuid });

function sharesOf(ctx: HandlerContext, parent: Parent): StoredShare[] {
  return RecordsExtraState.of(ctx.state).shares.filter((s) => s.module === parent.module.api_name && s.recordId === parent.record.id);
}

function ownerId(parent: Parent): string | undefined {
  return (parent.record.data.Owner as { id?: string } | undefined)?.id;
}

export const getSharedRecordDetails: CrmHandler = (req, ctx) => {
  const parent = parentOf(req, ctx);
  if (isReply(parent)) return parent;
  const sharedTo = req.query.get("sharedTo");
  const shares = sharesOf(ctx, parent).filter((s) => !sharedTo || s.userId === sharedTo);
  const share = shares.map((s) => ({
    share_related_records: s.shareRelated,
    shared_through: {
      module: { name: parent.module.api_name, id: parent.module.id },
      id: parent.record.id,
      entity_name: ctx.state.displayName(parent.module, parent.record),
    },
    shared_time: zohoDateTime(s.sharedMs),
    permission: s.permission,
    shared_by: userOf(ctx.state.user(s.sharedBy)!),
    user: userOf(ctx.state.user(s.userId)!),
  }));
  const body: Record<string, unknown> = { share };
  if (req.query.get("view") === "manage") {
    const taken = new Set([ownerId(parent), ...sharesOf(ctx, parent).map((s) => s.userId)]);
    body.shareable_user = ctx.state
      .users()
      .filter((u) => u.status === "active" && !taken.has(u.id))
      .map(userOf);
  }
  return { status: 200, body };
};

function shareOne(req: CrmRequest, ctx: HandlerContext, parent: Parent, input: Input, update: boolean): ResultItem {
  const user = ctx.state.user(input.user.id);
  if (user?.status !== "active" || user.id === ownerId(parent))
    return errorItem("INVALID_DATA", "cannot share to the user", { api_name: "user", id: input.user.id });
  const shares = RecordsExtraState.of(ctx.state).shares;
  const existing = shares.find((s) => s.module === parent.module.api_name && s.recordId === parent.record.id && s.userId === user.id);
  if (existing && !update) return errorItem("DUPLICATE_DATA", "record is already visible to the user.", { api_name: "user", id: user.id });
  const now = ctx.state.clock.now();
  if (existing) {
    existing.permission = input.permission;
    if (input.share_related_records !== undefined) existing.shareRelated = input.share_related_records;
    existing.sharedMs = now;
  } else {
    shares.push({
      module: parent.module.api_name,
      recordId: parent.record.id,
      userId: user.id,
      permission: input.permission,
      shareRelated: input.share_related_records ?? false,
      sharedBy: req.user.id,
      sharedMs: now,
    });
  }
  return success("record will be shared successfully");
}

function write(update: boolean): CrmHandler {
  return (req, ctx) => {
    const parent = parentOf(req, ctx);
    if (isReply(parent)) return parent;
    const items = (req.body as { share: Input[] }).share.map((input) => shareOne(req, ctx, parent, input, update));
    return { status: writeStatus(items, 200), body: { share: items } };
  };
}

export const shareRecord = write(false);
export const updateSharePermissions = write(true);

export const revokeSharedRecord: CrmHandler = (req, ctx) => {
  const parent = parentOf(req, ctx);
  if (isReply(parent)) return parent;
  const shares = RecordsExtraState.of(ctx.state).shares;
  const mine = sharesOf(ctx, parent);
  if (mine.length === 0) return apiError(400, "INVALID_DATA", "No sharing through this record is available to revoke.", {});
  for (const share of mine) shares.splice(shares.indexOf(share), 1);
  return { status: 200, body: { share: success("Sharing Revoked") } };
};

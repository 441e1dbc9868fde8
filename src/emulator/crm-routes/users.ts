/**
 * Users (envelope `users`): list by type (CurrentUser is the user behind the token), get one,
 * add, update and delete.
 */
import { zohoDateTime } from "../clock.js";
import { isIdLike } from "../id-generator.js";
import { newUser } from "../seed-data.js";
import type { CrmHandler, HandlerContext } from "../router.js";
import type { CrmRequest, EmulatorUser, Lookup } from "../types.js";
import { apiError, errorItem, errors, writeStatus, type ResultItem } from "../zoho-errors.js";
import { isReply, notModified, pageReply, pagingOf } from "./common.js";

const isAdmin = (u: EmulatorUser) => u.profile.name === "Administrator";

const FILTERS: Record<string, (u: EmulatorUser) => boolean> = {
  AllUsers: (u) => u.status !== "deleted",
  ActiveUsers: (u) => u.status === "active",
  DeactiveUsers: (u) => u.status === "disabled",
  ConfirmedUsers: (u) => u.status !== "deleted" && u.confirm,
  NotConfirmedUsers: (u) => u.status !== "deleted" && !u.confirm,
  DeletedUsers: (u) => u.status === "deleted",
  ActiveConfirmedUsers: (u) => u.status === "active" && u.confirm,
  AdminUsers: (u) => u.status !== "deleted" && isAdmin(u),
  ActiveConfirmedAdmins: (u) => u.status === "active" && u.confirm && isAdmin(u),
};

type UserInput = {
  id?: string;
  email?: string;
  first_name?: string;
  last_name?: string;
  role?: string | { id: string };
  profile?: string | { id: string };
  status?: string;
} & Partial<Record<(typeof PROFILE_FIELDS)[number], unknown>>;

/** A user's own details a write may set (contact, address, locale); kept as given, read back as written. */
const PROFILE_FIELDS = [
  "alias",
  "phone",
  "mobile",
  "fax",
  "website",
  "street",
  "city",
  "state",
  "zip",
  "country",
  "signature",
  "dob",
  "locale",
  "language",
  "country_locale",
  "time_zone",
  "date_format",
  "time_format",
  "decimal_separator",
  "name_format",
] as const;

function profileFields(input: UserInput): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const key of PROFILE_FIELDS) {
    const value = input[key];
    if (value === null || typeof value === "string") out[key] = value;
  }
  return out;
}

/** Users writes report per-user errors under 200 (Kaizen #51), partial success under 207. */
function usersStatus(items: ResultItem[], allOk: number): number {
  const status = writeStatus(items, allOk);
  return status === 400 ? 200 : status;
}

const idOf = (v: unknown): string | undefined =>
  typeof v === "string" ? v : v && typeof v === "object" ? ((v as { id?: unknown }).id as string | undefined) : undefined;

export const getUsers: CrmHandler = (req, ctx) => {
  const paging = pagingOf(req.query);
  if (isReply(paging)) return paging;
  const type = req.query.get("type") ?? "AllUsers";
  if (type !== "CurrentUser" && !FILTERS[type]) return apiError(400, "INVALID_DATA", "invalid data", { param_name: "type" });
  if (notModified(req, ctx.state.usersChangedMs)) return { status: 304 };
  const users = type === "CurrentUser" ? [req.user] : ctx.state.users().filter(FILTERS[type]!);
  return pageReply("users", users, paging);
};

export const getUser: CrmHandler = (req, ctx) => {
  const id = req.params.id ?? "";
  if (!isIdLike(id)) return errors.invalidId(1);
  const user = ctx.state.user(id);
  if (!user) return { status: 204 };
  if (notModified(req, Date.parse(user.Modified_Time))) return { status: 304 };
  return { status: 200, body: { users: [user] } };
};

function pick(list: readonly Lookup[], value: unknown): Lookup | undefined {
  const id = idOf(value);
  return list.find((l) => l.id === id);
}

function applyUser(req: CrmRequest, ctx: HandlerContext, input: UserInput, existing: EmulatorUser | undefined): ResultItem {
  const { state } = ctx;
  const now = state.clock.now();
  if (!existing) {
    if (!input.email) return errorItem("MANDATORY_NOT_FOUND", "required field not found", { api_name: "email" });
    if (!input.last_name) return errorItem("MANDATORY_NOT_FOUND", "required field not found", { api_name: "last_name" });
    if (state.userByEmail(input.email)) return errorItem("DUPLICATE_DATA", "duplicate data", { api_name: "email" });
  }
  const role = input.role === undefined ? existing?.role : pick(state.roles, input.role);
  if (!role)
    return errorItem(
      input.role === undefined ? "MANDATORY_NOT_FOUND" : "INVALID_DATA",
      input.role === undefined ? "required field not found" : "invalid data",
      { api_name: "role" },
    );
  const profile = input.profile === undefined ? existing?.profile : pick(state.profiles, input.profile);
  if (!profile)
    return errorItem(
      input.profile === undefined ? "MANDATORY_NOT_FOUND" : "INVALID_DATA",
      input.profile === undefined ? "required field not found" : "invalid data",
      { api_name: "profile" },
    );
  if (input.status !== undefined && input.status !== "active" && input.status !== "disabled")
    return errorItem("INVALID_DATA", "invalid data", { api_name: "status" });
  const by = state.userLookup(req.user);
  let user: EmulatorUser;
  if (existing) {
    const first = input.first_name ?? existing.first_name;
    const last = input.last_name ?? existing.last_name;
    user = {
      ...existing,
      ...profileFields(input),
      first_name: first,
      last_name: last,
      full_name: [first, last].filter(Boolean).join(" "),
      role,
      profile,
      status: (input.status as EmulatorUser["status"]) ?? existing.status,
      Modified_By: by,
      Modified_Time: zohoDateTime(now),
    };
  } else {
    user = {
      ...newUser({
        id: state.ids.next(),
        zuid: String(10_000_000 + state.users().length),
        email: input.email!,
        first: input.first_name ?? null,
        last: input.last_name!,
        role,
        profile,
        status: "active",
        confirm: false,
        createdBy: by,
        timeMs: now,
      }),
      ...profileFields(input),
    };
  }
  state.saveUser(user);
  return { code: "SUCCESS", details: { id: user.id }, message: existing ? "User updated" : "User added", status: "success" };
}

export const createUser: CrmHandler = (req, ctx) => {
  const items = (req.body as { users: UserInput[] }).users.map((input) => applyUser(req, ctx, input, undefined));
  return { status: usersStatus(items, 201), body: { users: items } };
};

export const updateUsers: CrmHandler = (req, ctx) => {
  const items = (req.body as { users: UserInput[] }).users.map((input) => {
    const existing = input.id ? ctx.state.user(input.id) : undefined;
    if (!input.id) return errorItem("MANDATORY_NOT_FOUND", "required field not found", { api_name: "id" });
    if (!existing || existing.status === "deleted") return errorItem("INVALID_DATA", "the id given seems to be invalid", { id: input.id });
    return applyUser(req, ctx, input, existing);
  });
  return { status: usersStatus(items, 200), body: { users: items } };
};

export const updateUser: CrmHandler = (req, ctx) => {
  const id = req.params.id ?? "";
  const existing = ctx.state.user(id);
  const input = (req.body as { users: UserInput[] }).users[0] ?? {};
  const item =
    !existing || existing.status === "deleted" ? errorItem("INVALID_DATA", "the id given seems to be invalid", { id }) : applyUser(req, ctx, input, existing);
  return { status: 200, body: { users: [item] } };
};

export const deleteUser: CrmHandler = (req, ctx) => {
  const id = req.params.id ?? "";
  const existing = ctx.state.user(id);
  let item: ResultItem;
  if (!existing || existing.status === "deleted") item = errorItem("INVALID_DATA", "the id given seems to be invalid", { id });
  else if (existing.id === req.user.id) item = errorItem("INVALID_DATA", "the current user cannot be deleted", { id });
  else {
    ctx.state.saveUser({ ...existing, status: "deleted", Modified_By: ctx.state.userLookup(req.user), Modified_Time: zohoDateTime(ctx.state.clock.now()) });
    item = { code: "SUCCESS", details: { id }, message: "User deleted", status: "success" };
  }
  return { status: 200, body: { users: [item] } };
};

/**
 * Notification channels (`/crm/v2/actions/watch`): enable, list, replace (PUT), update or remove
 * events (PATCH), disable. While a channel lives (until `channel_expiry`, at most a day ahead),
 * every insert, update and delete of a watched module's records is POSTed to its `notify_url` as
 * Zoho's callback payload: server_time, query_params (the notify_url's), module, resource_uri, ids,
 * affected_fields, operation (insert/update/delete), channel_id and the channel's token (fire and
 * forget; deliveries are logged in the area for tests).
 */
import { zohoDateTime } from "../clock.js";
import type { CrmState, RecordChange } from "../crm-state.js";
import type { CrmHandler, CrmRoute } from "../router.js";
import type { CrmRequest } from "../types.js";
import { apiError, errorItem, errors, type ResultItem } from "../zoho-errors.js";
import { area, baseUrlOf, envelopeReply, invalidField, itemsOf, mandatory } from "./areas.js";
import { isReply, listParam, pageReply, pagingOf } from "./common.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const ACTIONS = ["create", "edit", "delete"] as const;
export type Action = (typeof ACTIONS)[number];

export interface Channel {
  channelId: string;
  userId: string;
  /** Module API name → watched actions. */
  events: Map<string, Set<Action>>;
  notifyUrl: string;
  token: string | null;
  expiresMs: number;
  returnAffectedFieldValues: boolean;
  notifyOnRelatedAction: boolean;
  conditions: unknown[] | undefined;
  baseUrl: string;
}

export interface Delivery {
  channelId: string;
  url: string;
  payload: Record<string, unknown>;
  ok: boolean;
}

export interface WatchArea {
  channels: Map<string, Channel>;
  deliveries: Delivery[];
  listening: boolean;
}

type ChannelInput = {
  channel_id?: string | number;
  events?: string[];
  channel_expiry?: string;
  token?: string;
  notify_url?: string;
  return_affected_field_values?: boolean;
  notify_on_related_action?: boolean;
  notification_condition?: unknown[];
  _delete_events?: boolean;
};

const OPERATION: Record<RecordChange["operation"], { action: Action; name: string }> = {
  insert: { action: "create", name: "insert" },
  update: { action: "edit", name: "update" },
  delete: { action: "delete", name: "delete" },
};

export const WATCH_AREA = "watch";

/** Delivers the state's record changes to the area's channels (once per area). */
export function listen(state: CrmState, watch: WatchArea): void {
  if (watch.listening) return;
  watch.listening = true;
  state.recordListeners.push((change) => deliver(state, watch, change));
}

function watchArea(state: CrmState): WatchArea {
  const watch = area<WatchArea>(state, WATCH_AREA, () => ({ channels: new Map(), deliveries: [], listening: false }));
  listen(state, watch);
  return watch;
}

function live(state: CrmState, watch: WatchArea): Channel[] {
  const now = state.clock.now();
  for (const [id, channel] of watch.channels) if (channel.expiresMs <= now) watch.channels.delete(id);
  return [...watch.channels.values()];
}

/** The notify_url's own query parameters, which Zoho echoes in every callback as `query_params`. */
function queryParams(url: string): Record<string, string> {
  try {
    return Object.fromEntries(new URL(url).searchParams);
  } catch {
    return {};
  }
}

function deliver(state: CrmState, watch: WatchArea, change: RecordChange): void {
  const { action, name } = OPERATION[change.operation];
  for (const channel of live(state, watch)) {
    const actions = channel.events.get(change.module);
    if (!actions?.has(action)) continue;
    const payload = {
      server_time: state.clock.now(),
      query_params: queryParams(channel.notifyUrl),
      module: change.module,
      resource_uri: `${channel.baseUrl}/crm/v2/${change.module}`,
      ids: [change.id],
      // With return_affected_field_values, an update names the fields it changed, per record id.
      affected_fields: channel.returnAffectedFieldValues && change.fields ? [{ [change.id]: change.fields }] : [],
      operation: name,
      channel_id: channel.channelId,
      token: channel.token,
    };
    const delivery: Delivery = { channelId: channel.channelId, url: channel.notifyUrl, payload, ok: false };
    watch.deliveries.push(delivery);
    void fetch(channel.notifyUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(5000),
    })
      .then((res) => {
        delivery.ok = res.ok;
      })
      .catch(() => undefined);
  }
}

/** `Leads.create` → [module, actions]; undefined when the event is malformed or the module unknown. */
function parseEvent(state: CrmState, event: string): [string, Action[]] | undefined {
  const match = /^([A-Za-z0-9_]+)\.(all|create|edit|delete)$/.exec(event);
  const module = match ? state.module(match[1]!) : undefined;
  if (!match || !module) return undefined;
  return [module.api_name, match[2] === "all" ? [...ACTIONS] : [match[2] as Action]];
}

function eventsOf(state: CrmState, events: string[] | undefined): Map<string, Set<Action>> | ResultItem {
  const out = new Map<string, Set<Action>>();
  for (const event of events ?? []) {
    const parsed = parseEvent(state, event);
    if (!parsed) return invalidField("events", { value: event });
    const set = out.get(parsed[0]) ?? new Set<Action>();
    for (const a of parsed[1]) set.add(a);
    out.set(parsed[0], set);
  }
  return out;
}

function expiryOf(state: CrmState, text: string | undefined, fallback: number | undefined): number | ResultItem {
  const now = state.clock.now();
  if (text === undefined) return fallback ?? now + HOUR_MS;
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || ms <= now || ms > now + DAY_MS)
    return invalidField("channel_expiry", { reason: "channel_expiry must be in the future and at most one day ahead" });
  return ms;
}

const isItem = (v: unknown): v is ResultItem => typeof v === "object" && v !== null && "status" in v && "code" in v;

function eventDetails(state: CrmState, channel: Channel): Array<Record<string, unknown>> {
  return [...channel.events.keys()].map((name) => ({
    channel_expiry: zohoDateTime(channel.expiresMs),
    resource_uri: `${channel.baseUrl}/crm/v2/${name}`,
    resource_id: state.module(name)!.id,
    resource_name: name,
    channel_id: channel.channelId,
  }));
}

function channelIdOf(input: ChannelInput): string | ResultItem {
  if (input.channel_id === undefined) return mandatory("channel_id");
  const id = String(input.channel_id);
  return /^\d{1,19}$/.test(id) ? id : invalidField("channel_id");
}

/** POST (create or add events), PUT (replace) and PATCH (merge, or remove events). */
function writeChannel(req: CrmRequest, state: CrmState, input: ChannelInput, mode: "enable" | "replace" | "patch"): ResultItem {
  const watch = watchArea(state);
  const channels = live(state, watch);
  const id = channelIdOf(input);
  if (isItem(id)) return id;
  const existing = channels.find((c) => c.channelId === id && c.userId === req.user.id);
  if (mode !== "enable" && !existing) return errorItem("INVALID_DATA", "the channel id given seems to be invalid", { api_name: "channel_id", value: id });
  if (mode !== "patch" || !input._delete_events) {
    if ((mode !== "patch" || input.events !== undefined) && (!input.events || input.events.length === 0)) return mandatory("events");
    if (mode !== "patch" && !input.notify_url && !(mode === "enable" && existing)) return mandatory("notify_url");
  }
  const events = eventsOf(state, input.events);
  if (isItem(events)) return events;
  const expires = expiryOf(state, input.channel_expiry, mode === "patch" || (mode === "enable" && existing) ? existing!.expiresMs : undefined);
  if (isItem(expires)) return expires;
  if (input.token !== undefined && input.token.length > 50) return invalidField("token", { maximum_length: 50 });

  let channel: Channel;
  if (mode === "patch" && input._delete_events) {
    channel = existing!;
    for (const [module, actions] of events) {
      const set = channel.events.get(module);
      for (const a of actions) set?.delete(a);
      if (set && set.size === 0) channel.events.delete(module);
    }
    if (channel.events.size === 0) watch.channels.delete(channel.channelId);
    return { code: "SUCCESS", details: { events: eventDetails(state, channel) }, message: "Successfully removed the given events", status: "success" };
  }
  if (existing && mode !== "replace") {
    channel = existing;
    for (const [module, actions] of events) channel.events.set(module, new Set([...(channel.events.get(module) ?? []), ...actions]));
    if (input.notify_url !== undefined) channel.notifyUrl = input.notify_url;
    if (input.token !== undefined) channel.token = input.token;
    if (input.return_affected_field_values !== undefined) channel.returnAffectedFieldValues = input.return_affected_field_values;
    if (input.notify_on_related_action !== undefined) channel.notifyOnRelatedAction = input.notify_on_related_action;
    if (input.notification_condition !== undefined) channel.conditions = input.notification_condition;
    channel.expiresMs = expires;
  } else {
    channel = {
      channelId: id,
      userId: req.user.id,
      events,
      notifyUrl: input.notify_url!,
      token: input.token ?? null,
      expiresMs: expires,
      returnAffectedFieldValues: input.return_affected_field_values ?? false,
      notifyOnRelatedAction: input.notify_on_related_action ?? false,
      conditions: input.notification_condition,
      baseUrl: baseUrlOf(req),
    };
    watch.channels.set(id, channel);
  }
  const message = mode === "enable" ? "Successfully subscribed for actions-watch of the given module" : "Successfully updated the subscribe details";
  return { code: "SUCCESS", details: { events: eventDetails(state, channel) }, message, status: "success" };
}

export const enableNotifications: CrmHandler = (req, ctx) =>
  envelopeReply(
    "watch",
    itemsOf<ChannelInput>(req, "watch").map((i) => writeChannel(req, ctx.state, i, "enable")),
    201,
  );
export const updateNotifications: CrmHandler = (req, ctx) =>
  envelopeReply(
    "watch",
    itemsOf<ChannelInput>(req, "watch").map((i) => writeChannel(req, ctx.state, i, "replace")),
    200,
  );
export const updateNotification: CrmHandler = (req, ctx) =>
  envelopeReply(
    "watch",
    itemsOf<ChannelInput>(req, "watch").map((i) => writeChannel(req, ctx.state, i, "patch")),
    200,
  );

export const getNotificationDetails: CrmHandler = (req, ctx) => {
  const paging = pagingOf(req.query);
  if (isReply(paging)) return paging;
  const channelId = req.query.get("channel_id");
  const moduleName = req.query.get("module");
  const module = moduleName === null ? undefined : ctx.state.module(moduleName);
  if (moduleName !== null && !module) return errors.invalidModule();
  const items = live(ctx.state, watchArea(ctx.state))
    .filter((c) => c.userId === req.user.id && (channelId === null || c.channelId === channelId))
    .flatMap((c) =>
      [...c.events]
        .filter(([name]) => !module || name === module.api_name)
        .map(([name, actions]) => ({
          notify_on_related_action: c.notifyOnRelatedAction,
          channel_expiry: zohoDateTime(c.expiresMs),
          resource_uri: `${c.baseUrl}/crm/v2/${name}`,
          resource_id: ctx.state.module(name)!.id,
          resource_name: name,
          channel_id: c.channelId,
          events: [...actions].map((a) => `${name}.${a}`),
          token: c.token,
          notify_url: c.notifyUrl,
          return_affected_field_values: c.returnAffectedFieldValues,
        })),
    );
  return pageReply("watch", items, paging);
};

export const disableNotifications: CrmHandler = (req, ctx) => {
  const ids = listParam(req.query, "channel_ids");
  if (!ids || ids.length === 0) return errors.requiredParam("channel_ids");
  if (ids.some((id) => !/^\d{1,19}$/.test(id))) return apiError(400, "INVALID_DATA", "invalid data", { param_name: "channel_ids" });
  const watch = watchArea(ctx.state);
  const channels = live(ctx.state, watch);
  const items = ids.map((id): ResultItem => {
    const channel = channels.find((c) => c.channelId === id && c.userId === req.user.id);
    if (!channel) return errorItem("INVALID_DATA", "the channel id given seems to be invalid", { api_name: "channel_ids", value: id });
    const details = { events: eventDetails(ctx.state, channel) };
    watch.channels.delete(id);
    return { code: "SUCCESS", details, message: "Successfully unsubscribed from actions-watch", status: "success" };
  });
  return envelopeReply("watch", items, 200);
};

/** Callback deliveries so far (tests). */
export function notificationDeliveries(state: CrmState): readonly Delivery[] {
  return watchArea(state).deliveries;
}

const watch = { key: "watch", type: "array" } as const;

export const NOTIFICATION_ROUTES: readonly CrmRoute[] = [
  {
    method: "GET",
    path: "/crm/v2/actions/watch",
    operationId: "getNotificationDetails",
    scope: "notifications",
    access: "READ",
    handler: getNotificationDetails,
  },
  {
    method: "POST",
    path: "/crm/v2/actions/watch",
    operationId: "enableNotifications",
    scope: "notifications",
    access: "CREATE",
    body: watch,
    handler: enableNotifications,
  },
  {
    method: "PUT",
    path: "/crm/v2/actions/watch",
    operationId: "updateNotifications",
    scope: "notifications",
    access: "UPDATE",
    body: watch,
    handler: updateNotifications,
  },
  {
    method: "PATCH",
    path: "/crm/v2/actions/watch",
    operationId: "updateNotification",
    scope: "notifications",
    access: "UPDATE",
    body: watch,
    handler: updateNotification,
  },
  {
    method: "DELETE",
    path: "/crm/v2/actions/watch",
    operationId: "disableNotifications",
    scope: "notifications",
    access: "DELETE",
    handler: disableNotifications,
  },
];

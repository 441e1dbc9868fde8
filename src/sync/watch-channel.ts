/**
 * One Zoho notification channel (`/crm/v2/actions/watch`) for the watched modules: enabled with
 * a random numeric id and token, renewed (PATCH with a later `channel_expiry`) before it lapses,
 * enabled again when a renewal is refused (Zoho has dropped it), disabled at the end.
 */
import { randomBytes, randomInt } from "node:crypto";
import type { ZohoCRMCalls } from "../client.js";
import { apiError } from "../api-error.js";
import { ZohoSyncError } from "../errors.js";

/** The calls the watcher makes: the sync's, plus PATCH and DELETE for the channel. */
export type WatchClient = Pick<ZohoCRMCalls, "GET" | "POST" | "PATCH" | "DELETE">;

/** Zoho's limit on a channel's lifetime in API v2. */
export const MAX_CHANNEL_TTL_MS = 24 * 60 * 60 * 1000;

type WatchResult = { status?: string; code?: string; message?: string; details?: { events?: Array<{ channel_expiry?: string }> } };

/** A numeric id, as Zoho wants (up to 19 digits): 18 random digits not starting with 0. */
export function newChannelId(): string {
  let id = String(randomInt(1, 10));
  while (id.length < 18) id += String(randomInt(0, 1_000_000)).padStart(6, "0");
  return id.slice(0, 18);
}

/** 32 URL-safe characters (Zoho allows 50): never logged, only compared. */
export function newChannelToken(): string {
  return randomBytes(24).toString("base64url");
}

/** Zoho's date-time: seconds and an offset, no milliseconds. */
function zohoTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

export interface ChannelSpec {
  channelId: string;
  token: string;
  modules: readonly string[];
  notifyUrl: string;
}

export class WatchChannel {
  /** When the channel lapses (epoch ms, on the clock given), once enabled. */
  expiresAt: number | undefined;

  constructor(
    private readonly crm: WatchClient,
    private readonly spec: ChannelSpec,
  ) {}

  get channelId(): string {
    return this.spec.channelId;
  }

  private events(): string[] {
    return this.spec.modules.map((m) => `${m}.all`);
  }

  /** Creates the channel (or, with the same id, updates it) to last until `expiresAt`. */
  async enable(expiresAt: number): Promise<void> {
    const item = {
      channel_id: this.spec.channelId,
      events: this.events(),
      channel_expiry: zohoTime(expiresAt),
      token: this.spec.token,
      notify_url: this.spec.notifyUrl,
    };
    const result = await this.crm.POST("/crm/v2/actions/watch", { body: { watch: [item] } });
    this.#check(result, "Enabling the notification channel", "POST");
    this.expiresAt = expiresAt;
  }

  /** Moves the expiry to `expiresAt`; throws when Zoho refuses (the caller enables it again). */
  async renew(expiresAt: number): Promise<void> {
    const item = { channel_id: this.spec.channelId, events: this.events(), channel_expiry: zohoTime(expiresAt) };
    const result = await this.crm.PATCH("/crm/v2/actions/watch", { body: { watch: [item] } });
    this.#check(result, "Renewing the notification channel", "PATCH");
    this.expiresAt = expiresAt;
  }

  async disable(): Promise<void> {
    const result = await this.crm.DELETE("/crm/v2/actions/watch", { params: { query: { channel_ids: [this.spec.channelId] } } });
    this.expiresAt = undefined;
    this.#check(result, "Disabling the notification channel", "DELETE");
  }

  #check(result: { data?: unknown; error?: unknown; response: Response }, what: string, method: string): void {
    if (result.error !== undefined || !result.data) {
      const code = (result.error as { code?: unknown } | undefined)?.code;
      throw apiError(what, method, result, code === "OAUTH_SCOPE_MISMATCH" ? " (the token needs the ZohoCRM.notifications.ALL scope)" : "");
    }
    const item = (result.data as { watch?: WatchResult[] }).watch?.[0];
    if (item?.status !== "success") {
      throw new ZohoSyncError(
        `${what} failed (${item?.code ?? "no result"}: ${item?.message ?? "Zoho named no reason"}); notifications stay off until it is enabled again, the polling fallback carries on.`,
        { code: "SYNC_WATCH_CHANNEL", module: this.spec.modules.join(",") },
      );
    }
  }
}

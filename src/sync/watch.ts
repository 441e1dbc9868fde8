/**
 * `watchModules()`: keeps a mirror current. One full `syncModules` run first; meanwhile a local
 * receiver listens for Zoho's notification callbacks and a channel (`/actions/watch`) for the
 * modules is enabled, so a notified module gets an incremental run soon after the change. The
 * channel is renewed before it lapses (enabled again when renewal is refused), and a polling
 * fallback runs every module now and then, since Zoho does not promise delivery. Nothing in the
 * background throws: failures become `watch-error` events and the next poll retries.
 */
import { ZohoConfigError } from "../errors.js";
import { startNotificationReceiver, type Notification, type NotificationReceiver } from "./notification-receiver.js";
import type { SyncEvent, SyncSummary, WatchRunReason } from "./progress.js";
import { SyncQueue } from "./sync-queue.js";
import { syncModules, type SyncModulesOptions } from "./sync-modules.js";
import { MAX_CHANNEL_TTL_MS, newChannelId, newChannelToken, WatchChannel, type WatchClient } from "./watch-channel.js";

export interface WatchModulesOptions extends Omit<SyncModulesOptions, "crm"> {
  /** The client: it also needs PATCH and DELETE (the channel), and the ZohoCRM.notifications.ALL scope. */
  crm: WatchClient;
  /** Where the receiver listens, e.g. `{ host: "127.0.0.1", port: 8787 }` (port 0: any free one). */
  listen: { host: string; port: number };
  /**
   * The URL Zoho POSTs to. Zoho wants a public https URL: put a tunnel or reverse proxy in front of
   * the receiver and name its URL here. Default `http://<listen host>:<port><path>`.
   */
  notifyUrl?: string | undefined;
  /** The receiver's path. Default `/zcrm/notify`. */
  path?: string | undefined;
  /** How often every module is pulled anyway (notifications can be lost). Default 10 min. */
  pollIntervalMs?: number | undefined;
  /** How long the channel is enabled for at a time (Zoho allows up to a day). Default 6 h. */
  channelTtlMs?: number | undefined;
  /** Renew the channel this long before it lapses. Default 30 min. */
  renewBeforeMs?: number | undefined;
  /** How long a notification waits for more before its run starts. Default 1 s. */
  debounceMs?: number | undefined;
  /** How often the channel's expiry is looked at (and a failed enable retried). Default 1 min. */
  checkIntervalMs?: number | undefined;
  /** The clock the channel's expiry is reckoned on. Default `Date.now` (tests: an emulator's clock). */
  now?: (() => number) | undefined;
}

export interface WatchHandle {
  /** The receiver's own URL, as bound. */
  localUrl: string;
  /** The URL the channel names. */
  notifyUrl: string;
  channelId: string;
  /** The first full run's summary, once it is done and the channel was asked for (rejects when that run failed). */
  ready: Promise<SyncSummary>;
  /** Settles when the watcher has stopped (never rejects). */
  done: Promise<void>;
  /**
   * Closes the receiver, waits for the run in progress (abort the `signal` option to cut it short at
   * its next commit), disables the channel. Idempotent; aborting `signal` stops the watcher too.
   */
  stop(): Promise<void>;
}

const DEFAULTS = {
  path: "/zcrm/notify",
  pollIntervalMs: 10 * 60_000,
  channelTtlMs: 6 * 3600_000,
  renewBeforeMs: 30 * 60_000,
  debounceMs: 1000,
  checkIntervalMs: 60_000,
};

function invalid(message: string, key: string): ZohoConfigError {
  return new ZohoConfigError(`watchModules: ${message}`, { code: "WATCH_OPTIONS", keys: [key] });
}

function duration(value: number | undefined, fallback: number, key: string, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min) throw invalid(`${key} must be a number of ms >= ${min} (got ${String(value)}).`, key);
  return value;
}

function settings(options: WatchModulesOptions) {
  const { listen } = options;
  if (!listen || typeof listen.host !== "string" || listen.host === "" || !Number.isInteger(listen.port) || listen.port < 0 || listen.port > 65535)
    throw invalid("listen must be { host, port } with a port from 0 to 65535.", "listen");
  if (!Array.isArray(options.modules) || options.modules.length === 0) throw invalid('modules must name at least one module, e.g. ["Leads"].', "modules");
  const channelTtlMs = duration(options.channelTtlMs, DEFAULTS.channelTtlMs, "channelTtlMs", 60_000);
  if (channelTtlMs > MAX_CHANNEL_TTL_MS) throw invalid(`channelTtlMs is at most ${MAX_CHANNEL_TTL_MS} (one day, Zoho's limit).`, "channelTtlMs");
  const renewBeforeMs = duration(options.renewBeforeMs, Math.min(DEFAULTS.renewBeforeMs, channelTtlMs / 4), "renewBeforeMs");
  if (renewBeforeMs >= channelTtlMs) throw invalid("renewBeforeMs must be shorter than channelTtlMs.", "renewBeforeMs");
  const path = options.path ?? DEFAULTS.path;
  if (!path.startsWith("/")) throw invalid('path must start with "/".', "path");
  if (options.notifyUrl !== undefined && !URL.canParse(options.notifyUrl)) throw invalid("notifyUrl must be an absolute URL.", "notifyUrl");
  return {
    path,
    channelTtlMs,
    renewBeforeMs,
    pollIntervalMs: duration(options.pollIntervalMs, DEFAULTS.pollIntervalMs, "pollIntervalMs"),
    debounceMs: duration(options.debounceMs, DEFAULTS.debounceMs, "debounceMs", 0),
    checkIntervalMs: duration(options.checkIntervalMs, DEFAULTS.checkIntervalMs, "checkIntervalMs"),
    now: options.now ?? Date.now,
  };
}

async function listenOn(options: WatchModulesOptions, path: string, token: string, onNotification: (n: Notification) => void): Promise<NotificationReceiver> {
  try {
    return await startNotificationReceiver({ host: options.listen.host, port: options.listen.port, path, token, onNotification });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    throw new ZohoConfigError(
      `The notification receiver could not listen on ${options.listen.host}:${options.listen.port} (${typeof code === "string" ? code : String(error)}); choose another host:port to listen on.`,
      { code: "WATCH_LISTEN", keys: ["listen"] },
    );
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Starts watching; resolves once the receiver listens (the first run then goes on: see `ready`). */
export async function watchModules(options: WatchModulesOptions): Promise<WatchHandle> {
  const s = settings(options);
  const {
    listen: _listen,
    notifyUrl: _notifyUrl,
    path: _path,
    pollIntervalMs: _poll,
    channelTtlMs: _ttl,
    renewBeforeMs: _renew,
    debounceMs: _debounce,
    checkIntervalMs: _check,
    now: _now,
    onProgress,
    signal: outerSignal,
    ...syncOptions
  } = options;
  const modules = [...new Set(options.modules)];
  const emit = (event: SyncEvent) => {
    try {
      onProgress?.(event);
    } catch {
      // A throwing progress callback must not stop the watcher.
    }
  };
  // Stops the channel's upkeep at once; a run in progress is cut short only by the caller's `signal`.
  const stopping = new AbortController();
  const token = newChannelToken();
  const channelId = newChannelId();

  let resolveReady!: (summary: SyncSummary) => void;
  let rejectReady!: (error: unknown) => void;
  const firstRun = new Promise<SyncSummary>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  firstRun.catch(() => undefined); // reported through `ready`; never an unhandled rejection

  const run = async (list: string[], reason: WatchRunReason) => {
    emit({ type: "watch-run", reason, modules: list });
    try {
      const summary = await syncModules({ ...syncOptions, crm: options.crm, modules: list, onProgress: emit, signal: outerSignal });
      emit({ type: "watch-run-done", reason, summary });
      if (reason === "initial") resolveReady(summary);
    } catch (error) {
      if (reason === "initial") rejectReady(error);
      else if (!outerSignal?.aborted) emit({ type: "watch-error", message: message(error), module: list.length === 1 ? list[0] : undefined });
    }
  };
  const queue = new SyncQueue({ run, debounceMs: s.debounceMs, onError: (error) => emit({ type: "watch-error", message: message(error) }) });

  const onNotification = (n: Notification) => {
    if (!modules.includes(n.module)) return; // a module this watcher does not mirror
    emit({ type: "watch-notified", module: n.module, operation: n.operation, ids: n.ids.length });
    queue.request([n.module], "notification");
  };
  const receiver = await listenOn(options, s.path, token, onNotification);
  const notifyUrl = options.notifyUrl ?? `http://${hostForUrl(options.listen.host)}:${receiver.port}${s.path}`;
  emit({ type: "watch-listening", url: receiver.url, notifyUrl });

  // The channel: enabled at once (changes during the first run are notified too), then looked after.
  const channel = new WatchChannel(options.crm, { channelId, token, modules, notifyUrl });
  let channelWork: Promise<void> = Promise.resolve();
  let everEnabled = false;
  const tend = () => {
    channelWork = channelWork.then(async () => {
      if (stopping.signal.aborted) return;
      const now = s.now();
      const expiresAt = channel.expiresAt;
      if (expiresAt !== undefined && now < expiresAt - s.renewBeforeMs) return;
      try {
        if (expiresAt !== undefined && now < expiresAt) {
          try {
            await channel.renew(now + s.channelTtlMs);
            emit({ type: "watch-channel", action: "renewed", channelId, expiresAt: new Date(now + s.channelTtlMs).toISOString() });
            return;
          } catch (error) {
            emit({ type: "watch-error", message: `${message(error)} — enabling the channel again` });
          }
        }
        await channel.enable(now + s.channelTtlMs);
        emit({
          type: "watch-channel",
          action: expiresAt === undefined && !everEnabled ? "enabled" : "re-enabled",
          channelId,
          expiresAt: new Date(now + s.channelTtlMs).toISOString(),
        });
        everEnabled = true;
      } catch (error) {
        if (!stopping.signal.aborted) emit({ type: "watch-error", message: message(error) });
      }
    });
    // Whatever went wrong (a throwing clock, say), the chain goes on for the next check.
    channelWork = channelWork.catch((error: unknown) => emit({ type: "watch-error", message: message(error) }));
    return channelWork;
  };
  const firstChannel = tend();
  queue.request(modules, "initial", true);
  const ready = Promise.all([firstRun, firstChannel]).then(([summary]) => summary);
  ready.catch(() => undefined);

  const check = setInterval(() => void tend(), s.checkIntervalMs);
  const poll = setInterval(() => queue.request(modules, "poll", true), s.pollIntervalMs);

  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      clearInterval(check);
      clearInterval(poll);
      stopping.abort(); // channel upkeep queued after this point does nothing
      await receiver.close();
      await queue.close();
      await channelWork;
      if (channel.expiresAt !== undefined) {
        try {
          await channel.disable();
          emit({ type: "watch-channel", action: "disabled", channelId });
        } catch (error) {
          emit({ type: "watch-error", message: `${message(error)} (the channel lapses on its own at its expiry)` });
        }
      }
      rejectReady(new ZohoConfigError("watchModules was stopped before its first run finished.", { code: "WATCH_STOPPED", keys: [] }));
      resolveDone();
    })());
  outerSignal?.addEventListener("abort", () => void stop(), { once: true });
  if (outerSignal?.aborted) void stop();
  return { localUrl: receiver.url, notifyUrl, channelId, ready, done, stop };
}

function hostForUrl(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

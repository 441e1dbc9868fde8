/**
 * The local HTTP receiver of Zoho's notification callbacks: POST on one path only, a small body
 * read against a deadline, the channel token checked in constant time. A verified callback is
 * answered 200 at once and handed on afterwards — Zoho stops notifying a URL that answers slowly,
 * and the pull it triggers may take long.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Notification {
  module: string;
  operation: string;
  ids: string[];
  channelId: string;
}

export interface ReceiverOptions {
  host: string;
  port: number;
  /** The one path callbacks are accepted on, e.g. `/zcrm/notify`. */
  path: string;
  /** The channel's token: callbacks without it are refused (403). */
  token: string;
  onNotification(notification: Notification): void;
  /** Largest body accepted (bytes). Default 64 KiB. */
  maxBodyBytes?: number;
  /** How long a client may take to send its body. Default 10 s. */
  bodyTimeoutMs?: number;
}

export interface NotificationReceiver {
  /** `http://host:port/path` as bound (the real port when 0 was asked for). */
  url: string;
  /** The port bound. */
  port: number;
  close(): Promise<void>;
}

class BodyError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** Equal-length digests, so neither the comparison's time nor an early length check tells anything. */
function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== "string") return false;
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function readBody(req: http.IncomingMessage, limit: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => fail(new BodyError(408)), timeoutMs);
    const fail = (error: BodyError) => {
      clearTimeout(timer);
      req.removeAllListeners("data");
      req.resume(); // drain, so the answer can still be written
      reject(error);
    };
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) fail(new BodyError(413));
      else chunks.push(chunk);
    });
    req.on("end", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    req.on("error", () => fail(new BodyError(400)));
  });
}

function parse(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body.toString("utf8")) as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function answer(res: http.ServerResponse, status: number): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", connection: "close" });
  res.end(status === 200 ? "ok\n" : `${http.STATUS_CODES[status] ?? "error"}\n`);
}

async function handle(o: Required<ReceiverOptions>, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const path = (req.url ?? "").split("?")[0];
  if (path !== o.path) return answer(res, 404);
  if (req.method !== "POST") {
    res.setHeader("allow", "POST");
    return answer(res, 405);
  }
  let body: Buffer;
  try {
    body = await readBody(req, o.maxBodyBytes, o.bodyTimeoutMs);
  } catch (error) {
    return answer(res, error instanceof BodyError ? error.status : 400);
  }
  const payload = parse(body);
  if (!payload) return answer(res, 400);
  if (!sameToken(payload.token, o.token)) return answer(res, 403);
  answer(res, 200);
  const ids = Array.isArray(payload.ids) ? payload.ids.map(String) : [];
  if (typeof payload.module !== "string") return;
  const notification = { module: payload.module, operation: String(payload.operation ?? ""), ids, channelId: String(payload.channel_id ?? "") };
  // After the answer is on its way: the work never delays Zoho's request.
  setImmediate(() => o.onNotification(notification));
}

export async function startNotificationReceiver(options: ReceiverOptions): Promise<NotificationReceiver> {
  const o: Required<ReceiverOptions> = { maxBodyBytes: 64 * 1024, bodyTimeoutMs: 10_000, ...options };
  const server = http.createServer((req, res) => {
    handle(o, req, res).catch(() => {
      if (!res.headersSent) answer(res, 500);
    });
  });
  server.headersTimeout = o.bodyTimeoutMs;
  server.requestTimeout = o.bodyTimeoutMs * 2;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}${o.path}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

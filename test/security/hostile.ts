/**
 * Hostile servers for the security suite, on loopback only: a scripted server (Accounts or API)
 * and a "foreign host" on 127.0.0.2 that records whatever reaches it — nothing secret ever may.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Seen {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HostileServer {
  url: string;
  seen: Seen[];
  /** Sockets closed by the client (e.g. a body it stopped reading). */
  closedByClient: number;
  handler: (req: Seen, res: http.ServerResponse) => void;
  close(): Promise<void>;
}

export async function startHostile(host = "127.0.0.1", handler: HostileServer["handler"] = (_req, res) => res.end()): Promise<HostileServer> {
  const state: HostileServer = { url: "", seen: [], closedByClient: 0, handler, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const seen: Seen = { method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      state.seen.push(seen);
      res.on("close", () => {
        if (!res.writableFinished) state.closedByClient += 1;
      });
      state.handler(seen, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  state.url = `http://${host}:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

/** Every secret string must be absent from everything a foreign host saw. */
export function sawNothingOf(server: HostileServer, secrets: readonly string[]): string[] {
  const text = JSON.stringify(server.seen);
  return secrets.filter((s) => s.length > 0 && text.includes(s));
}

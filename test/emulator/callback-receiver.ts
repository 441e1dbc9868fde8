/**
 * A local HTTP endpoint that records the JSON bodies POSTed to it (bulk-job callbacks,
 * notification channels), for the emulator suites of issue 6 B.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface CallbackReceiver {
  url: string;
  bodies: unknown[];
  /** Resolves once `count` bodies have arrived (rejects after `timeoutMs`, a generous deadline). */
  waitFor(count: number, timeoutMs?: number): Promise<unknown[]>;
  /** Resolves with the first body (arrived or arriving) that `match` accepts. */
  waitForBody(match: (body: unknown) => boolean, timeoutMs?: number): Promise<unknown>;
  close(): Promise<void>;
}

export async function startCallbackReceiver(): Promise<CallbackReceiver> {
  const bodies: unknown[] = [];
  const waiters: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        bodies.push(Buffer.concat(chunks).toString("utf8"));
      }
      res.writeHead(200).end();
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    bodies,
    waitFor(count, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} callbacks, got ${bodies.length}`)), timeoutMs);
        const check = () => {
          if (bodies.length >= count) {
            clearTimeout(timer);
            resolve(bodies.slice(0, count));
          } else waiters.push(check);
        };
        check();
      });
    },
    waitForBody(match, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching callback among ${bodies.length}`)), timeoutMs);
        const check = () => {
          const found = bodies.find(match);
          if (found !== undefined) {
            clearTimeout(timer);
            resolve(found);
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

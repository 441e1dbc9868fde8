/**
 * A minimal, fast Zoho-shaped server on loopback (node:http), run in its own process so the client
 * being measured shares no event loop with it.
 *   --mode fixed      every GET answers one pre-serialised page of `--records` (default 200) records
 *   --mode generated  --total N: page p of N records, generated per request (the full scan; the
 *                     records are never all in memory)
 * Prints {"url": ...} once listening; stops on SIGTERM.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { PAGE_SIZE, pageBody } from "./records.js";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : args[index + 1]!;
};
const mode = arg("mode", "fixed");
const total = Number(arg("total", "100000"));
/** Records in the fixed page: 200 (Zoho's maximum) measures bodies; a few measure per-call overhead. */
const fixedRecords = Number(arg("records", String(PAGE_SIZE)));

const fixed = Buffer.from(pageBody(1, fixedRecords, PAGE_SIZE * 10));
const headers = (length: number) => ({ "content-type": "application/json;charset=UTF-8", "content-length": String(length) });

const server = http.createServer((req, res) => {
  if (mode === "fixed") {
    res.writeHead(200, headers(fixed.length));
    res.end(fixed);
    return;
  }
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const page = Math.max(1, Number(url.searchParams.get("page") ?? 1));
  const perPage = Math.min(PAGE_SIZE, Math.max(1, Number(url.searchParams.get("per_page") ?? PAGE_SIZE)));
  if ((page - 1) * perPage >= total) {
    res.writeHead(204);
    res.end();
    return;
  }
  const body = Buffer.from(pageBody(page, perPage, total));
  res.writeHead(200, headers(body.length));
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, pageBytes: fixed.length })}\n`);
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});

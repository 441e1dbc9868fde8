/**
 * RFC 4180 CSV rows from a stream, one row at a time (quoted fields may hold commas, quotes and
 * line breaks, and may span chunks), so a bulk-read result of any size passes in flat memory.
 */
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";

export async function* csvRows(stream: Readable): AsyncGenerator<string[]> {
  const decoder = new StringDecoder("utf8");
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let pendingQuote = false; // a quote inside a quoted field: either the closing one or the first of ""
  let first = true;
  let lastWasCr = false;
  const take = function* (text: string): Generator<string[]> {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (first) {
        first = false;
        if (c === "\ufeff") continue;
      }
      if (pendingQuote) {
        pendingQuote = false;
        if (c === '"') {
          field += '"';
          continue;
        }
        quoted = false; // the quote closed the field; c is read as usual below
      }
      if (quoted) {
        if (c === '"') pendingQuote = true;
        else field += c;
        continue;
      }
      if (c === "\n" && lastWasCr) {
        lastWasCr = false;
        continue;
      }
      lastWasCr = c === "\r";
      if (c === '"' && field === "") quoted = true;
      else if (c === ",") {
        row.push(field);
        field = "";
      } else if (c === "\n" || c === "\r") {
        row.push(field);
        field = "";
        if (row.length > 1 || row[0] !== "") yield row;
        row = [];
      } else field += c;
    }
  };
  for await (const chunk of stream) yield* take(typeof chunk === "string" ? chunk : decoder.write(chunk as Buffer));
  yield* take(decoder.end());
  if (pendingQuote) quoted = false;
  if (quoted) throw new Error("the CSV ends inside a quoted field (truncated download?)");
  if (field !== "" || row.length > 0) {
    row.push(field);
    yield row;
  }
}
